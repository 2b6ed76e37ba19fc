// RMI_REALM_TERMINATE (2.0; reference 5.9, 4.1): any realm state -> REALM_ZOMBIE unless a REC
// is running; afterwards the realm cannot run or grow, and only teardown is possible.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RealmState, Status } from '../../src/rmm';
import { OUTSIDE, V2Machine, desc, expectFailure } from './helpers/v2-boot';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_REALM: REALM } = Status;

describe('RMI_REALM_TERMINATE', () => {
  for (const from of ['NEW', 'ACTIVE', 'ZOMBIE'] as const) {
    it(`moves a REALM_${from} realm to REALM_ZOMBIE`, () => {
      const m = new V2Machine();
      const { rd } = m.createRealm();
      if (from !== 'NEW') m.ok('RMI_REALM_ACTIVATE', rd);
      if (from === 'ZOMBIE') m.ok('RMI_REALM_TERMINATE', rd);
      const r = m.ok('RMI_REALM_TERMINATE', rd);
      assert.equal(m.realm(rd).state, RealmState.ZOMBIE);
      assert.deepEqual(r.event.changes, [], 'no granule changes');
    });
  }

  it('fails rd_align, rd_bound and rd_state with RMI_ERROR_INPUT', () => {
    const m = new V2Machine();
    const { rd, rtts } = m.createRealm();
    const before = m.fingerprint();
    expectFailure(m.call('RMI_REALM_TERMINATE', rd + 8n), INPUT, 'rd_align');
    expectFailure(m.call('RMI_REALM_TERMINATE', OUTSIDE), INPUT, 'rd_bound');
    // An RTT granule is no RD: rec_running ("fail closed") holds too, yet INPUT wins.
    expectFailure(m.call('RMI_REALM_TERMINATE', rtts[0]), INPUT, 'rd_state');
    assert.equal(m.fingerprint(), before);
  });

  it('fails with RMI_ERROR_REALM while a REC of the realm is running, and succeeds once it has left', () => {
    const m = new V2Machine();
    const { rd } = m.createRealm();
    const { rec } = m.createRec(rd, 0);
    m.ok('RMI_REALM_ACTIVATE', rd);
    m.rmm.st.setRecRunning(rec, true);
    expectFailure(m.call('RMI_REALM_TERMINATE', rd), REALM, 'rec_running');
    assert.equal(m.realm(rd).state, RealmState.ACTIVE);
    m.rmm.st.setRecRunning(rec, false);
    m.ok('RMI_REALM_TERMINATE', rd);
  });

  it('a terminated realm cannot run its RECs, map memory or create RECs', () => {
    const m = new V2Machine();
    const { rd } = m.createRealm();
    const { rec } = m.createRec(rd, 0);
    m.ok('RMI_REALM_ACTIVATE', rd);
    m.ok('RMI_REALM_TERMINATE', rd);
    const run = m.alloc();
    expectFailure(m.call('RMI_REC_ENTER', rec, run), REALM, 'realm_zombie');
    const data = m.delegate(m.alloc());
    expectFailure(m.call('RMI_RTT_DATA_MAP', rd, 0n, 0x1000n, 1n, desc(data)), REALM, 'realm_state');
    // REC_CREATE notices only once its memory is in: the realm is not NEW.
    assert.deepEqual(m.createRecExpectingFailure(rd, 1), { status: REALM, check: 'realm_state' });
  });

  it('is what 2.0 RMI_REALM_DESTROY needs first', () => {
    const m = new V2Machine();
    const { rd, rtts } = m.createRealm();
    expectFailure(m.call('RMI_REALM_DESTROY', rd), REALM, 'realm_state');
    m.ok('RMI_REALM_TERMINATE', rd);
    m.ok('RMI_REALM_DESTROY', rd);
    assert.deepEqual([m.state(rd), m.state(rtts[0])], ['DELEGATED', 'DELEGATED']);
  });
});
