// RmiRmmConfig (reference 6.6; TF-RMM main smc-rmi.h): the RMM-wide configuration the host sets
// with RMI_RMM_CONFIG_SET before RMI_RMM_ACTIVATE and reads with RMI_RMM_CONFIG_GET. A 4 KB
// structure in NS memory: tracking_region_size @0x0, rmi_granule_size @0x8, the rest zero.
import { check, type Check } from '../../checks';
import { Status } from '../../constants';
import { nsPage, type Scope } from '../common';

export const CONFIG_TRACKING_REGION_SIZE = 0x0;
export const CONFIG_GRANULE_SIZE = 0x8;
/** rmi_granule_size encodings: 0 4 KB, 1 16 KB, 2 64 KB. Only 4 KB is implemented (TF-RMM). */
export const RMI_GRANULE_SIZE_4KB = 0n;
/** tracking_region_size encoding 0: 1 GB regions with 4 KB granules, the only one implemented. */
export const RMI_TRACKING_REGION_1GB = 0n;

export interface ConfigScope extends Scope {
  config: number;
}

/** config_align, config_bound, config_pas: the structure is a whole NS granule. */
export function configPage<S extends ConfigScope>(): Check<S>[] {
  return nsPage<S>('config', (s) => s.config, 'config_ptr');
}

/** rmm_state: RMM_CONFIG_SET and RMM_ACTIVATE are for the RMM in state INIT only. */
export function rmmStateInit<S extends Scope>(): Check<S> {
  return check<S>('rmm_state', Status.RMI_ERROR_GLOBAL, (s) => s.st.rmmActive, undefined,
    'the RMM is already active (RMI_RMM_ACTIVATE has been called)');
}
