// The debug adapter (DESIGN.md section 5): the extension runs RealmDebugSession inline; the
// standalone process is adapterMain.ts.
export { RealmDebugSession, THREAD_ID, type SessionHooks } from './session';
export { EXCEPTION_FILTERS } from './breakpoints';
export type { LaunchArgs } from './launch';
