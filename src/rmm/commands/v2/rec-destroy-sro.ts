// RMI_REC_DESTROY, 2.0 (reference 5.12, 3.3; TF-RMM main runtime/rmi/rec.c): a stateful
// operation that hands the REC's auxiliary granules back. The first call takes the REC out of
// service at once (REC -> PARTIAL, realm num_recs - 1, RD refcount - 1, as TF-RMM does before it
// returns) and answers RMI_INCOMPLETE with a reclaim request and X1 = handle; the host collects
// the granules (DELEGATED again) with RMI_OP_MEM_RECLAIM, then RMI_OP_CONTINUE returns the REC
// granule to DELEGATED and the command ends with RMI_SUCCESS. Not cancellable.
import { check, type Command } from '../../checks';
import { Fid, GranuleState, Status } from '../../constants';
import type { Rec } from '../../objects';
import type { RmmState } from '../../state';
import { granuleArg, INPUT, num } from '../common';
import { openSro, sroCtxCheck, startReclaim } from './sro';

interface S {
  st: RmmState;
  rec: number;
}

function recOf(s: S): Rec | undefined {
  const gi = s.st.gi(s.rec);
  return gi >= 0 && s.st.granules.state[gi] === GranuleState.REC ? s.st.recs.get(gi) : undefined;
}

export const REC_DESTROY_2_0: Command<S> = {
  name: 'RMI_REC_DESTROY',
  fid: Fid.RMI_REC_DESTROY,
  profiles: ['2.0'],
  checks: [
    ...granuleArg<S>('rec', (s) => s.rec, undefined, 'rec_ptr'),
    check<S>('rec_gran_state', INPUT, (s) => !recOf(s), undefined, 'rec_ptr granule is not REC'),
    // Counts as holding without a REC ("fail closed"): the ordering keeps that case an INPUT error.
    check<S>('rec_state', Status.RMI_ERROR_REC, (s) => recOf(s)?.running ?? true, undefined,
      'the REC is running on another CPU (REC_RUNNING)'),
    sroCtxCheck<S>(),
  ],
  orderings: [[['rec_bound', 'rec_gran_state'], ['rec_state']]],
  // TF-RMM reserves the operation context before it looks at the REC.
  tfRmmOrder: ['sro_ctx', 'rec_align', 'rec_bound', 'rec_gran_state', 'rec_state'],
  scope: (st, x) => ({ st, rec: num(x[0]) }),
  touches: (s) => {
    const r = recOf(s);
    return [s.rec, ...(r ? r.aux.map((gi) => s.st.granules.pa(gi)) : [])];
  },
  apply(s, ctx) {
    const st = s.st;
    const rec = recOf(s)!;
    st.granules.set(rec.gi, GranuleState.PARTIAL, rec.owner);
    st.recs.delete(rec.gi);
    const realm = st.realms.get(rec.owner);
    if (realm) realm.numRecs -= 1;
    st.granules.refcount[rec.owner] -= 1;
    const sro = openSro(st, {
      command: 'RMI_REC_DESTROY', expect: 'RMI_OP_MEM_RECLAIM', next: 'finish', canCancel: false,
      obj: rec.gi, rdPa: st.granules.pa(rec.owner), paramsPa: 0, wanted: 0, held: [...rec.aux],
    });
    ctx.out[0] = BigInt(sro.handle);
    return startReclaim(sro, undefined, 'sro_reclaim');
  },
};
