// RMI_GRANULE_DELEGATE (1.0, spec B4.3.5): move a granule from the Non-secure PAS to the Realm
// PAS. TF-RMM does not scrub on delegate.
import { check, type Command } from '../../checks';
import { Fid, GRANULE_SIZE, GranuleState } from '../../constants';
import type { RmmState } from '../../state';
import { INPUT, num } from '../common';

interface S {
  st: RmmState;
  addr: number;
  /** Granule index of addr, or -1 outside DRAM (decoded once: bound, state and apply all need it). */
  gi: number;
}

export const GRANULE_DELEGATE: Command<S> = {
  name: 'RMI_GRANULE_DELEGATE',
  fid: Fid.RMI_GRANULE_DELEGATE,
  profiles: ['1.0'],
  // gran_gpt (GPI not NS: memory owned by Secure/Root) cannot arise: all emulated DRAM is NS or Realm.
  // The checks are granuleArg('gran', addr, UNDELEGATED) written out (a unit test holds them equal):
  // closures from one shared builder share V8's type feedback with every other command, which
  // made this pair, the calls hosts make most, several times slower.
  checks: [
    check<S>('gran_align', INPUT, (s) => s.addr % GRANULE_SIZE !== 0, undefined, 'addr is not 4 KB aligned'),
    check<S>('gran_bound', INPUT, (s) => s.gi < 0, undefined, 'addr is not a delegable (DRAM) address'),
    check<S>('gran_state', INPUT, (s) => s.st.granules.state[s.gi] !== GranuleState.UNDELEGATED, undefined,
      'addr granule is not UNDELEGATED'),
  ],
  scope: (st, x) => {
    const addr = num(x[0]);
    return { st, addr, gi: st.granules.index(addr) };
  },
  touches: (s) => [s.addr],
  apply(s) {
    s.st.granules.set(s.gi, GranuleState.DELEGATED);
  },
};
