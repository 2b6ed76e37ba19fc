// RMI_RMM_ACTIVATE (reference 1.2, 1.3 item 9; TF-RMM main runtime/rmi/activate.c): RMM state
// INIT -> ACTIVE. Until then the dispatcher answers every command but VERSION, FEATURES,
// RMM_CONFIG_GET/SET, RMM_ACTIVATE and GRANULE_TRACKING_GET with RMI_ERROR_GLOBAL; afterwards
// RMM_CONFIG_SET and RMM_ACTIVATE themselves do.
import type { Command } from '../../checks';
import { Fid } from '../../constants';
import type { RmmState } from '../../state';
import { rmmStateInit } from './rmm-config';

interface S {
  st: RmmState;
}

export const RMM_ACTIVATE: Command<S> = {
  name: 'RMI_RMM_ACTIVATE',
  fid: Fid.RMI_RMM_ACTIVATE,
  profiles: ['2.0'],
  checks: [rmmStateInit<S>()],
  orderings: [],
  scope: (st) => ({ st }),
  apply(s) {
    s.st.rmmActive = true;
  },
};
