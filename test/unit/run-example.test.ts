// The examples end to end: examples/raw-rmi-1.0.realm.c creates and destroys a realm with raw RMI
// calls and passes; examples/undelegate-live-rd-1.0.realm.c reports its failing expectations.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createRun } from '../../src/run';

const EXAMPLES = path.join(__dirname, '../../../examples');
const read = (f: string) => fs.readFileSync(path.join(EXAMPLES, f), 'utf8');
/** 1-based line numbers of the lines containing `needle`. */
const linesOf = (src: string, needle: string) => src.split('\n').flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));

describe('examples/raw-rmi-1.0.realm.c', () => {
  const FILE = 'raw-rmi-1.0.realm.c';

  it('declares its machine in C: RMM 1.0, 1 GiB of DRAM at 0x80000000', async () => {
    const r = await createRun({ file: FILE, source: read(FILE) });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.profile, '1.0');
    assert.equal(r.hostVariant, 'v14');
    assert.equal(r.rmm.granule(0x8000_0000n).state, 'UNDELEGATED');
    assert.throws(() => r.rmm.granule(0xc000_0000n), /outside DRAM/);
    const over = await createRun({ file: FILE, source: read(FILE), profile: '2.0', hostVariant: 'fixed' });
    assert.deepEqual([over.profile, over.hostVariant], ['2.0', 'fixed'], 'RunOptions override the declaration');
  });

  it('runs to the end: every expectation passes, each RMI call is recorded at its line', async (t) => {
    const src = read(FILE);
    const t0 = performance.now();
    const r = await createRun({ file: FILE, source: src });
    r.runToEnd();
    t.diagnostic(`parse + check + run: ${(performance.now() - t0).toFixed(1)} ms, ${r.steps} statements, compile ${r.compileMs} ms`);
    assert.equal(r.error, undefined);
    assert.ok(r.expectations.length >= 10);
    assert.deepEqual(r.expectations.filter((e) => !e.passed), []);
    assert.deepEqual(r.calls.map((c) => [c.name, c.status]), [
      ['RMI_GRANULE_DELEGATE', 0], ['RMI_GRANULE_DELEGATE', 0], ['RMI_REALM_CREATE', 0], ['RMI_REALM_DESTROY', 0],
      ['RMI_GRANULE_UNDELEGATE', 0], ['RMI_GRANULE_UNDELEGATE', 0],
    ]);
    const callLines = linesOf(src, 'rmi_call(');
    assert.deepEqual(r.calls.map((c) => c.range.line), callLines);
    assert.ok(r.calls.every((c) => c.range.file === FILE));
    const steps = r.calls.map((c) => c.step);
    assert.deepEqual(steps, [...steps].sort((a, b) => a - b));
    assert.ok(steps[0] > 0 && steps[5] <= r.steps);
    // Granule changes as the trace saw them: REALM_CREATE moved rd and rtt DELEGATED -> RD / RTT.
    const [rd, rtt] = [r.calls[0].args[0], r.calls[1].args[0]];
    const create = r.calls[2];
    assert.equal(create.args[0], rd);
    assert.deepEqual(create.changes.map((c) => c.pa).sort(), [Number(rd), Number(rtt)].sort());
    assert.equal(r.rmm.granule(rd).state, 'UNDELEGATED');
    assert.equal(r.rmm.granule(rtt).state, 'UNDELEGATED');
    assert.deepEqual(r.notes, []);
  });

  it('RMI_REALM_CREATE reads the RmiRealmParams the C code wrote, at the spec offsets', async () => {
    const src = read(FILE);
    const r = await createRun({ file: FILE, source: src });
    const createLine = linesOf(src, 'RMI_REALM_CREATE')[0];
    while (r.step() && r.calls.length < 3) { /* up to the statement after REALM_CREATE */ }
    assert.equal(r.calls[2].name, 'RMI_REALM_CREATE');
    assert.equal(r.calls[2].range.line, createLine);
    const realm = [...r.rmm.st.realms.values()][0];
    assert.ok(realm, 'the realm exists');
    assert.deepEqual([realm.ipaWidth, realm.vmid, realm.rttLevelStart, realm.rttNumStart, realm.hashAlgo], [39, 1, 1, 1, 0]);
    assert.equal(BigInt(realm.rttBase), r.calls[1].args[0]);
    // The params page is the host's: the C pointer and the PA in X2 are the same memory.
    const params = r.locals(r.frames()[0].id).find((v) => v.name === 'params')!;
    assert.equal(BigInt(params.memoryReference!), r.calls[2].args[1]);
  });

  it('steps statement by statement with the granule states changing under it', async () => {
    const src = read(FILE);
    const r = await createRun({ file: FILE, source: src });
    const seen: string[] = [];
    let rd: bigint | undefined;
    do {
      if (r.calls.length > 0) rd ??= r.calls[0].args[0];
      if (rd !== undefined) {
        const s = r.rmm.granule(rd).state;
        if (seen[seen.length - 1] !== s) seen.push(s);
      }
    } while (r.step());
    assert.deepEqual(seen, ['DELEGATED', 'RD', 'DELEGATED', 'UNDELEGATED']);
  });
});

describe('examples/undelegate-live-rd-1.0.realm.c', () => {
  const FILE = 'undelegate-live-rd-1.0.realm.c';

  it('reports the failing expectations with what was seen instead', async () => {
    const src = read(FILE);
    const r = await createRun({ file: FILE, source: src });
    r.runToEnd();
    assert.equal(r.error, undefined, 'a failed expectation does not stop the run');
    const failed = r.expectations.filter((e) => !e.passed);
    assert.equal(failed.length, 2);
    assert.match(failed[0].message, /^expect\(ret == RMI_SUCCESS\) failed: left side is 1, right side is 0$/);
    assert.match(failed[1].message, /^expected granule 0x[0-9a-f]+ to be UNDELEGATED, but it is RD$/);
    assert.equal(failed[1].range.line, linesOf(src, 'expect_granule(rd, RMI_GRANULE_UNDELEGATED)')[0]);
    const undelegate = r.calls[r.calls.length - 1];
    assert.deepEqual([undelegate.name, undelegate.status, undelegate.failedCheck], ['RMI_GRANULE_UNDELEGATE', 1, 'gran_state']);
  });
});
