// Fault sweeps through the API (src/run/sweep.ts, sweep-pool.ts) on examples/sweep-seed.realm.c:
// on host v14 every k of the 16-granule root RTT range shows the seed bug (a failed undelegate of
// a never-delegated granule, a WARN, leaked pages); the fixed error path shows none.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createRun, defaultStatuses, sweep, sweepParallel, SweepError, type SweepOptions } from '../../src/run';

const FILE = 'examples/sweep-seed.realm.c';
const V14 = fs.readFileSync(path.join(__dirname, '../../../', FILE), 'utf8');
const RUN_JS = path.resolve(__dirname, '../../../dist/run.js');
const PGD = 'RMI_GRANULE_RANGE_DELEGATE';
/** Call #4 delegates the RD page, #5 the 16-granule root RTT range (the PGD). */
const seedPoints = (r: Awaited<ReturnType<typeof sweep>>) => r.points.filter((p) => p.call.seq === 5);

describe('fault sweep of examples/sweep-seed.realm.c', () => {
  it('v14: at every k of the root RTT range the undelegate fails on a never-delegated granule and pages leak', async () => {
    const r = await sweep({ file: FILE, source: V14, commands: [PGD] }, createRun);
    assert.equal(r.clean.ok, true, 'the clean run passes');
    assert.deepEqual(r.points.map((p) => p.label), [
      `#4 ${PGD} k=0 -> RMI_ERROR_INPUT`, ...Array.from({ length: 16 }, (_, k) => `#5 ${PGD} k=${k} -> RMI_ERROR_INPUT`),
    ]);
    assert.equal(r.points[0].ok, true, 'a failed RD delegation is handled');
    const seed = seedPoints(r);
    assert.equal(seed.length, 16);
    for (const [k, p] of seed.entries()) {
      assert.equal(p.fired, true);
      assert.equal(p.ok, false, `k=${k}`);
      const undelegate = p.findings.filter((f) => f.kind === 'undelegate-not-delegated');
      assert.equal(undelegate.length, 1, `k=${k}: one failed undelegate`);
      assert.match(undelegate[0].message, /RMI_GRANULE_RANGE_UNDELEGATE of 0x[0-9a-f]+: it was never delegated/);
      assert.equal(p.warnings.length, 1);
      assert.match(p.warnings[0].text, /WARN_ON\(rmi_undelegate_range\(kvm->arch.mmu.pgd_phys, pgd_size\)\)/);
      // Granules 0..k-1 came back from the realm world, granule k was never delegated: k + 1 pages lost.
      assert.equal(p.leaks.length, k + 1, `k=${k}: leaks`);
      assert.equal(p.leaks[k].pa, undelegate[0].pa, 'the last leaked page is the one the undelegate stopped at');
      assert.ok(p.leaks.every((l) => l.kind === 'host' && l.state === 'UNDELEGATED' && l.cause?.name === 'RMI_GRANULE_RANGE_UNDELEGATE'));
      assert.deepEqual(p.failedExpectations, []);
      assert.equal(p.error, null);
    }
    assert.equal(r.ok, false);
  });

  it('fixed: no point of the range delegations leaks, WARNs or misuses a granule', async () => {
    const r = await sweep({ file: FILE, source: V14, hostVariant: 'fixed', commands: [PGD] }, createRun);
    assert.equal(r.points.length, 17);
    assert.equal(seedPoints(r).length, 16);
    assert.deepEqual(r.points.filter((p) => !p.ok).map((p) => p.label), []);
    assert.ok(r.points.every((p) => p.fired && p.findings.length === 0 && p.warnings.length === 0 && p.leaks.length === 0));
    assert.equal(r.ok, true);
  });

  it('default statuses: RMI_ERROR_INPUT and what the command checks can return; overridable per command', async () => {
    const clean = await createRun({ file: FILE, source: V14 });
    clean.runToEnd();
    assert.deepEqual(defaultStatuses(clean.rmm, clean.calls[4].fid), ['RMI_ERROR_INPUT']);
    assert.ok(defaultStatuses(clean.rmm, clean.calls[0].fid).includes('RMI_ERROR_INPUT'));
    const r = await sweep({ file: FILE, source: V14, commands: ['RMI_REALM_CREATE'], statuses: { RMI_REALM_CREATE: ['RMI_ERROR_REALM', 'RMI_ERROR_RTT'] } }, createRun);
    assert.deepEqual(r.points.map((p) => p.label), ['#6 RMI_REALM_CREATE -> RMI_ERROR_REALM', '#6 RMI_REALM_CREATE -> RMI_ERROR_RTT']);
    assert.ok(r.points.every((p) => p.ok), 'a failed REALM_CREATE undelegates a fully delegated range: no bug');
    await assert.rejects(sweep({ file: FILE, source: V14, statuses: ['RMI_ERROR_NOPE'] }, createRun), /unknown failing status 'RMI_ERROR_NOPE'/);
  });

  it('shards split the points without overlap; a point limit refuses big sweeps clearly; a cancelled sweep stops between points', async () => {
    const opts: SweepOptions = { file: FILE, source: V14, commands: [PGD] };
    const shards = await Promise.all([0, 1, 2].map((index) => sweep({ ...opts, shard: { index, count: 3 } }, createRun)));
    assert.deepEqual(shards.map((s) => s.totalPoints), [17, 17, 17]);
    assert.deepEqual(shards.flatMap((s) => s.points.map((p) => p.id)).sort((a, b) => a - b), Array.from({ length: 17 }, (_, i) => i));
    await assert.rejects(sweep({ ...opts, maxPoints: 10 }, createRun), (e: Error) => e instanceof SweepError && /has 17 points, more than the limit of 10/.test(e.message));
    await assert.rejects(sweep({ ...opts, shard: { index: 3, count: 3 } }, createRun), /bad shard 3\/3/);
    const signal = { aborted: false };
    const r = await sweep({ ...opts, signal, onPoint: (_p, done) => { if (done === 2) signal.aborted = true; } }, createRun);
    assert.equal(r.cancelled, true);
    assert.equal(r.points.length, 2);
  });

  it('worker threads give exactly the in-process results', async () => {
    const opts: SweepOptions = { file: FILE, source: V14, commands: [PGD], shard: { index: 0, count: 2 } };
    const inProcess = await sweep(opts, createRun);
    const parallel = await sweepParallel(opts, createRun, { jobs: 2, script: RUN_JS });
    assert.equal(parallel.points.length, 9);
    assert.deepEqual(parallel, inProcess);
  });

  it('a scenario that does not compile runs no point', async () => {
    const r = await sweep({ file: 'bad.realm.c', source: 'void scenario(void) { undefined_thing(); }' }, createRun);
    assert.equal(r.clean.compiled, false);
    assert.deepEqual(r.points, []);
    assert.equal(r.ok, false);
  });
});
