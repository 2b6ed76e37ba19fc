#!/usr/bin/env node
// Type-checks every layer with its own tsconfig, so that each layer sees only the libraries it
// may use (no DOM outside src/webview, no node or vscode types in the pure layers).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const projects = ['rmm', 'protocol', 'lang', 'host', 'run', 'debug', 'cli', 'webview', 'extension']
  .map((d) => `src/${d}/tsconfig.json`)
  .concat(['test/tsconfig.json', 'test/exthost/tsconfig.json']);
let failed = false;
for (const p of projects) {
  const dir = path.dirname(path.join(root, p));
  // A layer that has no sources yet has nothing to check (tsc would report "no inputs").
  const hasTs = fs.readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.ts'));
  if (!hasTs) continue;
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '-p', p], { cwd: root, stdio: 'inherit' });
  } catch {
    failed = true;
    console.error(`typecheck failed: ${p}`);
  }
}
process.exit(failed ? 1 : 0);
