// RMI_OP_MEM_RECLAIM (reference 1.2, 2.3; TF-RMM main runtime/rmi/sro.c, lib/sro_context/src/sro_aux.c):
// X1 handle, X2 PA of an output list in NS memory, X3 its capacity in entries. Gives back up to
// `capacity` of the granules an operation holds (REC_AUX -> DELEGATED, wiped: the host must still
// undelegate them), writing them as RmiAddrRangeDesc entries (4 KB blocks, state DELEGATED,
// neighbours merged). Out: X1 entries written. RMI_INCOMPLETE asks for another reclaim while
// granules remain, then for RMI_OP_CONTINUE, which ends the operation.
import { check, type Command, type Outcome } from '../../checks';
import { Fid, GranuleState } from '../../constants';
import type { RmmState } from '../../state';
import { INPUT, num } from '../common';
import { DESC_MEM_DELEGATED, listAligned, listCapacity, listInNsMemory, RangeList, writeDescs } from './addr-range-desc';
import { handleChecks, incomplete, MemReq, sroOf, type HandleScope } from './sro';

interface S extends HandleScope {
  st: RmmState;
  listPa: number;
  capacity: number;
}

export const OP_MEM_RECLAIM: Command<S> = {
  name: 'RMI_OP_MEM_RECLAIM',
  fid: Fid.RMI_OP_MEM_RECLAIM,
  profiles: ['2.0'],
  checks: [
    ...handleChecks<S>('RMI_OP_MEM_RECLAIM'),
    check<S>('list_align', INPUT, (s) => !listAligned(s.listPa), undefined, 'the list PA is not 8-byte aligned'),
    // TF-RMM finds a bad output list only after it has reclaimed; here it is refused first, so
    // the granules are never lost between the RMM and the host.
    check<S>('list_pas', INPUT, (s) => s.capacity > 0 && listAligned(s.listPa) && !listInNsMemory(s.st, s.listPa), undefined,
      'the output list is not in Non-secure memory'),
  ],
  orderings: [[['handle_valid'], ['sro_expected']]],
  // TF-RMM looks at the list's alignment before it asks whether a reclaim is what the operation waits for.
  tfRmmOrder: ['handle_valid', 'list_align', 'sro_expected', 'list_pas'],
  scope: (st, x) => ({ st, ctx: sroOf(st, x[0]), listPa: num(x[1]), capacity: listCapacity(num(x[1]), num(x[2])) }),
  touches: (s) => (s.ctx ? s.ctx.held.map((gi) => s.st.granules.pa(gi)) : []),
  apply(s, call): Outcome {
    const st = s.st;
    const g = st.granules;
    const ctx = s.ctx!;
    // A zero capacity moves nothing; the request stands (TF-RMM).
    if (s.capacity === 0) return incomplete(MemReq.RECLAIM, ctx.canCancel, 'sro_reclaim');
    const list = new RangeList(s.capacity);
    const taken = ctx.held.splice(0, Math.min(ctx.held.length, s.capacity));
    for (const gi of taken) {
      st.memory.wipe(gi);
      g.set(gi, GranuleState.DELEGATED);
      list.add(g.pa(gi), 3, DESC_MEM_DELEGATED);
    }
    writeDescs(st, s.listPa, list.descs);
    call.out[0] = BigInt(list.descs.length);
    if (ctx.held.length > 0) return incomplete(MemReq.RECLAIM, ctx.canCancel, 'sro_reclaim');
    ctx.expect = 'RMI_OP_CONTINUE';
    return incomplete(MemReq.NONE, ctx.canCancel, 'sro_continue');
  },
};
