import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, RealmState, RttState, Status } from '../../src/rmm';
import { ORDERS, OUTSIDE, PARAMS, RD, RD2, RTT, RTT2, Lab, expectFailure, pa, recPa } from './helpers/rmm-setup';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_REALM: REALM } = Status;
const PROFILES = ['1.0', '2.0'] as const;
const L2_RTT = pa(48);

/** Makes a root RTT entry live, as folding a level-1 block mapping (ASSIGNED) would. */
function makeRootLive(lab: Lab, state: number): void {
  const root = lab.rmm.st.rtts.get(lab.gi(RTT))!;
  root.state[0] = state;
  lab.rmm.st.addRef(root.gi, 1);
}

/** 2.0: the state RMI_REALM_TERMINATE leaves a realm in. */
function terminate(lab: Lab, rd = RD): void {
  lab.realm(rd).state = RealmState.ZOMBIE;
}

describe('RMI_REALM_ACTIVATE', () => {
  for (const profile of PROFILES) {
    describe(`profile ${profile}`, () => {
      const cases: { name: string; status: number; rd: (lab: Lab) => bigint }[] = [
        { name: 'rd_align', status: INPUT, rd: () => RD + 8n },
        { name: 'rd_bound', status: INPUT, rd: () => OUTSIDE },
        { name: 'rd_state', status: INPUT, rd: () => RTT },
        { name: 'realm_state', status: REALM, rd: (lab) => (lab.ok(Fid.RMI_REALM_ACTIVATE, RD), RD) },
      ];
      for (const c of cases) {
        it(`fails ${c.name} alone and changes nothing`, () => {
          const lab = new Lab({ profile });
          lab.createRealm();
          const rd = c.rd(lab);
          const before = lab.fingerprint();
          expectFailure(lab.call(Fid.RMI_REALM_ACTIVATE, rd), c.status, c.name);
          assert.equal(lab.fingerprint(), before);
        });
      }

      for (const checkOrder of ORDERS) {
        it(`[rd_bound, rd_state] < [realm_state] with check order ${checkOrder}`, () => {
          // An RTT granule is no RD: realm_state ("not REALM_NEW") holds too, yet INPUT must win.
          const lab = new Lab({ profile, options: { checkOrder } });
          lab.createRealm();
          lab.ok(Fid.RMI_REALM_ACTIVATE, RD);
          expectFailure(lab.call(Fid.RMI_REALM_ACTIVATE, RTT), INPUT, 'rd_state');
          expectFailure(lab.call(Fid.RMI_REALM_ACTIVATE, OUTSIDE), INPUT, 'rd_bound');
        });
      }

      it('moves the realm to REALM_ACTIVE and freezes the RIM', () => {
        const lab = new Lab({ profile });
        lab.createRealm();
        const rim = lab.realm().measurements[0].slice();
        const o = lab.ok(Fid.RMI_REALM_ACTIVATE, RD);
        assert.equal(lab.realm().state, RealmState.ACTIVE);
        assert.deepEqual(o.event.changes, []);
        assert.deepEqual(lab.realm().measurements[0], rim);
      });
    });
  }
});

describe('RMI_REALM_DESTROY (1.0)', () => {
  const cases: { name: string; status: number; setup: (lab: Lab) => bigint }[] = [
    { name: 'rd_align', status: INPUT, setup: () => RD + 0x800n },
    { name: 'rd_bound', status: INPUT, setup: () => OUTSIDE },
    { name: 'rd_state', status: INPUT, setup: () => RTT },
    { name: 'realm_live', status: REALM, setup: (lab) => (lab.createRec(0), RD) },
  ];
  for (const c of cases) {
    it(`fails ${c.name} alone and changes nothing`, () => {
      const lab = new Lab();
      lab.createRealm();
      const rd = c.setup(lab);
      const before = lab.fingerprint();
      expectFailure(lab.call(Fid.RMI_REALM_DESTROY, rd), c.status, c.name);
      assert.equal(lab.fingerprint(), before);
    });
  }

  for (const checkOrder of ORDERS) {
    it(`[rd_bound, rd_state] < [realm_live] with check order ${checkOrder}`, () => {
      // The realm is live (a REC) and the call names its REC instead of its RD.
      const lab = new Lab({ options: { checkOrder } });
      lab.createRealm();
      lab.createRec(0);
      expectFailure(lab.call(Fid.RMI_REALM_DESTROY, recPa(0)), INPUT, 'rd_state');
      expectFailure(lab.call(Fid.RMI_REALM_DESTROY, OUTSIDE), INPUT, 'rd_bound');
    });
  }

  it('returns the RD and the root RTTs to DELEGATED, deletes the realm and frees its VMID', () => {
    const lab = new Lab();
    lab.createRealm(RD, RTT, { vmid: 7n });
    const o = lab.ok(Fid.RMI_REALM_DESTROY, RD);
    assert.equal(lab.state(RD), 'DELEGATED');
    assert.equal(lab.state(RTT), 'DELEGATED');
    assert.deepEqual(o.event.changes.map((c) => c.pa), [Number(RTT), Number(RD)]);
    assert.equal(lab.rmm.st.realms.size, 0);
    assert.equal(lab.rmm.st.rtts.size, 0);
    assert.equal(lab.rmm.st.vmids.has(7), false);
    // The RD is gone: commands naming it now fail rd_state.
    expectFailure(lab.call(Fid.RMI_REALM_ACTIVATE, RD), INPUT, 'rd_state');
  });

  it('can destroy an ACTIVE realm once it is no longer live', () => {
    const lab = new Lab();
    lab.createRealm();
    lab.createRec(0);
    lab.ok(Fid.RMI_REALM_ACTIVATE, RD);
    lab.ok(Fid.RMI_REC_DESTROY, recPa(0));
    lab.ok(Fid.RMI_REALM_DESTROY, RD);
  });
});

describe('RMI_REALM_DESTROY (2.0)', () => {
  it('fails realm_state (not REALM_ZOMBIE) alone and changes nothing', () => {
    const lab = new Lab({ profile: '2.0' });
    lab.createRealm();
    const before = lab.fingerprint();
    expectFailure(lab.call(Fid.RMI_REALM_DESTROY, RD), REALM, 'realm_state');
    assert.equal(lab.fingerprint(), before);
  });

  it('fails realm_live alone for a terminated realm that still has a REC', () => {
    const lab = new Lab({ profile: '2.0' });
    lab.createRealm();
    lab.installRec(0);
    terminate(lab);
    expectFailure(lab.call(Fid.RMI_REALM_DESTROY, RD), REALM, 'realm_live');
  });

  it('reports realm_state before realm_live in spec order, realm_live first in TF-RMM order', () => {
    for (const [checkOrder, check] of [['spec', 'realm_state'], ['tf-rmm', 'realm_live']] as const) {
      const lab = new Lab({ profile: '2.0', options: { checkOrder } });
      lab.createRealm();
      lab.installRec(0);
      expectFailure(lab.call(Fid.RMI_REALM_DESTROY, RD), REALM, check);
    }
  });

  for (const checkOrder of ORDERS) {
    it(`[rd_bound, rd_state] < [realm_state, realm_live] with check order ${checkOrder}`, () => {
      const lab = new Lab({ profile: '2.0', options: { checkOrder } });
      lab.createRealm();
      lab.installRec(0);
      expectFailure(lab.call(Fid.RMI_REALM_DESTROY, recPa(0)), INPUT, 'rd_state');
    });
  }

  it('destroys a terminated realm and gives its RMM-allocated VMID back', () => {
    const lab = new Lab({ profile: '2.0', options: { vmidCount: 1 } });
    lab.createRealm();
    lab.delegate(RD2, RTT2);
    lab.writeRealmParams(PARAMS, { rttBase: RTT2 });
    expectFailure(lab.call(Fid.RMI_REALM_CREATE, RD2, PARAMS), Status.RMI_ERROR_GLOBAL, 'vmid_alloc');
    terminate(lab);
    lab.ok(Fid.RMI_REALM_DESTROY, RD);
    assert.equal(lab.state(RD), 'DELEGATED');
    assert.equal(lab.state(RTT), 'DELEGATED');
    lab.ok(Fid.RMI_REALM_CREATE, RD2, PARAMS);
  });
});

describe('classic host bugs around realm teardown (reference section 8)', () => {
  it('#4 undelegating the RD or a root RTT of a live realm fails gran_state; after REALM_DESTROY it works', () => {
    const lab = new Lab();
    lab.createRealm();
    expectFailure(lab.call(Fid.RMI_GRANULE_UNDELEGATE, RD), INPUT, 'gran_state');
    expectFailure(lab.call(Fid.RMI_GRANULE_UNDELEGATE, RTT), INPUT, 'gran_state');
    lab.ok(Fid.RMI_REALM_DESTROY, RD);
    lab.ok(Fid.RMI_GRANULE_UNDELEGATE, RD);
    lab.ok(Fid.RMI_GRANULE_UNDELEGATE, RTT);
    assert.equal(lab.state(RD), 'UNDELEGATED');
  });

  it('#5 REALM_DESTROY while a level-2 RTT hangs below the root fails realm_live; RTT_DESTROY first, then it works', () => {
    const lab = new Lab();
    lab.createRealm();
    lab.delegate(L2_RTT);
    lab.ok(Fid.RMI_RTT_CREATE, RD, L2_RTT, 0n, 2n);
    const before = lab.fingerprint();
    expectFailure(lab.call(Fid.RMI_REALM_DESTROY, RD), REALM, 'realm_live');
    assert.equal(lab.fingerprint(), before);
    lab.ok(Fid.RMI_RTT_DESTROY, RD, 0n, 2n);
    lab.ok(Fid.RMI_REALM_DESTROY, RD);
  });

  it('#5 REALM_DESTROY while a root RTT holds a block mapping (ASSIGNED) fails realm_live', () => {
    const lab = new Lab();
    lab.createRealm();
    makeRootLive(lab, RttState.ASSIGNED);
    const before = lab.fingerprint();
    expectFailure(lab.call(Fid.RMI_REALM_DESTROY, RD), REALM, 'realm_live');
    assert.equal(lab.fingerprint(), before);
  });

  it('#5 REALM_DESTROY before the RECs are destroyed fails realm_live (1.0)', () => {
    const lab = new Lab();
    lab.createRealm();
    lab.createRec(0);
    lab.createRec(1);
    lab.ok(Fid.RMI_REC_DESTROY, recPa(0));
    expectFailure(lab.call(Fid.RMI_REALM_DESTROY, RD), REALM, 'realm_live');
    lab.ok(Fid.RMI_REC_DESTROY, recPa(1));
    lab.ok(Fid.RMI_REALM_DESTROY, RD);
  });

  it('#5 2.0: REALM_DESTROY without REALM_TERMINATE fails even for an empty realm', () => {
    const lab = new Lab({ profile: '2.0' });
    lab.createRealm();
    expectFailure(lab.call(Fid.RMI_REALM_DESTROY, RD), REALM, 'realm_state');
    terminate(lab);
    lab.ok(Fid.RMI_REALM_DESTROY, RD);
  });

  it('#20 1.0: a VMID in use cannot be chosen again; after REALM_DESTROY it can', () => {
    const lab = new Lab();
    lab.createRealm(RD, RTT, { vmid: 5n });
    lab.delegate(RD2, RTT2);
    lab.writeRealmParams(PARAMS, { rttBase: RTT2, vmid: 5n });
    expectFailure(lab.call(Fid.RMI_REALM_CREATE, RD2, PARAMS), INPUT, 'vmid_valid');
    lab.ok(Fid.RMI_REALM_DESTROY, RD);
    lab.ok(Fid.RMI_REALM_CREATE, RD2, PARAMS);
    assert.equal(lab.realm(RD2).vmid, 5);
  });
});
