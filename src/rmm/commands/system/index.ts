import type { Command } from '../../checks';
import { FEATURES } from './features';
import { VERSION } from './version';

export const SYSTEM_COMMANDS: readonly Command[] = [VERSION, FEATURES];
