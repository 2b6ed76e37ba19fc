import type { Command } from '../../checks';

export const RTT_COMMANDS: readonly Command[] = [];
