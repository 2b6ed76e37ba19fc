import type { Command } from '../../checks';

export const V2_COMMANDS: readonly Command[] = [];
