import type { Command } from '../../checks';

export const REC_COMMANDS: readonly Command[] = [];
