// RMI_RMM_CONFIG_GET (reference 1.2, 6.6; TF-RMM main runtime/rmi/granule.c): X1 config_ptr.
// Writes the RMM's RmiRmmConfig (the whole 4 KB structure) into an NS granule. Allowed in any
// RMM state, before activation too.
import type { Command } from '../../checks';
import { Fid, GRANULE_SIZE } from '../../constants';
import type { RmmState } from '../../state';
import { num } from '../common';
import { CONFIG_GRANULE_SIZE, CONFIG_TRACKING_REGION_SIZE, configPage, type ConfigScope } from './rmm-config';

interface S extends ConfigScope {
  st: RmmState;
}

export const RMM_CONFIG_GET: Command<S> = {
  name: 'RMI_RMM_CONFIG_GET',
  fid: Fid.RMI_RMM_CONFIG_GET,
  profiles: ['2.0'],
  checks: configPage<S>(),
  orderings: [],
  scope: (st, x) => ({ st, config: num(x[0]) }),
  touches: (s) => [s.config],
  apply(s) {
    const st = s.st;
    st.memory.write(s.config, new Uint8Array(GRANULE_SIZE));
    st.memory.writeU64(s.config + CONFIG_TRACKING_REGION_SIZE, st.config.trackingRegionSize);
    st.memory.writeU64(s.config + CONFIG_GRANULE_SIZE, st.config.granuleSize);
  },
};
