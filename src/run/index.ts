// dist/run.js: a run of a scenario (DESIGN.md section 3), for the debug adapter, the CLI and tests.
// createRun finds the parser's .wasm files next to the bundle (node); other hosts (a web worker)
// use createRunWith and pass the wasm bytes or URLs themselves.
import type { Run, RunOptions } from './api';
import { nodeParserAssets } from './node-assets';
import { createRunWith, NATIVE_NAMES, type RunImpl } from './run';
import { loadCParser } from '../lang';
import { hostLibraryFor, scenarioNeedsHost } from '../host';

export * from './api';
export { createRunWith, RunImpl, ENTRY, DEFAULT_PROFILE, DEFAULT_HOST, DEFAULT_MAX_STEPS, NATIVE_NAMES, type RunCheckpoint, type HostLibrary } from './run';
export { nodeParserAssets } from './node-assets';
export type { ParserAssets } from '../lang';
export { formatDiagnostic } from '../lang';
// Run reports and fault sweeps (report.ts, sweep.ts; sweep-pool.ts: node worker threads).
export * from './report';
export * from './sweep';
export * from './sweep-pool';
// What the CLI needs of the emulator's names, so that it imports only this layer.
export { STATUS_NAMES, granuleStateName, validateFault, type FaultSpec } from '../rmm';

/**
 * Compiles a scenario and loads it into a fresh emulator, stopped before its first statement.
 * A scenario that uses host code gets the embedded host library (workspace copies win, src/host).
 */
export async function createRun(opts: RunOptions): Promise<Run & RunImpl> {
  const assets = nodeParserAssets();
  const scenario = { path: opts.file, text: opts.source, origin: 'scenario' as const };
  const needsHost = scenarioNeedsHost(await loadCParser(assets), scenario, { readFile: opts.readFile, natives: NATIVE_NAMES });
  return createRunWith(opts, assets, needsHost ? hostLibraryFor(opts) : undefined);
}
