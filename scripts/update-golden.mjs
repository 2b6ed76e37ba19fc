#!/usr/bin/env node
// Regenerates examples/golden/<name>.json, the golden trace of every examples/<name>.realm.c:
// its run report (calls, statuses, granule changes, leaks, WARNs, output, expectations, final
// granule states) without anything volatile. Run after `npm run build`, whenever an example or
// the behaviour it shows changes on purpose; test/unit/golden.test.ts compares against these.
//   node scripts/update-golden.mjs [name.realm.c ...]
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const bundle = path.join(root, 'dist/run.js');
if (!fs.existsSync(bundle)) {
  console.error('update-golden: dist/run.js is missing; run `npm run build` first');
  process.exit(2);
}
const { createRun, report, reportJson } = require(bundle);

const examples = path.join(root, 'examples');
const golden = path.join(examples, 'golden');
const only = process.argv.slice(2).map((a) => path.basename(a));
const names = fs.readdirSync(examples).filter((f) => f.endsWith('.realm.c')).filter((f) => !only.length || only.includes(f)).sort();
fs.mkdirSync(golden, { recursive: true });
let changed = 0;
for (const name of names) {
  const file = `examples/${name}`;
  const run = await createRun({ file, source: fs.readFileSync(path.join(examples, name), 'utf8') });
  if (run.diagnostics.every((d) => d.severity !== 'error')) run.runToEnd();
  const text = reportJson(report(run, file));
  const out = path.join(golden, name.replace(/\.realm\.c$/, '.json'));
  const old = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
  if (old !== text) {
    fs.writeFileSync(out, text);
    changed++;
    console.log(`${old === undefined ? 'created' : 'updated'} ${path.relative(root, out)}`);
  }
}
// Golden files whose example is gone.
if (!only.length) {
  for (const g of fs.readdirSync(golden).filter((f) => f.endsWith('.json'))) {
    if (!names.includes(g.replace(/\.json$/, '.realm.c'))) {
      fs.rmSync(path.join(golden, g));
      console.log(`removed ${path.relative(root, path.join(golden, g))} (no such example)`);
      changed++;
    }
  }
}
console.log(`update-golden: ${names.length} examples, ${changed} golden files changed`);
