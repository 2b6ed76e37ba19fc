// The run's columnar call log (src/run/call-log.ts): every call reads back exactly as it was
// recorded, whichever way its registers came (rmi_call's machine values or the RMM's BigInts),
// across chunk boundaries, and a truncation (a checkpoint restored) forgets exactly the calls after it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallLog, type CallSite } from '../../src/run/call-log';
import type { SourceRange } from '../../src/run';

const at = (line: number): SourceRange => ({ file: 'x.realm.c', line, column: 2, endLine: line, endColumn: 9 });
const FID = 0xc4000151;
const CHECKS = Object.freeze(['a', 'b']) as string[];

/** A call site that says what the test sets. */
function site(): CallSite & { line: number; steps: number } {
  const s = {
    line: 1, steps: 0,
    range: () => at(s.line),
    entryLine: (r: SourceRange) => r.line + 100,
    step: () => s.steps,
  };
  return s;
}

interface Call { args: bigint[]; ret: bigint[]; changes: number[]; failed?: string; fault?: string }

function record(log: CallLog, seq: number, c: Call): void {
  log.record(seq, FID, 'RMI_X', c.args.map((v) => Number(v)), c.ret, c.ret.slice(1).some((v) => v !== 0n), c.failed ? 3 : 0, c.failed ? 2 : 0, CHECKS, c.failed, c.fault, c.changes, c.changes.length / 3, []);
}

const call = (i: number): Call => ({
  args: [BigInt(0x8000_0000 + i * 4096), BigInt(i), 0n, 0n, 0n, 0n],
  ret: [i % 7 === 0 ? 3n : 0n, BigInt(i * 2), 0n, 0n, i % 5 === 0 ? (1n << 63n) + 1n : 0n],
  changes: i % 3 === 0 ? [] : [0x8000_0000 + i * 4096, 0, 1, 0x9000_0000, 1, 0],
  failed: i % 7 === 0 ? 'rd_state' : undefined,
});

function expectCall(log: CallLog, i: number, c: Call): void {
  const e = log.event(i);
  assert.equal(e.seq, i + 1);
  assert.deepEqual(e.args, c.args, `args of call ${i}`);
  assert.deepEqual(e.ret, c.ret, `ret of call ${i}`);
  const changes = [];
  for (let k = 0; k < c.changes.length; k += 3) changes.push({ pa: c.changes[k], from: c.changes[k + 1], to: c.changes[k + 2] });
  assert.deepEqual(e.changes, changes, `changes of call ${i}`);
  assert.equal(e.failedCheck, c.failed);
  assert.equal(e.fault, c.fault);
  assert.equal(e.checks, CHECKS);
}

describe('run call log', () => {
  it('reads back registers, changes and outcomes across chunk boundaries (and the first chunk\'s growth)', () => {
    const log = new CallLog(site());
    const n = 140_000; // over two chunks of calls, and of changes
    for (let i = 0; i < n; i++) record(log, i + 1, call(i));
    assert.equal(log.length, n);
    for (const i of [0, 1, 7, 255, 256, 257, 511, 512, 65_535, 65_536, 65_537, 131_071, 131_072, n - 1]) expectCall(log, i, call(i));
  });

  it('keeps number registers as doubles and BigInt ones (2^53 and more) exactly', () => {
    const log = new CallLog(site());
    log.record(1, FID, 'RMI_X', [0x8000_1000, 5, 0, 0, 0, 0], [0n, 0n, 0n, 0n, 0n], false, 0, 0, CHECKS, undefined, undefined, [], 0, []);
    const big = 1n << 60n;
    log.record(2, FID, 'RMI_X', [(1n << 64n) - 1n, big, 3, 0, 0, 0], [0n, 0n, 0n, 0n, 0n], false, 0, 0, CHECKS, undefined, undefined, [], 0, []);
    assert.deepEqual(log.event(0).args, [0x8000_1000n, 5n, 0n, 0n, 0n, 0n]);
    assert.deepEqual(log.event(1).args, [(1n << 64n) - 1n, big, 3n, 0n, 0n, 0n]);
  });

  it('keeps every register of a call made through Rmm.smc directly, as 64-bit values', () => {
    const log = new CallLog(site());
    log.record(1, FID, 'RMI_X', [-1n, 1n << 55n, 7n, 0n, 0n, 0n], [0n, 0n, 0n, 0n, 0n], false, 0, 0, CHECKS, undefined, undefined, [], 0, []);
    log.record(2, FID, 'RMI_X', [1n, 2n, 3n, 4n, 5n, 6n, 7n], [0n, 0n, 0n, 0n, 0n], false, 0, 0, CHECKS, undefined, undefined, [], 0, []);
    assert.deepEqual(log.event(0).args, [(1n << 64n) - 1n, 1n << 55n, 7n, 0n, 0n, 0n]);
    assert.deepEqual(log.event(1).args, [1n, 2n, 3n, 4n, 5n, 6n, 7n]);
  });

  it('serialises an event as its fields, never as the columns behind it', () => {
    const log = new CallLog(site());
    for (let i = 0; i < 20; i++) record(log, i + 1, call(i));
    const e = log.event(14);
    const json = JSON.parse(JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)));
    assert.deepEqual(Object.keys(json).sort(), ['args', 'changes', 'checks', 'entryLine', 'failedCheck', 'fid', 'findings', 'index', 'name', 'range', 'ret', 'seq', 'status', 'step']);
    assert.deepEqual(json.args, ['0x8000e000', '0xe', '0x0', '0x0', '0x0', '0x0']);
    assert.equal(json.failedCheck, 'rd_state');
    // A spread or a structured clone copies the fields it can see, not the log.
    assert.equal(JSON.stringify(Object.keys({ ...e })).includes('chunks'), false);
    assert.equal({ ...e }.name, 'RMI_X');
    assert.equal(structuredClone({ ...e, args: e.args }).args[0], 0x8000_e000n);
  });

  it('records where the C code made each call', () => {
    const s = site();
    const log = new CallLog(s);
    s.line = 12;
    s.steps = 345;
    record(log, 1, call(1));
    const e = log.event(0);
    assert.deepEqual([e.range.line, e.entryLine, e.step, e.name], [12, 112, 345, 'RMI_X']);
  });

  it('keeps what an event showed when a truncation lets other calls take its place', () => {
    const log = new CallLog(site());
    for (let i = 0; i < 300; i++) record(log, i + 1, call(i));
    const before = [log.event(14), log.event(299)];
    log.truncate(5);
    for (let i = 5; i < 400; i++) record(log, i + 1, { args: [7n, 7n, 7n, 7n, 7n, 7n], ret: [0n, 0n, 0n, 0n, 0n], changes: [] });
    // Read after the calls that replaced them: each still shows its own call.
    assert.deepEqual(before[0].args, call(14).args);
    assert.deepEqual(before[1].ret, call(299).ret);
    assert.equal(before[0].failedCheck, 'rd_state');
    assert.deepEqual(before[1].changes.length, 2);
    assert.deepEqual(log.event(14).args, [7n, 7n, 7n, 7n, 7n, 7n]);
    assert.equal(log.event(14).failedCheck, undefined);
    const e = log.event(3);
    assert.equal(e.args, e.args, 'an event gives the same args array each time');
  });

  for (const cut of [0, 5, 65_536, 70_000]) {
    it(`forgets the calls after a truncation at ${cut}, and records the next ones afresh`, () => {
      const log = new CallLog(site());
      for (let i = 0; i < 80_000; i++) record(log, i + 1, call(i));
      log.truncate(cut);
      assert.equal(log.length, cut);
      // Calls that return zeros and change nothing, where the old ones had values: nothing of those may show.
      const quiet = (i: number): Call => ({ args: [BigInt(i), 0n, 0n, 0n, 0n, 0n], ret: [0n, 0n, 0n, 0n, 0n], changes: [] });
      for (let i = cut; i < cut + 10; i++) record(log, i + 1, quiet(i));
      for (let i = cut; i < cut + 10; i++) expectCall(log, i, quiet(i));
      if (cut > 0) expectCall(log, cut - 1, call(cut - 1));
    });
  }
});
