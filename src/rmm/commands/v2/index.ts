// The 2.0-only commands (profile '2.0', the 2.0-bet1 ABI of the Linux v14 series): RMM bring-up,
// range delegation, REALM_TERMINATE, the range map / unmap commands, and REC_CREATE / REC_DESTROY
// as stateful operations with the RMI_OP_* commands that drive them.
import type { Command } from '../../checks';
import { GRANULE_RANGE_DELEGATE } from './granule-range-delegate';
import { GRANULE_RANGE_UNDELEGATE } from './granule-range-undelegate';
import { GRANULE_TRACKING_GET } from './granule-tracking-get';
import { OP_CANCEL } from './op-cancel';
import { OP_CONTINUE } from './op-continue';
import { OP_MEM_DONATE } from './op-mem-donate';
import { OP_MEM_RECLAIM } from './op-mem-reclaim';
import { REALM_TERMINATE } from './realm-terminate';
import { REC_CREATE_2_0 } from './rec-create-sro';
import { REC_DESTROY_2_0 } from './rec-destroy-sro';
import { RMM_ACTIVATE } from './rmm-activate';
import { RMM_CONFIG_GET } from './rmm-config-get';
import { RMM_CONFIG_SET } from './rmm-config-set';
import { RTT_DATA_MAP } from './rtt-data-map';
import { RTT_DATA_UNMAP } from './rtt-data-unmap';
import { RTT_UNPROT_MAP } from './rtt-unprot-map';
import { RTT_UNPROT_UNMAP } from './rtt-unprot-unmap';

export const V2_COMMANDS: readonly Command[] = [
  RMM_CONFIG_SET, RMM_CONFIG_GET, RMM_ACTIVATE, GRANULE_TRACKING_GET, GRANULE_RANGE_DELEGATE, GRANULE_RANGE_UNDELEGATE,
  REALM_TERMINATE, RTT_DATA_MAP, RTT_DATA_UNMAP, RTT_UNPROT_MAP, RTT_UNPROT_UNMAP,
  REC_CREATE_2_0, REC_DESTROY_2_0, OP_CONTINUE, OP_MEM_DONATE, OP_MEM_RECLAIM, OP_CANCEL,
];
