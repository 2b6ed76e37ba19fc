import type { Command } from '../../checks';
import { REALM_CREATE_1_0, REALM_CREATE_2_0 } from './realm-create';

export const REALM_COMMANDS: readonly Command[] = [REALM_CREATE_1_0, REALM_CREATE_2_0];
