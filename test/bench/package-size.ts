// vsix.bytes: the size of the packaged extension (goal <= 2 MB), measured on realm-lab.vsix as
// `npm run package` left it. Without a package there is nothing to measure: say so on stderr.
import fs from 'node:fs';
import path from 'node:path';

export function vsixBytes(report: (name: string, value: number, unit: string) => void): void {
  const vsix = path.resolve(__dirname, '../../../realm-lab.vsix');
  if (!fs.existsSync(vsix)) {
    console.error('vsix.bytes: realm-lab.vsix not found; run `npm run package` first');
    return;
  }
  report('vsix.bytes', fs.statSync(vsix).size, 'bytes');
}
