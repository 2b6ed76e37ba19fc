#!/usr/bin/env node
// Runs test tiers in ONE `node --test --test-concurrency=1` (so two code-servers and browsers
// never compete for the 2 cores) over explicit file lists: node 20 has no globs in --test, and a
// directory argument would also pick up the mocha specs meant for the extension host.
//
//   node scripts/run-tests.mjs                 every tier: unit dap exthost e2e
//   node scripts/run-tests.mjs unit dap        some tiers
//
// Fails when a tier has no test file, when no test ran, and when anything was skipped or todo:
// a tier that silently vanishes must not look green.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = (p) => path.relative(ROOT, p);

function list(dir, suffix, recursive = true) {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { recursive }).map(String).filter((f) => f.endsWith(suffix)).sort()
    .map((f) => path.join(dir, f));
}

// tier -> [where its files are looked for, the file list]
const TIERS = {
  unit: ['out/test/unit/**/*.test.js (built from test/unit/**/*.test.ts by `npm run build`)', () => list('out/test/unit', '.test.js')],
  dap: ['out/test/dap/**/*.test.js (built from test/dap/**/*.test.ts by `npm run build`)', () => list('out/test/dap', '.test.js')],
  exthost: ['test/exthost/exthost.test.mjs', () => ['test/exthost/exthost.test.mjs'].filter((f) => fs.existsSync(path.join(ROOT, f)))],
  e2e: ['test/e2e/*.test.mjs', () => list('test/e2e', '.test.mjs', false)],
};

const wanted = process.argv.slice(2);
for (const t of wanted) if (!TIERS[t]) { console.error(`unknown tier "${t}" (known: ${Object.keys(TIERS).join(', ')})`); process.exit(2); }
const tiers = wanted.length ? wanted : Object.keys(TIERS);

const files = [];
for (const t of tiers) {
  const [where, find] = TIERS[t];
  const f = find();
  if (f.length === 0) {
    console.error(`[run-tests] tier "${t}" has no test files: nothing matches ${where}`);
    process.exit(1);
  }
  console.error(`[run-tests] ${t}: ${f.length} file(s)`);
  files.push(...f);
}

const results = path.join(ROOT, 'test-results');
fs.mkdirSync(results, { recursive: true });
const tap = path.join(results, 'node-test.tap');
const t0 = Date.now();
const child = spawn(process.execPath, [
  '--test', '--test-concurrency=1',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${rel(tap)}`,
  ...files,
], { cwd: ROOT, stdio: 'inherit' });
const code = await new Promise((r) => child.on('exit', (c, sig) => r(c ?? (sig ? 1 : 0))));

// The TAP copy ends with the run's totals: "# tests N", "# pass N", "# fail N", "# skipped N" ...
const totals = {};
for (const m of fs.readFileSync(tap, 'utf8').matchAll(/^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$/gm)) totals[m[1]] = Number(m[2]);
const problems = [];
if (code !== 0) problems.push(`node --test exited with ${code}`);
if (!totals.tests) problems.push('no test ran');
if (totals.skipped) problems.push(`${totals.skipped} test(s) skipped`);
if (totals.todo) problems.push(`${totals.todo} test(s) marked todo`);
console.error(`[run-tests] ${tiers.join(' + ')}: ${totals.tests ?? 0} tests, ${totals.pass ?? 0} passed, ` +
  `${totals.fail ?? 0} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (problems.length) {
  console.error(`[run-tests] FAILED: ${problems.join('; ')}`);
  process.exit(1);
}
