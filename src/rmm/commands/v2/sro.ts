// Stateful RMI Operations (SRO, reference 2.3; TF-RMM main runtime/rmi/sro.c): a command that
// needs memory from the host, or must hand memory back, answers RMI_INCOMPLETE with
//   X0 [7:0] = 13, [9:8] memory request (0 none, 1 donate, 2 reclaim), [10] can-cancel;
//   X1 = the operation's handle (first call only), X2 = the donate request when [9:8] = 1,
// and the host drives it on with RMI_OP_CONTINUE / OP_MEM_DONATE / OP_MEM_RECLAIM / OP_CANCEL.
// The open operations live in RmmState.sro (so snapshots copy them); this module opens, ends and
// checks them. Handles are context slots, lowest free first, as TF-RMM numbers its pool.
import { check, type Check, type Outcome } from '../../checks';
import { GranuleState, Status } from '../../constants';
import type { SroContext } from '../../objects';
import type { RmmState } from '../../state';
import { INPUT, num, type Scope } from '../common';
import { type Reg } from '../../u64';

/** Operations that can be open at once (TF-RMM: a pool per CPU; the emulator has one pool). */
export const SRO_CONTEXTS = 16;

export const MemReq = { NONE: 0, DONATE: 1, RECLAIM: 2 } as const;

/** The RMI_INCOMPLETE outcome: the X0 index field carries the memory request and can-cancel. */
export function incomplete(memReq: number, canCancel: boolean, check: string): Outcome {
  return { status: Status.RMI_INCOMPLETE, index: memReq | (canCancel ? 4 : 0), check };
}

/**
 * RmiOpMemDonateReq (X2): [1:0] block size (0 = 4 KB), [15:2] block count, [16] contiguous,
 * [17] memory state (0 = DELEGATED). REC_CREATE asks for single non-contiguous DELEGATED pages.
 */
export function donateRequest(granules: number): bigint {
  return BigInt(granules & 0x3fff) << 2n;
}

/** Opens an operation in the lowest free slot; callers check `sroFull` first. */
export function openSro(st: RmmState, init: Omit<SroContext, 'handle'>): SroContext {
  let handle = 0;
  while (st.sro.has(handle)) handle++;
  const ctx: SroContext = { handle, ...init };
  st.sro.set(handle, ctx);
  return ctx;
}

/**
 * sro_ctx: no free operation context. TF-RMM answers RMI_BLOCKED when every context is sealed
 * by an operation in progress (the reference suggests RMI_ERROR_GLOBAL; TF-RMM is followed).
 */
export function sroCtxCheck<S extends Scope>(): Check<S> {
  return check<S>('sro_ctx', Status.RMI_BLOCKED, (s) => s.st.sro.size >= SRO_CONTEXTS, undefined,
    'every stateful-operation context is in use: finish an outstanding operation first');
}

/** The operation a handle register names, if it is open. */
export function sroOf(st: RmmState, handle: Reg): SroContext | undefined {
  const h = num(handle);
  return Number.isInteger(h) ? st.sro.get(h) : undefined;
}

export interface HandleScope extends Scope {
  ctx: SroContext | undefined;
}

/** handle_valid, sro_expected: the handle names an open operation that waits for `fid`. */
export function handleChecks<S extends HandleScope>(fid: SroContext['expect'] | undefined): Check<S>[] {
  const list = [
    check<S>('handle_valid', INPUT, (s) => !s.ctx, undefined, 'the handle names no operation in progress'),
  ];
  if (fid) {
    list.push(check<S>('sro_expected', INPUT, (s) => !!s.ctx && s.ctx.expect !== fid, undefined,
      `the operation does not wait for ${fid} (its RMI_INCOMPLETE asked for another command)`));
  }
  return list;
}

/**
 * Starts handing the operation's granules back: the host collects them with RMI_OP_MEM_RECLAIM
 * (even when there are none, as TF-RMM asks), then RMI_OP_CONTINUE ends the operation with `result`.
 */
export function startReclaim(ctx: SroContext, result: SroContext['result'], check: string): Outcome {
  ctx.expect = 'RMI_OP_MEM_RECLAIM';
  ctx.next = 'finish';
  ctx.wanted = 0;
  ctx.result = result;
  return incomplete(MemReq.RECLAIM, ctx.canCancel, check);
}

/**
 * Ends an operation whose memory is back with the host: the object granule leaves PARTIAL for
 * DELEGATED (wiped, like every way back to DELEGATED) and the handle is free again.
 */
export function finishSro(st: RmmState, ctx: SroContext): Outcome | undefined {
  st.memory.wipe(ctx.obj);
  st.granules.set(ctx.obj, GranuleState.DELEGATED);
  st.sro.delete(ctx.handle);
  return ctx.result;
}
