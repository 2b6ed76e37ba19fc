// Writing RTT entries while keeping the RTT granule's refcount equal to its number of live
// entries (ASSIGNED or TABLE; spec A5.5.8). Every entry change of every RTT command goes through
// writeEntry, so RTT liveness (refcount != 0) is O(1) for RTT_DESTROY, RTT_FOLD and REALM_DESTROY.
import { GranuleState, RttState } from '../../constants';
import type { RttTable } from '../../rtt';
import type { RmmState } from '../../state';
import { entrySize } from './rtt-levels';

/** RTT liveness contribution of an entry state: ASSIGNED and TABLE hold another RMM object. */
export function makesRttLive(state: number): boolean {
  return state === RttState.ASSIGNED || state === RttState.TABLE;
}

/** RTTE liveness (spec A5.5.8): a physical address is stored in the entry. */
export function isLiveEntry(state: number): boolean {
  return state === RttState.ASSIGNED || state === RttState.ASSIGNED_NS || state === RttState.TABLE;
}

/**
 * Sets entry `i` of `t` and adjusts the table's refcount by the change in RTT liveness.
 * `addr` is the output address (DATA PA, next-level RTT PA or NS PA); `attr` the ASSIGNED_NS
 * MemAttr/S2AP bits.
 */
export function writeEntry(st: RmmState, t: RttTable, i: number, state: number, ripas: number, addr = 0, attr = 0): void {
  const delta = (makesRttLive(state) ? 1 : 0) - (makesRttLive(t.state[i]) ? 1 : 0);
  t.state[i] = state;
  t.ripas[i] = ripas;
  t.addr[i] = addr;
  t.attr[i] = attr;
  if (delta !== 0) st.addRef(t.gi, delta);
}

/** IPA of entry `i` of `t`. */
export function entryIpa(t: RttTable, i: number): number {
  return t.baseIpa + i * entrySize(t.level);
}

/**
 * Returns an RTT granule to DELEGATED once its table has been unhooked from the tree
 * (RTT_DESTROY, RTT_FOLD): the RTT object disappears and the contents are scrubbed.
 */
export function releaseRtt(st: RmmState, t: RttTable): void {
  st.rtts.delete(t.gi);
  st.memory.wipe(t.gi);
  st.granules.set(t.gi, GranuleState.DELEGATED);
}
