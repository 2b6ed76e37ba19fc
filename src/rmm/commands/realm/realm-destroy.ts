// RMI_REALM_DESTROY (spec B4.3.10; reference 5.8): destroy a realm that is not live, returning its
// RD and starting-level RTTs to DELEGATED (the host must still undelegate them) and freeing its
// VMID. 2.0 (TF-RMM main): the realm must first have been terminated (REALM_ZOMBIE).
import { check, type Check, type Command } from '../../checks';
import { Fid, GranuleState, RealmState, Status, type Profile } from '../../constants';
import type { Realm } from '../../objects';
import type { RmmState } from '../../state';
import { num, rdArg } from '../common';

interface S {
  st: RmmState;
  rd: number;
}

const REALM = Status.RMI_ERROR_REALM;

/**
 * Spec RealmIsLive (A2.1.4): the realm owns RECs, or a starting-level RTT is live (has an
 * ASSIGNED or TABLE entry; DATA mapped below a root implies a TABLE entry in it).
 */
export function realmIsLive(st: RmmState, realm: Realm): boolean {
  if (realm.numRecs !== 0) return true;
  return realm.roots.some((gi) => (st.rtts.get(gi)?.liveEntries() ?? 0) > 0);
}

function checks(profile: Profile): Check<S>[] {
  const list: Check<S>[] = [...rdArg<S>()];
  // Without an RD these hold ("fail closed"): the orderings keep that case an RMI_ERROR_INPUT.
  if (profile === '2.0') {
    list.push(check<S>('realm_state', REALM, (s) => s.st.realmAt(s.rd)?.state !== RealmState.ZOMBIE, undefined,
      'the realm was not terminated (RMI_REALM_TERMINATE) first'));
  }
  list.push(check<S>('realm_live', REALM, (s) => {
    const realm = s.st.realmAt(s.rd);
    return !realm || realmIsLive(s.st, realm);
  }, undefined, 'the realm is live: it still has RECs, or RTTs / DATA below its starting-level RTTs'));
  return list;
}

function apply(s: S): void {
  const st = s.st;
  const g = st.granules;
  const realm = st.realmAt(s.rd)!;
  // TF-RMM frees the starting-level RTTs first, then the RD. Every way back to DELEGATED wipes.
  for (const gi of realm.roots) {
    st.rtts.delete(gi);
    st.memory.wipe(gi);
    g.set(gi, GranuleState.DELEGATED);
  }
  st.vmids.delete(realm.vmid);
  st.realms.delete(realm.rd);
  st.memory.wipe(realm.rd);
  g.set(realm.rd, GranuleState.DELEGATED);
}

function command(profile: Profile): Command<S> {
  return {
    name: 'RMI_REALM_DESTROY',
    fid: Fid.RMI_REALM_DESTROY,
    profiles: [profile],
    checks: checks(profile),
    orderings: [[['rd_bound', 'rd_state'], profile === '2.0' ? ['realm_state', 'realm_live'] : ['realm_live']]],
    // TF-RMM main: the RD's refcount (its RECs) is checked before the ZOMBIE state, the root RTTs
    // after it; one realm_live check cannot sit on both sides, so it goes first.
    tfRmmOrder: profile === '2.0' ? ['rd_align', 'rd_bound', 'rd_state', 'realm_live', 'realm_state'] : undefined,
    scope: (st, x) => ({ st, rd: num(x[0]) }),
    touches: (s) => {
      const realm = s.st.realmAt(s.rd);
      return [s.rd, ...(realm ? realm.roots.map((gi) => s.st.granules.pa(gi)) : [])];
    },
    apply,
  };
}

export const REALM_DESTROY_1_0 = command('1.0');
export const REALM_DESTROY_2_0 = command('2.0');
