// RMI_RTT_READ_ENTRY (spec B4.3.20; reference 5.26): report the entry an RTT walk to (ipa, level)
// reaches, without changing anything. X1 walk level (as UInt64: level -1 reads as 2^64 - 1),
// X2 RmiRttEntryState (NS variants reported as their protected names), X3 descriptor (output
// address; MemAttr/S2AP too for ASSIGNED_NS), X4 RIPAS (EMPTY for unprotected and TABLE entries).
import type { Command } from '../../checks';
import { Fid, Ripas, RmiRttEntryState, RttState } from '../../constants';
import { num, rdArg } from '../common';
import { ipaAlign, ipaBoundWidth, levelBoundEntry, walkOf, type WalkScope } from './rtt-args';
import { encodeDescriptor } from './rtt-descriptor';
import { levelArg } from './rtt-levels';

interface S extends WalkScope {
  ipa: number;
  level: number;
}

/** RttEntryState: the RMI encoding of an entry state. */
export function rmiEntryState(state: number): number {
  switch (state) {
    case RttState.ASSIGNED:
    case RttState.ASSIGNED_NS: return RmiRttEntryState.ASSIGNED;
    case RttState.TABLE: return RmiRttEntryState.TABLE;
    default: return RmiRttEntryState.UNASSIGNED;
  }
}

export const RTT_READ_ENTRY: Command<S> = {
  name: 'RMI_RTT_READ_ENTRY',
  fid: Fid.RMI_RTT_READ_ENTRY,
  profiles: ['1.0', '2.0'],
  checks: [
    ...rdArg<S>(),
    levelBoundEntry<S>(),
    ipaAlign<S>((s) => s.level, 'ipa is not aligned to the range an entry at level maps'),
    ipaBoundWidth<S>(),
  ],
  orderings: [],
  tfRmmOrder: ['rd_align', 'rd_bound', 'rd_state', 'level_bound', 'ipa_bound', 'ipa_align'],
  scope: (st, x) => {
    const level = levelArg(x[2]);
    const ipa = num(x[1]);
    return { st, rd: num(x[0]), ipa, level, walkIpa: ipa, walkLevel: level };
  },
  touches: (s) => [s.rd],
  apply(s, ctx) {
    const w = walkOf(s)!;
    const state = w.table.state[w.index];
    const addr = w.table.addr[w.index];
    let desc = 0n;
    if (state === RttState.ASSIGNED || state === RttState.TABLE) desc = encodeDescriptor(addr);
    else if (state === RttState.ASSIGNED_NS) desc = encodeDescriptor(addr, w.table.attr[w.index]);
    const hasRipas = state === RttState.UNASSIGNED || state === RttState.ASSIGNED;
    ctx.out[0] = BigInt.asUintN(64, BigInt(w.level));
    ctx.out[1] = BigInt(rmiEntryState(state));
    ctx.out[2] = desc;
    ctx.out[3] = BigInt(hasRipas ? w.table.ripas[w.index] : Ripas.EMPTY);
  },
};
