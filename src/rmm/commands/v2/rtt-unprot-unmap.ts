// RMI_RTT_UNPROT_UNMAP (2.0, FID 0xC40001FC; reference 5.25; TF-RMM main runtime/rmi/rtt_unmap.c):
// the range successor of RTT_UNMAP_UNPROTECTED. Unmaps NS memory at Unprotected IPAs
// (unmap-args.ts): entries ASSIGNED_NS -> UNASSIGNED_NS. The memory was never the RMM's: it is
// reported with state UNDELEGATED (TF-RMM leaves the state bit out of the SINGLE X2; here X2
// carries it, as its LIST entries do).
import type { Command } from '../../checks';
import { Fid, Ripas, RttState } from '../../constants';
import { writeEntry } from '../rtt/rtt-entries';
import { DESC_MEM_UNDELEGATED } from './addr-range-desc';
import { UNMAP_ORDERINGS, unmapChecks, unmapOnError, unmapRange, unmapScope, type UnmapFlavor, type UnmapScope } from './unmap-args';

const NS: UnmapFlavor = {
  mapped: RttState.ASSIGNED_NS,
  descState: DESC_MEM_UNDELEGATED,
  release(st, t, i) {
    writeEntry(st, t, i, RttState.UNASSIGNED_NS, Ripas.EMPTY);
  },
};

export const RTT_UNPROT_UNMAP: Command<UnmapScope> = {
  name: 'RMI_RTT_UNPROT_UNMAP',
  fid: Fid.RMI_RTT_UNPROT_UNMAP,
  profiles: ['2.0'],
  checks: unmapChecks<UnmapScope>('unprotected'),
  orderings: UNMAP_ORDERINGS,
  scope: unmapScope,
  touches: (s) => [s.rd],
  onError: unmapOnError,
  apply(s, ctx) {
    return unmapRange(s, ctx, NS);
  },
};
