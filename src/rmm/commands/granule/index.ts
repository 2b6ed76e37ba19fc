import type { Command } from '../../checks';
import { GRANULE_DELEGATE } from './granule-delegate';
import { GRANULE_UNDELEGATE } from './granule-undelegate';

export const GRANULE_COMMANDS: readonly Command[] = [GRANULE_DELEGATE, GRANULE_UNDELEGATE];
