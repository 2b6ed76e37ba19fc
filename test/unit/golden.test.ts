// Golden traces: every examples/*.realm.c has examples/golden/<name>.json, its run report
// (calls, statuses, granule changes, leaks, WARNs, expectations, final granule states). A change
// of behaviour shows as the first differing line; regenerate on purpose with
// `npm run build && node scripts/update-golden.mjs`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createRun, report, reportJson } from '../../src/run';

const EXAMPLES = path.join(__dirname, '../../../examples');
const GOLDEN = path.join(EXAMPLES, 'golden');
const HINT = 'run `npm run build && node scripts/update-golden.mjs` to regenerate it (and review the diff)';

/** The first line where two texts differ, with a little context, or undefined when equal. */
export function firstDifference(expected: string, actual: string): string | undefined {
  if (expected === actual) return undefined;
  const a = expected.split('\n');
  const b = actual.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const context = a.slice(Math.max(0, i - 3), i).map((l) => `    ${l}`);
  return [`first difference at line ${i + 1}:`, ...context, `  - ${a[i] ?? '(end of file)'}`, `  + ${b[i] ?? '(end of file)'}`].join('\n');
}

const examples = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.realm.c')).sort();

describe('golden traces of the examples', () => {
  it('finds the examples', () => {
    assert.ok(examples.length >= 3, `examples: ${examples.join(', ')}`);
  });

  for (const name of examples) {
    it(`${name} matches examples/golden/${name.replace(/\.realm\.c$/, '.json')}`, async () => {
      const goldenFile = path.join(GOLDEN, name.replace(/\.realm\.c$/, '.json'));
      assert.ok(fs.existsSync(goldenFile), `examples/${name} has no golden trace: ${HINT}`);
      const file = `examples/${name}`;
      const run = await createRun({ file, source: fs.readFileSync(path.join(EXAMPLES, name), 'utf8') });
      if (run.diagnostics.every((d) => d.severity !== 'error')) run.runToEnd();
      const diff = firstDifference(fs.readFileSync(goldenFile, 'utf8'), reportJson(report(run, file)));
      assert.equal(diff, undefined, `examples/${name} no longer matches its golden trace (${HINT})\n${diff}`);
    });
  }

  it('has no golden trace without its example', () => {
    const orphans = fs.readdirSync(GOLDEN).filter((g) => g.endsWith('.json') && !examples.includes(g.replace(/\.json$/, '.realm.c')));
    assert.deepEqual(orphans, [], `golden traces without an example: ${HINT}`);
  });

  it('reports the first differing line readably', () => {
    assert.equal(firstDifference('a\nb\nc', 'a\nb\nc'), undefined);
    assert.equal(firstDifference('a\nb\nc', 'a\nX\nc'), 'first difference at line 2:\n    a\n  - b\n  + X');
    assert.match(firstDifference('a', 'a\nmore')!, /line 2:[\s\S]*- \(end of file\)\n {2}\+ more/);
  });
});
