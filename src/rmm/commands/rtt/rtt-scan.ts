// Scans along one RTT from the entry a walk stopped at: the `walk_top` outputs of DATA_DESTROY,
// RTT_DESTROY and RTT_UNMAP_UNPROTECTED (spec B3 RttSkipNonLiveEntries), and the ranges that
// RTT_INIT_RIPAS / RTT_SET_RIPAS may change (spec B3 RttSkipEntriesWithRipas).
import type { RttWalk } from '../../rtt';
import { entryIpa, isLiveEntry } from './rtt-entries';
import { alignDown, entrySize } from './rtt-levels';

/**
 * walk_top for the unmap-style commands: `ipa` itself when the entry the walk reached is live,
 * else the IPA of the next live entry of the same RTT (or the end of that RTT).
 *
 * Returning `ipa` unaligned for a live entry is what the spec's outcome tables require
 * ("block mapping: top == ipa") and what TF-RMM does; the B3 pseudocode would align it down.
 */
export function walkTopNonLive(w: RttWalk, ipa: number): number {
  const t = w.table;
  if (isLiveEntry(t.state[w.index])) return ipa;
  const size = entrySize(w.level);
  let i = w.index + 1;
  while (i < t.entries && !isLiveEntry(t.state[i])) i++;
  return alignDown(ipa, w.level) + (i - w.index) * size;
}

/**
 * The end of the run of entries, from the walk's entry onwards, that `accept` admits and that lie
 * wholly below `top`; `base` when the first entry is refused or crosses `top`. Entries are
 * visited through `visit` only when the caller applies the change (a failed command changes nothing).
 */
export function scanEntries(
  w: RttWalk, top: number, accept: (state: number, ripas: number) => boolean,
  visit?: (i: number, ipa: number, next: number) => void,
): number {
  const t = w.table;
  const size = entrySize(w.level);
  let addr = entryIpa(t, w.index);
  for (let i = w.index; i < t.entries; i++) {
    const next = addr + size;
    if (next > top || !accept(t.state[i], t.ripas[i])) break;
    visit?.(i, addr, next);
    addr = next;
  }
  return addr;
}
