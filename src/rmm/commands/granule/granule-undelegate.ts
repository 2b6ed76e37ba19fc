// RMI_GRANULE_UNDELEGATE (1.0, spec B4.3.6): return a DELEGATED granule to the Non-secure PAS,
// wiping its contents. Undelegating anything else (in use, or never delegated) is gran_state.
import type { Command } from '../../checks';
import { Fid, GranuleState } from '../../constants';
import type { RmmState } from '../../state';
import { granuleArg, num } from '../common';

interface S {
  st: RmmState;
  addr: number;
}

export const GRANULE_UNDELEGATE: Command<S> = {
  name: 'RMI_GRANULE_UNDELEGATE',
  fid: Fid.RMI_GRANULE_UNDELEGATE,
  profiles: ['1.0'],
  checks: granuleArg<S>('gran', (s) => s.addr, GranuleState.DELEGATED, 'addr'),
  scope: (st, x) => ({ st, addr: num(x[0]) }),
  touches: (s) => [s.addr],
  apply(s) {
    const gi = s.st.granules.index(s.addr);
    s.st.memory.wipe(gi);
    s.st.granules.set(gi, GranuleState.UNDELEGATED);
  },
};
