// Launch configuration: validates the `realm-lab` launch attributes and compiles the scenario into
// a run. Every problem becomes a compiler-style message (`file:line:col: error: message`), never
// an exception, so the session can answer the launch request with it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FaultSpec, Profile } from '../rmm';
import { validateFault } from '../rmm';
import { createRun, formatDiagnostic, type HostVariant, type Run, type RunImpl } from '../run';

export interface LaunchArgs {
  program: string;
  stopOnEntry?: boolean;
  profile?: Profile;
  hostVariant?: HostVariant;
  faults?: FaultSpec[];
  maxSteps?: number;
  /** Stop (as an RMI error exception) when an injected fault decides a call: a sweep point's moment. */
  stopOnFault?: boolean;
}

export type ReadFile = (file: string) => string | undefined;

export function defaultReadFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A message at line 1 of `file` in the compiler's format. */
function at(file: string, message: string): string {
  return `${file}:1:1: error: ${message}`;
}

/** Checks the attributes' shapes; returns the first problem as a message. */
export function checkLaunchArgs(raw: unknown): { args: LaunchArgs } | { error: string } {
  const a = (raw ?? {}) as Record<string, unknown>;
  if (typeof a.program !== 'string' || a.program.trim() === '') {
    return { error: "launch: 'program' must name a *.realm.c scenario file" };
  }
  const program = path.resolve(a.program);
  if (a.profile !== undefined && a.profile !== '1.0' && a.profile !== '2.0') {
    return { error: at(program, `launch: 'profile' must be '1.0' or '2.0', not ${JSON.stringify(a.profile)}`) };
  }
  if (a.hostVariant !== undefined && a.hostVariant !== 'v14' && a.hostVariant !== 'fixed') {
    return { error: at(program, `launch: 'hostVariant' must be 'v14' or 'fixed', not ${JSON.stringify(a.hostVariant)}`) };
  }
  if (a.maxSteps !== undefined && !(typeof a.maxSteps === 'number' && Number.isInteger(a.maxSteps) && a.maxSteps > 0)) {
    return { error: at(program, `launch: 'maxSteps' must be a whole number above 0, not ${JSON.stringify(a.maxSteps)}`) };
  }
  if (a.stopOnFault !== undefined && typeof a.stopOnFault !== 'boolean') {
    return { error: at(program, "launch: 'stopOnFault' must be true or false") };
  }
  if (a.stopOnEntry !== undefined && typeof a.stopOnEntry !== 'boolean') {
    return { error: at(program, "launch: 'stopOnEntry' must be true or false") };
  }
  let faults: FaultSpec[] | undefined;
  if (a.faults !== undefined) {
    if (!Array.isArray(a.faults)) return { error: at(program, "launch: 'faults' must be an array of fault objects") };
    faults = [];
    for (const [i, f] of (a.faults as unknown[]).entries()) {
      const problem = validateFault(f as FaultSpec);
      if (problem) return { error: at(program, `launch: faults[${i}]: ${problem}`) };
      faults.push(f as FaultSpec);
    }
  }
  return {
    args: {
      program, stopOnEntry: a.stopOnEntry as boolean | undefined, profile: a.profile as Profile | undefined,
      hostVariant: a.hostVariant as HostVariant | undefined, faults, maxSteps: a.maxSteps as number | undefined,
      stopOnFault: a.stopOnFault as boolean | undefined,
    },
  };
}

/** Reads and compiles the scenario; errors come back as compiler-style lines. */
export async function compileScenario(args: LaunchArgs, readFile: ReadFile): Promise<{ run: Run & RunImpl } | { errors: string[] }> {
  const source = readFile(args.program);
  if (source === undefined) return { errors: [at(args.program, 'cannot read the scenario file (does it exist?)')] };
  let run: Run & RunImpl;
  try {
    run = await createRun({
      file: args.program, source, profile: args.profile, hostVariant: args.hostVariant, faults: args.faults,
      maxSteps: args.maxSteps, readFile,
    });
  } catch (e) {
    return { errors: [at(args.program, `cannot load the scenario: ${e instanceof Error ? e.message : String(e)}`)] };
  }
  const errors = run.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  if (errors.length) return { errors };
  return { run };
}
