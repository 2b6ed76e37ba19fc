// RMI_OP_MEM_DONATE (reference 1.2, 2.3; TF-RMM main runtime/rmi/sro.c, lib/sro_context/src/sro_aux.c):
// X1 handle, X2 PA of an RMI address list in NS memory, X3 entry count. Hands granules to an
// operation whose RMI_INCOMPLETE asked for memory. Out: X1 granules consumed, X2 the remaining
// donate request. Each donated granule goes DELEGATED -> REC_AUX; the list may be given in
// several calls. A granule that is not DELEGATED stops the donation there, except when it is the
// first of the call: then the whole operation fails and its memory is reclaimed (TF-RMM).
import { check, type Command, type Outcome } from '../../checks';
import { Fid, GRANULE_SIZE, GranuleState } from '../../constants';
import { levelSize } from '../../rtt';
import type { RmmState } from '../../state';
import { INPUT, num } from '../common';
import {
  blockSize, blocksOf, decodeDesc, DESC_MEM_DELEGATED, listAligned, listCapacity, listInNsMemory, readDescs, type RangeDesc,
} from './addr-range-desc';
import { donateRequest, handleChecks, incomplete, MemReq, sroOf, startReclaim, type HandleScope } from './sro';

interface S extends HandleScope {
  st: RmmState;
  listPa: number;
  count: number;
  descs_?: RangeDesc[];
}

/** The list entries, read once the list is known to be readable host memory. */
function descs(s: S): RangeDesc[] {
  return (s.descs_ ??= readDescs(s.st, s.listPa, listCapacity(s.listPa, s.count)).map(decodeDesc));
}

const readable = (s: S): boolean => listAligned(s.listPa) && listInNsMemory(s.st, s.listPa);

/** addr_list_validate: every non-empty entry aligned to its block size and in the requested state. */
function listInvalid(s: S): boolean {
  if (!readable(s)) return false;
  return descs(s).some((d) => d.count > 0 && (d.addr % blockSize(d) !== 0 || d.state !== DESC_MEM_DELEGATED));
}

function listTooBig(s: S): boolean {
  if (!readable(s) || !s.ctx) return false;
  const bytes = descs(s).reduce((n, d) => n + d.count * blockSize(d), 0);
  return bytes > s.ctx.wanted * GRANULE_SIZE;
}

export const OP_MEM_DONATE: Command<S> = {
  name: 'RMI_OP_MEM_DONATE',
  fid: Fid.RMI_OP_MEM_DONATE,
  profiles: ['2.0'],
  checks: [
    ...handleChecks<S>('RMI_OP_MEM_DONATE'),
    check<S>('list_align', INPUT, (s) => !listAligned(s.listPa), undefined, 'the list PA is not 8-byte aligned'),
    check<S>('list_pas', INPUT, (s) => listAligned(s.listPa) && !listInNsMemory(s.st, s.listPa), undefined,
      'the list is not in Non-secure memory'),
    check<S>('list_valid', INPUT, listInvalid, undefined, 'an entry is not aligned to its block size or does not say DELEGATED'),
    check<S>('list_size', INPUT, listTooBig, undefined, 'the list offers more memory than the operation asked for'),
  ],
  orderings: [[['handle_valid'], ['sro_expected', 'list_size']]],
  scope: (st, x) => ({ st, ctx: sroOf(st, x[0]), listPa: num(x[1]), count: num(x[2]) }),
  touches: (s) => (readable(s) ? [...blocksOf(descs(s))].map((b) => b.pa) : []),
  apply(s, call): Outcome {
    const st = s.st;
    const g = st.granules;
    const ctx = s.ctx!;
    let donated = 0;
    outer: for (const b of blocksOf(descs(s))) {
      // Larger blocks can only get here when more than a block's worth is asked for: take their granules one by one.
      for (let pa = b.pa; pa < b.pa + levelSize(b.level); pa += GRANULE_SIZE) {
        const gi = g.index(pa);
        if (gi < 0 || g.state[gi] !== GranuleState.DELEGATED) {
          if (donated === 0) return startReclaim(ctx, { status: INPUT, index: 0, check: 'donate_state' }, 'donate_state');
          break outer;
        }
        g.set(gi, GranuleState.REC_AUX);
        ctx.held.push(gi);
        ctx.wanted--;
        donated++;
      }
    }
    call.out[0] = BigInt(donated);
    if (ctx.wanted > 0) {
      call.out[1] = donateRequest(ctx.wanted);
      return incomplete(MemReq.DONATE, ctx.canCancel, 'sro_donate');
    }
    ctx.expect = 'RMI_OP_CONTINUE';
    return incomplete(MemReq.NONE, ctx.canCancel, 'sro_continue');
  },
};
