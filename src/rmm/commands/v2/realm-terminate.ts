// RMI_REALM_TERMINATE (2.0, FID 0xC4000201; reference 5.9, 4.1; TF-RMM main runtime/rmi/realm.c):
// X1 rd. Moves the realm to REALM_ZOMBIE from any state (again from ZOMBIE too), unless one of its
// RECs is inside RMI_REC_ENTER on another CPU. From then on its RECs cannot run and only teardown
// is possible; 2.0 RMI_REALM_DESTROY requires it.
import { check, type Command } from '../../checks';
import { Fid, RealmState, Status } from '../../constants';
import type { RmmState } from '../../state';
import { num, rdArg } from '../common';

interface S {
  st: RmmState;
  rd: number;
}

export const REALM_TERMINATE: Command<S> = {
  name: 'RMI_REALM_TERMINATE',
  fid: Fid.RMI_REALM_TERMINATE,
  profiles: ['2.0'],
  checks: [
    ...rdArg<S>(),
    // Holds when rd is no RD ("fail closed"): the ordering keeps that case an RMI_ERROR_INPUT.
    check<S>('rec_running', Status.RMI_ERROR_REALM, (s) => (s.st.realmAt(s.rd)?.runningRecs ?? 1) !== 0, undefined,
      'a REC of the realm is running (inside RMI_REC_ENTER)'),
  ],
  orderings: [[['rd_bound', 'rd_state'], ['rec_running']]],
  scope: (st, x) => ({ st, rd: num(x[0]) }),
  touches: (s) => [s.rd],
  apply(s) {
    s.st.realmAt(s.rd)!.state = RealmState.ZOMBIE;
  },
};
