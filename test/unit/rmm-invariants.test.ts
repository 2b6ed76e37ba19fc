import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, GranuleState, RttState, Status, checkInvariants, createRmm, INVARIANT_RULES, type InvariantRule, type TraceEvent } from '../../src/rmm';
import type { RmmState } from '../../src/rmm/state';
import { Lab, RD, pa, recPa } from './helpers/rmm-setup';
import { V2Machine, desc } from './helpers/v2-boot';

/** A 1.0 realm with a REC, level-2 and level-3 RTTs (pa 300, 301), DATA at pa 320/321, a spare DELEGATED pa 400. */
function richLab(): Lab {
  const lab = new Lab({ profile: '1.0' });
  lab.createRealm();
  lab.createRec(0);
  lab.delegate(pa(300), pa(301), pa(320), pa(321), pa(400));
  lab.ok(Fid.RMI_RTT_CREATE, RD, pa(300), 0n, 2n);
  lab.ok(Fid.RMI_RTT_CREATE, RD, pa(301), 0n, 3n);
  lab.ok(Fid.RMI_DATA_CREATE, RD, pa(320), 0n, pa(310), 0n);
  lab.ok(Fid.RMI_DATA_CREATE, RD, pa(321), 0x1000n, pa(310), 0n);
  return lab;
}

const rules = (st: RmmState): string[] => [...new Set(checkInvariants(st).map((f) => f.rule ?? '?'))].sort();

describe('invariants: consistent states', () => {
  it('hold on a fresh machine and through a 1.0 realm lifecycle', () => {
    assert.deepEqual(checkInvariants(createRmm({ profile: '1.0' }).st), []);
    const lab = richLab();
    assert.deepEqual(checkInvariants(lab.rmm.st), []);
    assert.equal(lab.call(Fid.RMI_RTT_FOLD, RD, 0n, 3n).check, 'rtt_homo'); // a failed call changes nothing
    lab.ok(Fid.RMI_DATA_DESTROY, RD, 0n);
    lab.ok(Fid.RMI_DATA_DESTROY, RD, 0x1000n);
    lab.ok(Fid.RMI_RTT_DESTROY, RD, 0n, 3n);
    lab.ok(Fid.RMI_RTT_DESTROY, RD, 0n, 2n);
    lab.ok(Fid.RMI_REC_DESTROY, recPa(0));
    assert.deepEqual(checkInvariants(lab.rmm.st), []);
    lab.ok(Fid.RMI_REALM_DESTROY, RD);
    assert.deepEqual(checkInvariants(lab.rmm.st), []);
  });

  it('hold with 2.0 stateful operations open (granules held by REC_CREATE and REC_DESTROY)', () => {
    const m = new V2Machine();
    const realm = m.createRealm();
    const { rec } = m.createRec(realm.rd, 0);
    assert.deepEqual(checkInvariants(m.rmm.st), []);
    // REC_DESTROY: the REC is PARTIAL and its aux granules wait to be reclaimed.
    assert.equal(m.call('RMI_REC_DESTROY', rec).status, Status.RMI_INCOMPLETE);
    assert.deepEqual(checkInvariants(m.rmm.st), []);
    // A second operation: REC_CREATE half-way through its donation.
    const rec1 = m.delegate(m.alloc());
    const params = m.alloc();
    m.writeRecParams(params, 1);
    const first = m.call('RMI_REC_CREATE', realm.rd, rec1, params);
    const aux = m.scatteredDelegated(4);
    const list = m.alloc();
    m.writeList(list, aux.map((p) => desc(p)));
    assert.equal(m.call('RMI_OP_MEM_DONATE', first.x[1], list, 4n).status, Status.RMI_INCOMPLETE);
    assert.equal(m.state(aux[0]), 'REC_AUX');
    assert.deepEqual(checkInvariants(m.rmm.st), []);
  });
});

describe('invariants: each one violated on a hand-corrupted state', () => {
  /** Corrupts a rich 1.0 state and returns the rules that fire. */
  function corrupt(fn: (st: RmmState, gi: (p: bigint) => number) => void): string[] {
    const lab = richLab();
    const st = lab.rmm.st;
    fn(st, (p) => st.granules.index(Number(p)));
    return rules(st);
  }
  const realmOf = (st: RmmState) => [...st.realms.values()][0];
  const recOf = (st: RmmState) => [...st.recs.values()][0];

  const cases: [InvariantRule, (st: RmmState, gi: (p: bigint) => number) => void][] = [
    ['granule_single_use', (st, gi) => recOf(st).aux.push(gi(pa(320)))],
    ['granule_state', (st, gi) => { st.granules.state[gi(RD)] = GranuleState.REC; }],
    ['granule_owner', (st, gi) => { st.granules.owner[gi(pa(301))] = -1; }],
    ['granule_unused', (st, gi) => st.granules.set(gi(pa(700)), GranuleState.RTT, gi(RD))],
    ['granule_free', (st, gi) => { st.granules.owner[gi(pa(400))] = gi(RD); }],
    ['refcount_zero', (st, gi) => { st.granules.refcount[gi(pa(320))] = 1; }],
    ['rtt_refcount', (st, gi) => { st.granules.refcount[gi(pa(301))] += 1; }],
    ['rtt_realm', (st, gi) => { (st.rtts.get(gi(pa(301))) as { realm: number }).realm = gi(pa(400)); }],
    ['rtt_table', (st, gi) => { st.rtts.get(gi(pa(300)))!.addr[0] = Number(pa(400)); }],
    ['data_mapping', (st, gi) => { st.rtts.get(gi(pa(301)))!.state[1] = RttState.UNASSIGNED; }],
    ['root_rtts', (st) => { realmOf(st).roots = []; }],
    ['rd_refcount', (st) => { realmOf(st).numRecs += 1; }],
    ['rec_refcount', (st) => { recOf(st).running = true; }],
    ['vmid', (st) => { st.vmids.add(77); }],
  ];

  it('covers every rule', () => {
    assert.deepEqual(cases.map(([r]) => r).sort(), Object.keys(INVARIANT_RULES).sort());
  });

  for (const [rule, fn] of cases) {
    it(`${rule}: ${INVARIANT_RULES[rule]}`, () => {
      assert.ok(corrupt(fn).includes(rule), `expected ${rule} among ${corrupt(fn).join(', ')}`);
    });
  }

  it('names the granule concerned', () => {
    const lab = richLab();
    const st = lab.rmm.st;
    st.granules.refcount[st.granules.index(Number(pa(301)))] = 7;
    const [f] = checkInvariants(st);
    assert.deepEqual({ kind: f.kind, rule: f.rule, pa: f.pa }, { kind: 'invariant', rule: 'rtt_refcount', pa: Number(pa(301)) });
    assert.match(f.message, /2 live entries but refcount 7/);
  });

  it('lists at most 64 findings and sums up the rest', () => {
    const rmm = createRmm({ profile: '1.0' });
    for (let i = 0; i < 100; i++) rmm.st.granules.owner[i] = 5;
    const found = checkInvariants(rmm.st);
    assert.equal(found.length, 65);
    assert.match(found[64].message, /36 more invariant violations/);
  });
});

describe('options.checkInvariants', () => {
  function traced(checkInvariants: boolean) {
    const rmm = createRmm({ profile: '1.0', options: { checkInvariants } });
    const events: TraceEvent[] = [];
    rmm.onTrace = (e) => events.push(e);
    return { rmm, events };
  }

  it('checks after every call and attaches what it finds to that call\'s trace event', () => {
    const { rmm, events } = traced(true);
    rmm.smc(BigInt(Fid.RMI_GRANULE_DELEGATE), 0x8000_0000n);
    assert.deepEqual(events[0].findings, []);
    rmm.st.vmids.add(9); // corruption between calls: the next call reports it
    rmm.smc(BigInt(Fid.RMI_GRANULE_UNDELEGATE), 0x8000_0000n);
    assert.deepEqual(events[1].findings.map((f) => [f.kind, f.rule, f.seq]), [['invariant', 'vmid', 2]]);
    rmm.st.vmids.delete(9);
    rmm.smc(BigInt(Fid.RMI_VERSION), 0x10000n);
    assert.deepEqual(events[2].findings, []);
  });

  it('is off by default', () => {
    const { rmm, events } = traced(false);
    rmm.st.vmids.add(9);
    rmm.smc(BigInt(Fid.RMI_GRANULE_DELEGATE), 0x8000_0000n);
    assert.deepEqual(events[0].findings, []);
    assert.equal(createRmm().st.options.checkInvariants, false);
  });
});
