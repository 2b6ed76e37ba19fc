import type { Command } from '../../checks';
import { REALM_ACTIVATE } from './realm-activate';
import { REALM_CREATE_1_0, REALM_CREATE_2_0 } from './realm-create';
import { REALM_DESTROY_1_0, REALM_DESTROY_2_0 } from './realm-destroy';

export const REALM_COMMANDS: readonly Command[] = [REALM_CREATE_1_0, REALM_CREATE_2_0, REALM_ACTIVATE, REALM_DESTROY_1_0, REALM_DESTROY_2_0];
