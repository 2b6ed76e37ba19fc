// RMI_RTT_DATA_UNMAP (2.0, FID 0xC40001F6; reference 5.22, 3.3; TF-RMM main runtime/rmi/rtt_unmap.c):
// the range successor of DATA_DESTROY. Unmaps DATA at Protected IPAs (unmap-args.ts) in any realm
// state: each entry ASSIGNED -> UNASSIGNED, RIPAS RAM -> DESTROYED (EMPTY and DESTROYED stay), and
// every granule of the block DATA -> DELEGATED, wiped. The freed memory is reported with state
// DELEGATED: the host must still undelegate it.
import type { Command } from '../../checks';
import { Fid, GRANULE_SIZE, GranuleState, Ripas, RttState } from '../../constants';
import { writeEntry } from '../rtt/rtt-entries';
import { DESC_MEM_DELEGATED } from './addr-range-desc';
import { UNMAP_ORDERINGS, unmapChecks, unmapOnError, unmapRange, unmapScope, type UnmapFlavor, type UnmapScope } from './unmap-args';

const DATA: UnmapFlavor = {
  mapped: RttState.ASSIGNED,
  descState: DESC_MEM_DELEGATED,
  release(st, t, i, pa, size) {
    const ripas = t.ripas[i] === Ripas.RAM ? Ripas.DESTROYED : t.ripas[i];
    writeEntry(st, t, i, RttState.UNASSIGNED, ripas);
    for (let off = 0; off < size; off += GRANULE_SIZE) {
      const gi = st.granules.index(pa + off);
      st.memory.wipe(gi);
      st.granules.set(gi, GranuleState.DELEGATED);
    }
  },
};

export const RTT_DATA_UNMAP: Command<UnmapScope> = {
  name: 'RMI_RTT_DATA_UNMAP',
  fid: Fid.RMI_RTT_DATA_UNMAP,
  profiles: ['2.0'],
  checks: unmapChecks<UnmapScope>('protected'),
  orderings: UNMAP_ORDERINGS,
  scope: unmapScope,
  touches: (s) => [s.rd],
  onError: unmapOnError,
  apply(s, ctx) {
    return unmapRange(s, ctx, DATA);
  },
};
