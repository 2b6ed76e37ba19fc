// Every modelled RMI command. Each group folder owns its index; a command lists the profiles it
// exists in, so one FID can have a 1.0 and a 2.0 implementation.
import type { Command } from '../checks';
import { GRANULE_COMMANDS } from './granule';
import { REALM_COMMANDS } from './realm';
import { REC_COMMANDS } from './rec';
import { RTT_COMMANDS } from './rtt';
import { SYSTEM_COMMANDS } from './system';
import { V2_COMMANDS } from './v2';

export const ALL_COMMANDS: readonly Command[] = [
  ...SYSTEM_COMMANDS, ...GRANULE_COMMANDS, ...REALM_COMMANDS, ...REC_COMMANDS, ...RTT_COMMANDS, ...V2_COMMANDS,
];
