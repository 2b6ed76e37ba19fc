import type { Command } from '../../checks';
import { PSCI_COMPLETE } from './psci-complete';
import { REC_AUX_COUNT } from './rec-aux-count';
import { REC_CREATE_1_0 } from './rec-create';
import { REC_DESTROY_1_0 } from './rec-destroy';
import { REC_ENTER_1_0, REC_ENTER_2_0 } from './rec-enter';

// The 2.0 REC_CREATE / REC_DESTROY are stateful operations (SRO) and live in commands/v2.
export const REC_COMMANDS: readonly Command[] = [REC_AUX_COUNT, REC_CREATE_1_0, REC_DESTROY_1_0, REC_ENTER_1_0, REC_ENTER_2_0, PSCI_COMPLETE];
