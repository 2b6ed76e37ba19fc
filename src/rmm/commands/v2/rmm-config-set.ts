// RMI_RMM_CONFIG_SET (reference 1.2, 6.6; TF-RMM main runtime/rmi/granule.c): X1 config_ptr.
// Sets the RMM's granule size and tracking region size while the RMM is still in state INIT.
// Only the 4 KB granule and encoding 0 (1 GB) tracking regions are implemented, as in TF-RMM.
import { check, type Command } from '../../checks';
import { Fid } from '../../constants';
import type { RmmState } from '../../state';
import { INPUT, num } from '../common';
import {
  CONFIG_GRANULE_SIZE, CONFIG_TRACKING_REGION_SIZE, configPage, RMI_GRANULE_SIZE_4KB, RMI_TRACKING_REGION_1GB, rmmStateInit,
  type ConfigScope,
} from './rmm-config';

interface S extends ConfigScope {
  st: RmmState;
}

/** A field of the structure; 0 while config_ptr is no DRAM address (config_bound fails first). */
const field = (s: S, off: number): bigint => (s.st.granules.index(s.config) < 0 ? 0n : s.st.memory.readU64(s.config + off));

export const RMM_CONFIG_SET: Command<S> = {
  name: 'RMI_RMM_CONFIG_SET',
  fid: Fid.RMI_RMM_CONFIG_SET,
  profiles: ['2.0'],
  checks: [
    rmmStateInit<S>(),
    ...configPage<S>(),
    check<S>('granule_size', INPUT, (s) => field(s, CONFIG_GRANULE_SIZE) !== RMI_GRANULE_SIZE_4KB, undefined,
      'rmi_granule_size is not 4 KB (the only granule size this RMM implements)'),
    check<S>('tracking_size', INPUT, (s) => field(s, CONFIG_TRACKING_REGION_SIZE) !== RMI_TRACKING_REGION_1GB, undefined,
      'tracking_region_size is not 1 GB (encoding 0)'),
  ],
  orderings: [[['config_align', 'config_bound', 'config_pas'], ['granule_size', 'tracking_size']]],
  scope: (st, x) => ({ st, config: num(x[0]) }),
  touches: (s) => [s.config],
  apply(s) {
    s.st.config = { trackingRegionSize: field(s, CONFIG_TRACKING_REGION_SIZE), granuleSize: field(s, CONFIG_GRANULE_SIZE) };
  },
};
