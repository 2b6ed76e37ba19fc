import type { Command } from '../../checks';

export const SYSTEM_COMMANDS: readonly Command[] = [];
