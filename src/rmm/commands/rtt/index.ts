// The RTT and DATA commands (reference 5.15-5.26). Helpers the 2.0 range commands share live
// beside them: rtt-levels (geometry), rtt-args (scope, walk, shared checks), rtt-entries
// (refcounted entry writes), rtt-fold-rules (fold/unfold), rtt-scan (walk_top), rtt-descriptor.
import type { Command } from '../../checks';
import { DATA_CREATE_1_0, DATA_CREATE_2_0 } from './data-create';
import { DATA_CREATE_UNKNOWN } from './data-create-unknown';
import { DATA_DESTROY } from './data-destroy';
import { RTT_CREATE } from './rtt-create';
import { RTT_DESTROY } from './rtt-destroy';
import { RTT_FOLD } from './rtt-fold';
import { RTT_INIT_RIPAS_1_0, RTT_INIT_RIPAS_2_0 } from './rtt-init-ripas';
import { RTT_MAP_UNPROTECTED } from './rtt-map-unprotected';
import { RTT_READ_ENTRY } from './rtt-read-entry';
import { RTT_SET_RIPAS_1_0, RTT_SET_RIPAS_2_0 } from './rtt-set-ripas';
import { RTT_UNMAP_UNPROTECTED } from './rtt-unmap-unprotected';

export const RTT_COMMANDS: readonly Command[] = [
  RTT_CREATE, RTT_DESTROY, RTT_FOLD, RTT_READ_ENTRY, RTT_INIT_RIPAS_1_0, RTT_INIT_RIPAS_2_0, RTT_SET_RIPAS_1_0, RTT_SET_RIPAS_2_0,
  DATA_CREATE_1_0, DATA_CREATE_2_0, DATA_CREATE_UNKNOWN, DATA_DESTROY, RTT_MAP_UNPROTECTED, RTT_UNMAP_UNPROTECTED,
];
