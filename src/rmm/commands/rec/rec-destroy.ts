// RMI_REC_DESTROY, 1.0 (spec B4.3.13; reference 5.12): return a REC that is not running, and its
// aux granules, to DELEGATED. Allowed in every realm state; the realm's rec_index is not given
// back (the next REC still needs the next MPIDR). The 2.0 SRO command lives in commands/v2.
import { check, type Command } from '../../checks';
import { Fid, GranuleState, Status } from '../../constants';
import type { Rec } from '../../objects';
import type { RmmState } from '../../state';
import { granuleArg, INPUT, num } from '../common';

interface S {
  st: RmmState;
  rec: number;
}

function recOf(s: S): Rec | undefined {
  const gi = s.st.gi(s.rec);
  return gi >= 0 && s.st.granules.state[gi] === GranuleState.REC ? s.st.recs.get(gi) : undefined;
}

export const REC_DESTROY_1_0: Command<S> = {
  name: 'RMI_REC_DESTROY',
  fid: Fid.RMI_REC_DESTROY,
  profiles: ['1.0'],
  checks: [
    ...granuleArg<S>('rec', (s) => s.rec, undefined, 'rec_ptr'),
    check<S>('rec_gran_state', INPUT, (s) => !recOf(s), undefined, 'rec_ptr granule is not REC'),
    // Counts as holding without a REC ("fail closed"): the ordering keeps that case an INPUT error.
    check<S>('rec_state', Status.RMI_ERROR_REC, (s) => recOf(s)?.running ?? true, undefined,
      'the REC is running on another CPU (REC_RUNNING)'),
  ],
  orderings: [[['rec_bound', 'rec_gran_state'], ['rec_state']]],
  scope: (st, x) => ({ st, rec: num(x[0]) }),
  touches: (s) => {
    const r = recOf(s);
    return [s.rec, ...(r ? r.aux.map((gi) => s.st.granules.pa(gi)) : [])];
  },
  apply(s) {
    const st = s.st;
    const g = st.granules;
    const rec = recOf(s)!;
    // Every path back to DELEGATED wipes (reference 3.1); the REC's realm state lives in the object.
    for (const gi of rec.aux) {
      st.memory.wipe(gi);
      g.set(gi, GranuleState.DELEGATED);
    }
    st.memory.wipe(rec.gi);
    g.set(rec.gi, GranuleState.DELEGATED);
    st.recs.delete(rec.gi);
    const realm = st.realms.get(rec.owner);
    if (realm) realm.numRecs -= 1;
    g.refcount[rec.owner] -= 1;
  },
};
