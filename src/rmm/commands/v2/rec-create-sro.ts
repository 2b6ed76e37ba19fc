// RMI_REC_CREATE, 2.0 (reference 5.11, 2.3, 3.3; TF-RMM main runtime/rmi/rec.c): a stateful
// operation. The first call only claims the REC granule (DELEGATED -> PARTIAL) and asks the host
// for the auxiliary memory the 1.0 host passed in aux[]: RMI_INCOMPLETE with a donate request for
// options.recAuxCount single DELEGATED 4 KB granules, not contiguous, not cancellable; X1 = handle.
// The host donates with RMI_OP_MEM_DONATE (op-mem-donate.ts), then RMI_OP_CONTINUE runs the
// remaining checks and creates the REC (rec-create-complete.ts), or hands the memory back.
import type { Command } from '../../checks';
import { Fid, GranuleState } from '../../constants';
import type { RmmState } from '../../state';
import { granuleArg, num } from '../common';
import { donateRequest, incomplete, MemReq, openSro, sroCtxCheck } from './sro';

interface S {
  st: RmmState;
  rd: number;
  rec: number;
  paramsPa: number;
}

export const REC_CREATE_2_0: Command<S> = {
  name: 'RMI_REC_CREATE',
  fid: Fid.RMI_REC_CREATE,
  profiles: ['2.0'],
  // rd, params and the realm are checked only once the memory is in (RMI_OP_CONTINUE), as TF-RMM does.
  checks: [...granuleArg<S>('rec', (s) => s.rec, GranuleState.DELEGATED, 'rec'), sroCtxCheck<S>()],
  orderings: [],
  scope: (st, x) => ({ st, rd: num(x[0]), rec: num(x[1]), paramsPa: num(x[2]) }),
  touches: (s) => [s.rd, s.rec, s.paramsPa],
  apply(s, ctx) {
    const st = s.st;
    const gi = st.granules.index(s.rec);
    const wanted = st.options.recAuxCount;
    st.granules.set(gi, GranuleState.PARTIAL);
    const sro = openSro(st, {
      command: 'RMI_REC_CREATE', expect: wanted > 0 ? 'RMI_OP_MEM_DONATE' : 'RMI_OP_CONTINUE', next: 'complete',
      canCancel: false, obj: gi, rdPa: s.rd, paramsPa: s.paramsPa, wanted, held: [],
    });
    ctx.out[0] = BigInt(sro.handle);
    if (wanted === 0) return incomplete(MemReq.NONE, false, 'sro_continue');
    ctx.out[1] = donateRequest(wanted);
    return incomplete(MemReq.DONATE, false, 'sro_donate');
  },
};
