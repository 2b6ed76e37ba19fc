// RMI_GRANULE_DELEGATE (1.0, spec B4.3.5): move a granule from the Non-secure PAS to the Realm
// PAS. TF-RMM does not scrub on delegate.
import type { Command } from '../../checks';
import { Fid, GranuleState } from '../../constants';
import type { RmmState } from '../../state';
import { granuleArg, num } from '../common';

interface S {
  st: RmmState;
  addr: number;
}

export const GRANULE_DELEGATE: Command<S> = {
  name: 'RMI_GRANULE_DELEGATE',
  fid: Fid.RMI_GRANULE_DELEGATE,
  profiles: ['1.0'],
  // gran_gpt (GPI not NS: memory owned by Secure/Root) cannot arise: all emulated DRAM is NS or Realm.
  checks: granuleArg<S>('gran', (s) => s.addr, GranuleState.UNDELEGATED, 'addr'),
  scope: (st, x) => ({ st, addr: num(x[0]) }),
  touches: (s) => [s.addr],
  apply(s) {
    s.st.granules.set(s.st.granules.index(s.addr), GranuleState.DELEGATED);
  },
};
