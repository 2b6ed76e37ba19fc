// Loaded by VS Code's extension host (the workbench `payload` names it as extensionTestsPath):
// runs every *.spec.js next to it with mocha, inside the real extension host.
//
// Besides mocha's own report, each finished test is logged as one `[realm-lab-exthost] {json}`
// line. The node:test wrapper (test/exthost/exthost.test.mjs) reads those lines from the page's
// console bridge and turns each into a node:test subtest, so every spec counts in `npm test`.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export const RESULT_TAG = '[realm-lab-exthost]';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, reporter: 'spec' });
  const specs = fs.readdirSync(__dirname).filter((f) => f.endsWith('.spec.js')).sort();
  for (const f of specs) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (runner.stats?.tests === 0) reject(new Error('no extension-host test ran'));
      else if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    const report = (state: string, test: Mocha.Test, err?: Error) =>
      console.log(`${RESULT_TAG} ${JSON.stringify({ title: test.fullTitle(), state, error: err ? String(err.stack ?? err) : undefined })}`);
    runner.on('pass', (t) => report('passed', t));
    runner.on('fail', (t, err) => report('failed', t as Mocha.Test, err));
  });
}
