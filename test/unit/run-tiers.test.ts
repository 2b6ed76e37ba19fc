// The JS tier (src/lang/vm/jit.ts) against the interpreter: every example runs to the same end,
// slices of any length stop at the same statements with the same call stacks, a run can move
// between step() and the JS tier at any point, and the host library translates whole (no
// function falls back to the interpreter).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createRun, type RunOptions } from '../../src/run';
import type { Machine } from '../../src/lang';
import { observable, type CRun } from './helpers/c-run';

const EXAMPLES = path.join(__dirname, '../../../examples');
const FILES = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.realm.c')).sort();
const open = (file: string, opts: Partial<RunOptions> = {}) =>
  createRun({ file, source: fs.readFileSync(path.join(EXAMPLES, file), 'utf8'), ...opts });
const stack = (r: CRun) => r.frames().map((f) => `${f.name}:${f.range.line}`);

describe('the JS tier runs as the interpreter does', () => {
  it('has examples to compare', () => assert.ok(FILES.length >= 6, FILES.join(', ')));

  for (const file of FILES) {
    it(`${file}: the same run to the end`, async () => {
      const fast = await open(file);
      const slow = await open(file, { tier: 'interpreter' });
      fast.runToEnd();
      slow.runToEnd();
      assert.ok(fast.calls.length > 0, 'the example makes RMI calls');
      assert.deepEqual(observable(fast), observable(slow));
      assert.deepEqual(Array.from(fast.rmm.st.granules.state), Array.from(slow.rmm.st.granules.state), 'every granule ends in the same state');
    });
  }

  for (const n of [1, 3, 50, 997]) {
    it(`realm-lifecycle-2.0: slices of ${n} statements stop where the interpreter's do`, async () => {
      const fast = await open('realm-lifecycle-2.0.realm.c');
      const slow = await open('realm-lifecycle-2.0.realm.c', { tier: 'interpreter' });
      let stops = 0;
      for (;;) {
        const a = fast.runSteps(n);
        const b = slow.runSteps(n);
        assert.equal(a, b, `after ${stops} slices, both still running or both finished`);
        assert.equal(fast.steps, slow.steps);
        assert.deepEqual(stack(fast), stack(slow), `the call stack after slice ${stops}`);
        if (!a) break;
        stops++;
        if (stops % 7 === 0) assert.deepEqual(JSON.stringify(fast.locals(1)), JSON.stringify(slow.locals(1)), 'the scenario frame\'s locals');
      }
      assert.ok(stops > 2, 'the run went through several slices');
      assert.deepEqual(observable(fast), observable(slow));
    });
  }

  it('moves between step() and the JS tier anywhere in a run (seed, v14)', async () => {
    const fast = await open('seed-partial-delegate.realm.c');
    const slow = await open('seed-partial-delegate.realm.c', { tier: 'interpreter' });
    let rounds = 0;
    for (let k = 1; ; k++) {
      // A few single steps (entering and leaving calls), then a slice in the JS tier.
      for (let i = 0; i < k % 5; i++) {
        fast.step();
        slow.step();
      }
      const more = fast.runSteps(k * 13);
      slow.runSteps(k * 13);
      assert.equal(fast.steps, slow.steps);
      assert.deepEqual(stack(fast), stack(slow));
      rounds++;
      if (!more) break;
    }
    assert.ok(rounds > 3);
    assert.deepEqual(observable(fast), observable(slow));
    assert.ok(fast.expectations.some((e) => !e.passed), 'the seed still shows its bug');
  });

  it('a checkpoint taken between slices restores into either tier', async () => {
    const r = await open('realm-lifecycle-1.0.realm.c');
    r.runSteps(400);
    const cp = r.checkpoint()!;
    r.runToEnd();
    const end = observable(r);
    r.restore(cp);
    while (r.step()) { /* the interpreter from the checkpoint */ }
    assert.deepEqual(observable(r), end);
  });

  it('the host library translates whole: no function falls back to the interpreter', async () => {
    for (const file of ['realm-lifecycle-1.0.realm.c', 'realm-lifecycle-2.0.realm.c', 'seed-partial-delegate.realm.c']) {
      const r = await open(file);
      r.runToEnd();
      const m = (r as unknown as { machine: Machine }).machine;
      const used = m.jit.map((g, id) => [m.fns[id]?.name, g]).filter(([, g]) => g !== undefined);
      assert.ok(used.length > 20, `${file}: ${used.length} functions ran in the JS tier`);
      assert.deepEqual(used.filter(([, g]) => g === null).map(([name]) => name), [], `${file}: functions left to the interpreter`);
    }
  });

  it('a step budget stops both tiers at the same statement with the same message', async () => {
    const src = 'void scenario(void)\n{\n\tunsigned long i = 0;\n\n\twhile (1)\n\t\ti++;\n}\n';
    const fast = await createRun({ file: 'loop.realm.c', source: src, maxSteps: 10_001 });
    const slow = await createRun({ file: 'loop.realm.c', source: src, maxSteps: 10_001, tier: 'interpreter' });
    fast.runToEnd();
    slow.runToEnd();
    assert.match(fast.error?.message ?? '', /step budget/);
    assert.deepEqual(observable(fast), observable(slow));
    assert.equal(fast.error?.range.line, 5, 'the 10,002nd statement is the loop header');
  });
});
