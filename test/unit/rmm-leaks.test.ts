import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, Status, createRmm, findLeaks, type Finding } from '../../src/rmm';
import { Lab, RD, RTT, pa, recPa } from './helpers/rmm-setup';
import { GRANULE, V2Machine } from './helpers/v2-boot';

const DEL = 'RMI_GRANULE_RANGE_DELEGATE';
const UNDEL = 'RMI_GRANULE_RANGE_UNDELEGATE';
const brief = (fs: readonly Finding[]) => fs.map((f) => ({ kind: f.kind, pa: f.pa, seq: f.seq }));

describe('findLeaks', () => {
  it('reports granules a failed range delegation left DELEGATED that the host lost track of, with the call', () => {
    // realm_map_protected before the fix (reference 7.4, 8.2): a failed rmi_delegate_range is taken
    // as "nothing was delegated", so the host tracks none of the range.
    const m = new V2Machine({ faults: [{ command: DEL, afterGranules: 3, status: 'RMI_ERROR_INPUT' }] });
    const base = m.alloc(8);
    const r = m.call(DEL, base, base + 8n * GRANULE);
    assert.equal(r.status, Status.RMI_ERROR_INPUT);
    const seq = r.event.seq;
    assert.deepEqual(brief(findLeaks(m.rmm)), [0, 1, 2].map((i) => ({ kind: 'leak', pa: Number(base) + i * 4096, seq })));
    assert.match(findLeaks(m.rmm)[0].message, new RegExp(`DELEGATED .* call #${seq}`));
    // The fixed host keeps [base, out_top) and will map or undelegate it: no leak.
    assert.deepEqual(findLeaks(m.rmm, [base, base + GRANULE, base + 2n * GRANULE]), []);
  });

  it('reports what a destroy returned DELEGATED and the host never undelegated (1.0)', () => {
    const lab = new Lab({ profile: '1.0' });
    lab.createRealm();
    assert.deepEqual(findLeaks(lab.rmm), [], 'an RD and its RTT are in use, not leaked');
    const destroy = lab.ok(Fid.RMI_REALM_DESTROY, RD).event.seq;
    assert.deepEqual(brief(findLeaks(lab.rmm)), [
      { kind: 'leak', pa: Number(RD), seq: destroy }, { kind: 'leak', pa: Number(RTT), seq: destroy },
    ]);
    assert.deepEqual(brief(findLeaks(lab.rmm, [RD + 0x10n])), [{ kind: 'leak', pa: Number(RTT), seq: destroy }], 'any address inside a tracked granule counts');
    lab.ok(Fid.RMI_GRANULE_UNDELEGATE, RD);
    lab.ok(Fid.RMI_GRANULE_UNDELEGATE, RTT);
    assert.deepEqual(findLeaks(lab.rmm), []);
  });

  it('does not count granules an open 2.0 operation holds', () => {
    const m = new V2Machine();
    const realm = m.createRealm();
    const { rec, aux } = m.createRec(realm.rd, 0);
    assert.equal(m.call('RMI_REC_DESTROY', rec).status, Status.RMI_INCOMPLETE);
    assert.deepEqual(findLeaks(m.rmm), [], 'the REC (PARTIAL) and its aux wait for OP_MEM_RECLAIM');
    const got = m.reclaimAll(m.events[m.events.length - 1].ret[1], 16, Status.RMI_SUCCESS);
    assert.deepEqual(got.sort(), [...aux].sort());
    assert.deepEqual(findLeaks(m.rmm).map((f) => f.pa).sort((a, b) => a! - b!), [rec, ...aux].map(Number).sort((a, b) => a - b));
  });

  it('scans a 4 GiB machine', () => {
    const rmm = createRmm({ profile: '1.0', dram: [{ base: 0x8000_0000n, size: 0x1_0000_0000n }] });
    rmm.smc(BigInt(Fid.RMI_GRANULE_DELEGATE), 0x1_7fff_f000n);
    assert.deepEqual(brief(findLeaks(rmm)), [{ kind: 'leak', pa: 0x1_7fff_f000, seq: 1 }]);
  });
});

describe('misuse findings on trace events', () => {
  it('seed bug: the whole-range undelegate after a partial delegation names the never-delegated granule', () => {
    const m = new V2Machine({ faults: [{ command: DEL, afterGranules: 5, status: 'RMI_ERROR_INPUT' }] });
    const pgd = m.alloc(16, 16);
    const top = pgd + 16n * GRANULE;
    assert.equal(m.call(DEL, pgd, top).status, Status.RMI_ERROR_INPUT);
    const r = m.call(UNDEL, pgd, top); // v14's out_undelegate_tables
    assert.equal(r.check, 'gran_state');
    assert.deepEqual(brief(r.event.findings), [{ kind: 'undelegate-not-delegated', pa: Number(pgd) + 5 * 4096, seq: r.event.seq }]);
    assert.match(r.event.findings[0].message, /never delegated/);
    // The fixed error path undelegates [pgd, top_delegated) only: nothing to report.
    const fixed = new V2Machine({ faults: [{ command: DEL, afterGranules: 5, status: 'RMI_ERROR_INPUT' }] });
    const p2 = fixed.alloc(16, 16);
    const out = fixed.call(DEL, p2, p2 + 16n * GRANULE).x[1];
    const ok = fixed.call(UNDEL, p2, out);
    assert.equal(ok.status, Status.RMI_SUCCESS);
    assert.deepEqual(ok.event.findings, []);
    assert.deepEqual(findLeaks(fixed.rmm), []);
  });

  it('1.0 undelegate: never delegated, already undelegated, and in use are told apart', () => {
    const lab = new Lab({ profile: '1.0' });
    const never = lab.call(Fid.RMI_GRANULE_UNDELEGATE, pa(500));
    assert.deepEqual(brief(never.event.findings), [{ kind: 'undelegate-not-delegated', pa: Number(pa(500)), seq: never.event.seq }]);
    assert.match(never.event.findings[0].message, /never delegated/);
    lab.delegate(pa(501));
    const back = lab.ok(Fid.RMI_GRANULE_UNDELEGATE, pa(501)).event.seq;
    const twice = lab.call(Fid.RMI_GRANULE_UNDELEGATE, pa(501));
    assert.match(twice.event.findings[0].message, new RegExp(`already UNDELEGATED \\(since call #${back}\\)`));
    lab.createRealm();
    const inUse = lab.call(Fid.RMI_GRANULE_UNDELEGATE, RD);
    assert.equal(inUse.check, 'gran_state');
    assert.deepEqual(inUse.event.findings, [], 'undelegating an RD is refused but is not this misuse');
  });

  it('destroying live objects: a realm with a REC, an RTT with DATA, a running REC', () => {
    const lab = new Lab({ profile: '1.0' });
    lab.createRealm();
    lab.createRec(0);
    const realm = lab.call(Fid.RMI_REALM_DESTROY, RD);
    assert.equal(realm.check, 'realm_live');
    assert.deepEqual(brief(realm.event.findings), [{ kind: 'destroy-live', pa: Number(RD), seq: realm.event.seq }]);
    assert.match(realm.event.findings[0].message, /1 REC/);

    lab.delegate(pa(300), pa(301), pa(320));
    lab.ok(Fid.RMI_RTT_CREATE, RD, pa(300), 0n, 2n);
    lab.ok(Fid.RMI_RTT_CREATE, RD, pa(301), 0n, 3n);
    lab.ok(Fid.RMI_DATA_CREATE, RD, pa(320), 0n, pa(310), 0n);
    const rtt = lab.call(Fid.RMI_RTT_DESTROY, RD, 0n, 3n);
    assert.equal(rtt.check, 'rtt_live');
    assert.deepEqual(brief(rtt.event.findings), [{ kind: 'destroy-live', pa: Number(pa(301)), seq: rtt.event.seq }]);
    assert.match(rtt.event.findings[0].message, /1 ASSIGNED or TABLE entries remain/);

    lab.rmm.st.setRecRunning(recPa(0), true);
    const rec = lab.call(Fid.RMI_REC_DESTROY, recPa(0));
    assert.equal(rec.check, 'rec_state');
    assert.deepEqual(brief(rec.event.findings), [{ kind: 'destroy-live', pa: Number(recPa(0)), seq: rec.event.seq }]);
  });

  it('2.0: destroying a realm that was not terminated', () => {
    const m = new V2Machine();
    const realm = m.createRealm();
    const r = m.call('RMI_REALM_DESTROY', realm.rd);
    assert.equal(r.check, 'realm_state');
    assert.deepEqual(brief(r.event.findings), [{ kind: 'destroy-live', pa: Number(realm.rd), seq: r.event.seq }]);
    assert.match(r.event.findings[0].message, /not terminated/);
    m.ok('RMI_REALM_TERMINATE', realm.rd);
    const ok = m.ok('RMI_REALM_DESTROY', realm.rd);
    assert.deepEqual(ok.event.findings, []);
  });

  it('ordinary failures carry no findings', () => {
    const lab = new Lab({ profile: '1.0' });
    for (const o of [lab.call(Fid.RMI_GRANULE_DELEGATE, pa(1) + 8n), lab.call(Fid.RMI_REALM_DESTROY, pa(9)), lab.call(Fid.RMI_REC_DESTROY, pa(9))]) {
      assert.notEqual(o.status, Status.RMI_SUCCESS);
      assert.deepEqual(o.event.findings, []);
    }
  });
});
