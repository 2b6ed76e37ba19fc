// RTT folding and unfolding (spec A5.5.6, A5.5.7; B3 RttIsHomogeneous, RttFold; reference 4.6).
// Folding turns a homogeneous child RTT into one parent entry; unfolding (RTT_CREATE under a
// non-TABLE entry) copies the parent entry into every child entry, splitting a block into
// contiguous pieces.
import { RttState } from '../../constants';
import type { RttTable } from '../../rtt';
import type { RmmState } from '../../state';
import { writeEntry } from './rtt-entries';
import { entrySize } from './rtt-levels';

/** The parent entry a fold produces (RmmRttEntry of RttFold). */
export interface FoldedEntry {
  state: number;
  ripas: number;
  addr: number;
  attr: number;
}

/**
 * RttFold of a child table at `t.level`, or undefined when the table is not homogeneous
 * (RttIsHomogeneous false). ASSIGNED and ASSIGNED_NS children fold only at levels 2 and 3, with
 * contiguous output addresses starting at an address aligned to the parent entry's size.
 */
export function foldResult(t: RttTable): FoldedEntry | undefined {
  const n = t.entries;
  const s0 = t.state[0];
  const r0 = t.ripas[0];
  switch (s0) {
    case RttState.UNASSIGNED:
      for (let i = 1; i < n; i++) if (t.state[i] !== s0 || t.ripas[i] !== r0) return undefined;
      return { state: s0, ripas: r0, addr: 0, attr: 0 };
    case RttState.UNASSIGNED_NS:
      for (let i = 1; i < n; i++) if (t.state[i] !== s0) return undefined;
      return { state: s0, ripas: r0, addr: 0, attr: 0 };
    case RttState.ASSIGNED:
    case RttState.ASSIGNED_NS: {
      if (t.level !== 2 && t.level !== 3) return undefined;
      const step = entrySize(t.level);
      const a0 = t.addr[0];
      if (a0 % entrySize(t.level - 1) !== 0) return undefined;
      const same = s0 === RttState.ASSIGNED ? t.ripas : t.attr;
      const v0 = same[0];
      for (let i = 1; i < n; i++) {
        if (t.state[i] !== s0 || t.addr[i] !== a0 + i * step || same[i] !== v0) return undefined;
      }
      return { state: s0, ripas: r0, addr: a0, attr: t.attr[0] };
    }
    default:
      return undefined; // a TABLE entry: the child still has children
  }
}

/**
 * Unfolding: fills a fresh child table from its parent entry (state, RIPAS, attributes) and sets
 * its refcount through writeEntry. Blocks split into contiguous child mappings.
 */
export function unfoldInto(st: RmmState, child: RttTable, parent: RttTable, pi: number): void {
  const state = parent.state[pi];
  const ripas = parent.ripas[pi];
  const attr = parent.attr[pi];
  const base = parent.addr[pi];
  const block = state === RttState.ASSIGNED || state === RttState.ASSIGNED_NS;
  const step = entrySize(child.level);
  for (let i = 0; i < child.entries; i++) {
    writeEntry(st, child, i, state, ripas, block ? base + i * step : 0, block ? attr : 0);
  }
}
