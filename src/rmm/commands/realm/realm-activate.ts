// RMI_REALM_ACTIVATE (spec B4.3.8; reference 5.7): REALM_NEW -> REALM_ACTIVE. From now on its RECs
// can run, and the RIM is final: every RIM-extending command requires REALM_NEW.
import { check, type Command } from '../../checks';
import { Fid, RealmState, Status } from '../../constants';
import type { RmmState } from '../../state';
import { num, rdArg } from '../common';

interface S {
  st: RmmState;
  rd: number;
}

export const REALM_ACTIVATE: Command<S> = {
  name: 'RMI_REALM_ACTIVATE',
  fid: Fid.RMI_REALM_ACTIVATE,
  profiles: ['1.0', '2.0'],
  checks: [
    ...rdArg<S>(),
    // Holds when rd is no RD ("fail closed"): the ordering keeps that case an RMI_ERROR_INPUT.
    check<S>('realm_state', Status.RMI_ERROR_REALM, (s) => s.st.realmAt(s.rd)?.state !== RealmState.NEW, undefined,
      'the realm is not REALM_NEW (already active, off or terminated)'),
  ],
  orderings: [[['rd_bound', 'rd_state'], ['realm_state']]],
  scope: (st, x) => ({ st, rd: num(x[0]) }),
  touches: (s) => [s.rd],
  apply(s) {
    s.st.realmAt(s.rd)!.state = RealmState.ACTIVE;
  },
};
