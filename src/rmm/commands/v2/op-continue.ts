// RMI_OP_CONTINUE (reference 1.2, 2.3; TF-RMM main runtime/rmi/sro.c): X1 handle, X2 flags.
// Moves an operation on when its last RMI_INCOMPLETE asked for no memory ([9:8] = 0): a REC_CREATE
// whose memory is all in runs its remaining checks and creates the REC (or starts a reclaim), and
// an operation whose memory is back with the host ends with its final status.
import type { Command } from '../../checks';
import { Fid } from '../../constants';
import type { RmmState } from '../../state';
import { completeRecCreate } from './rec-create-complete';
import { finishSro, handleChecks, sroOf, type HandleScope } from './sro';

interface S extends HandleScope {
  st: RmmState;
}

export const OP_CONTINUE: Command<S> = {
  name: 'RMI_OP_CONTINUE',
  fid: Fid.RMI_OP_CONTINUE,
  profiles: ['2.0'],
  checks: handleChecks<S>('RMI_OP_CONTINUE'),
  orderings: [[['handle_valid'], ['sro_expected']]],
  // Flags bit 0 ("stop") changes nothing for the operations modelled (TF-RMM ignores it for RECs).
  scope: (st, x) => ({ st, ctx: sroOf(st, x[0]) }),
  touches: (s) => (s.ctx ? [s.st.granules.pa(s.ctx.obj)] : []),
  apply(s) {
    const ctx = s.ctx!;
    return ctx.next === 'complete' ? completeRecCreate(s.st, ctx) : finishSro(s.st, ctx);
  },
};
