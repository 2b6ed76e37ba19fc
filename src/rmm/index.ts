// dist/rmm.js: the emulator's public API (DESIGN.md section 4) plus the names the layers above use.
export { createRmm, Rmm, DEFAULT_DRAM, type RmmConfig, type GranuleInfo } from './rmm';
export * from './constants';
export type { RmmOptions } from './options';
export type { FaultSpec } from './faults';
export { validateFault } from './faults';
export type { TraceEvent, Finding } from './trace';
export type { GranuleChange } from './granules';
// Realm behaviour scripts for RMI_REC_ENTER (rmm.st.queueRecExit).
export type { ScriptedExit } from './objects';
export type { Check, Command, Outcome } from './checks';
export { respectsOrderings, orderedChecks } from './checks';
export { ALL_COMMANDS } from './commands';
// Checkpoints, diffs and checks (snapshot.ts, diff.ts, invariants.ts, leaks.ts).
export type { RmmSnapshot } from './snapshot';
export { diffSnapshots, diffGranuleArrays, type GranuleDelta, type GranuleArrays } from './diff';
export { checkInvariants, INVARIANT_RULES, type InvariantRule } from './invariants';
export { findLeaks } from './leaks';
