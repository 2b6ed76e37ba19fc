// RMI_RTT_DATA_MAP (2.0, FID 0xC40001F5; reference 5.21, 3.3; TF-RMM main runtime/rmi/rtt_map.c):
// the range successor of DATA_CREATE_UNKNOWN. Maps DELEGATED memory at Protected IPAs of a NEW or
// ACTIVE realm, as pages or blocks (map-args.ts): each granule of a block DELEGATED -> DATA with
// unknown (here: wiped) contents; the entry becomes ASSIGNED with its RIPAS unchanged. Mapping the
// same PA again is no error. Not measured. TF-RMM may also yield with RMI_INCOMPLETE on a pending
// interrupt, which the emulator never has.
import type { Command, Outcome } from '../../checks';
import { Fid, GRANULE_SIZE, GranuleState, RttState, Status } from '../../constants';
import { INPUT } from '../common';
import { realmOf } from '../rtt/rtt-args';
import { writeEntry } from '../rtt/rtt-entries';
import { DESC_MEM_DELEGATED } from './addr-range-desc';
import { MAP_ORDERINGS, mapChecks, mapRange, mapScope, type MapOne, type MapScope } from './map-args';

const mapData: MapOne<MapScope> = (s, t, i, pa, size): Outcome | undefined => {
  const st = s.st;
  const g = st.granules;
  const state = t.state[i];
  if (state === RttState.ASSIGNED && t.addr[i] === pa) return undefined;
  if (state !== RttState.UNASSIGNED) return { status: Status.RMI_ERROR_RTT, index: s.level, check: 'rtte_state' };
  const n = size / GRANULE_SIZE;
  // Every granule of the block first, so a bad one leaves the block untouched (TF-RMM rolls back).
  for (let k = 0; k < n; k++) {
    const gi = g.index(pa + k * GRANULE_SIZE);
    if (gi < 0 || g.state[gi] !== GranuleState.DELEGATED) return { status: INPUT, index: 0, check: 'data_state' };
  }
  const rd = realmOf(s)!.rd;
  for (let k = 0; k < n; k++) {
    const gi = g.index(pa + k * GRANULE_SIZE);
    st.memory.wipe(gi);
    g.set(gi, GranuleState.DATA, rd);
  }
  writeEntry(st, t, i, RttState.ASSIGNED, t.ripas[i], pa);
  return undefined;
};

export const RTT_DATA_MAP: Command<MapScope> = {
  name: 'RMI_RTT_DATA_MAP',
  fid: Fid.RMI_RTT_DATA_MAP,
  profiles: ['2.0'],
  checks: mapChecks<MapScope>('protected', DESC_MEM_DELEGATED),
  orderings: MAP_ORDERINGS,
  scope: mapScope,
  touches: (s) => [s.rd],
  apply(s, ctx) {
    return mapRange(s, ctx, DESC_MEM_DELEGATED, mapData);
  },
};
