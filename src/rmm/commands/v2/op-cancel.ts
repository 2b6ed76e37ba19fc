// RMI_OP_CANCEL (reference 1.2, 2.3; TF-RMM main runtime/rmi/sro.c): X1 handle. Only an operation
// whose last RMI_INCOMPLETE set can-cancel (X0 bit 10) may be cancelled; REC_CREATE and
// REC_DESTROY never set it (TF-RMM), so for them the answer is RMI_ERROR_INPUT and the operation
// goes on unchanged. A cancelled operation gives its memory back like a failed one and then ends
// with RMI_SUCCESS, its object granule DELEGATED (UNCONFIRMED: no source says what status ends it).
import { check, type Command } from '../../checks';
import { Fid } from '../../constants';
import type { RmmState } from '../../state';
import { INPUT } from '../common';
import { handleChecks, sroOf, startReclaim, type HandleScope } from './sro';

interface S extends HandleScope {
  st: RmmState;
}

export const OP_CANCEL: Command<S> = {
  name: 'RMI_OP_CANCEL',
  fid: Fid.RMI_OP_CANCEL,
  profiles: ['2.0'],
  checks: [
    ...handleChecks<S>(undefined),
    check<S>('can_cancel', INPUT, (s) => !!s.ctx && !s.ctx.canCancel, undefined, 'the operation cannot be cancelled (its RMI_INCOMPLETE left X0 bit 10 clear)'),
  ],
  orderings: [[['handle_valid'], ['can_cancel']]],
  scope: (st, x) => ({ st, ctx: sroOf(st, x[0]) }),
  touches: (s) => (s.ctx ? [s.st.granules.pa(s.ctx.obj)] : []),
  apply(s) {
    return startReclaim(s.ctx!, undefined, 'sro_reclaim');
  },
};
