// RMI_GRANULE_UNDELEGATE (1.0, spec B4.3.6): return a DELEGATED granule to the Non-secure PAS,
// wiping its contents. Undelegating anything else (in use, or never delegated) is gran_state.
import { check, type Command } from '../../checks';
import { Fid, GRANULE_SIZE, GranuleState } from '../../constants';
import type { RmmState } from '../../state';
import { INPUT, num } from '../common';

interface S {
  st: RmmState;
  addr: number;
  /** Granule index of addr, or -1 outside DRAM. */
  gi: number;
}

export const GRANULE_UNDELEGATE: Command<S> = {
  name: 'RMI_GRANULE_UNDELEGATE',
  fid: Fid.RMI_GRANULE_UNDELEGATE,
  profiles: ['1.0'],
  // granuleArg('gran', addr, DELEGATED) written out, for speed (see granule-delegate.ts).
  checks: [
    check<S>('gran_align', INPUT, (s) => s.addr % GRANULE_SIZE !== 0, undefined, 'addr is not 4 KB aligned'),
    check<S>('gran_bound', INPUT, (s) => s.gi < 0, undefined, 'addr is not a delegable (DRAM) address'),
    check<S>('gran_state', INPUT, (s) => s.st.granules.state[s.gi] !== GranuleState.DELEGATED, undefined,
      'addr granule is not DELEGATED'),
  ],
  scope: (st, x) => {
    const addr = num(x[0]);
    return { st, addr, gi: st.granules.index(addr) };
  },
  touches: (s) => [s.addr],
  apply(s) {
    s.st.memory.wipe(s.gi);
    s.st.granules.set(s.gi, GranuleState.UNDELEGATED);
  },
};
