// The contract between a run (scenario + host code + RMM) and everything above it: the debug
// adapter, the live map, the CLI. Lines and columns are 1-based.
import type { FaultSpec, Profile, Rmm, TraceEvent } from '../rmm';

export type HostVariant = 'v14' | 'fixed';

/** Positions and diagnostics are the C front end's own (src/lang/source.ts). */
import type { Diagnostic, SrcRange as SourceRange } from '../lang';
export type { Diagnostic, SourceRange };

export interface RunOptions {
  /** Path of the scenario: shown in diagnostics and stack frames, base for relative #includes. */
  file: string;
  source: string;
  /** Override the scenario's machine declaration. */
  profile?: Profile;
  hostVariant?: HostVariant;
  /** Used when the scenario's machine declaration names no profile / host variant (user settings). */
  defaultProfile?: Profile;
  defaultHostVariant?: HostVariant;
  faults?: FaultSpec[];
  /** Statement budget: a run that exceeds it stops with a diagnostic at the current line. */
  maxSteps?: number;
  /** Bytes the scenario and host code may allocate. */
  maxMemoryBytes?: number;
  /** Reads a workspace file for #include (and for the workspace copy of host code); undefined = absent. */
  readFile?: (path: string) => string | undefined;
  /**
   * How runToEnd / runSteps execute the C code: 'js' (the default) translates each function into
   * JavaScript, 'interpreter' keeps to the instruction loop. Both give the same run; step() is
   * always the interpreter's.
   */
  tier?: 'js' | 'interpreter';
}

export interface Frame {
  id: number;
  name: string;
  kind: 'scenario' | 'host' | 'rmm';
  /** The statement about to run in this frame (for callers: the call in progress). */
  range: SourceRange;
}

export interface Variable {
  name: string;
  type: string;
  value: string;
  /** Members of structs/arrays/pointers-to-struct, computed on demand. */
  children?: () => Variable[];
  /** A PA, as '0x...', for variables that point into emulated memory. */
  memoryReference?: string;
}

/** An RMI call as the run saw it: the RMM's trace event plus where in the C code it was issued. */
export interface RmiCallEvent extends TraceEvent {
  /** Statement count when the call was made. */
  step: number;
  range: SourceRange;
  /**
   * Line of the entry function's statement that led to the call (the call in progress there),
   * even when the call was made deep inside host code: what the editor decorates it on.
   */
  entryLine: number;
}

export interface Expectation {
  range: SourceRange;
  passed: boolean;
  message: string;
}

/** One line of output: printk text, or a WARN_ON that fired. */
export interface RunOutput {
  kind: 'printk' | 'warn';
  text: string;
  range: SourceRange;
}

export interface Run {
  /** Compile errors; when any is an error the run cannot start (step() returns false at once). */
  readonly diagnostics: readonly Diagnostic[];
  readonly rmm: Rmm;
  readonly profile: Profile;
  readonly hostVariant: HostVariant;
  /** Statements executed so far. */
  readonly steps: number;
  readonly finished: boolean;
  /** Set when the run stopped on a runtime error or a budget. */
  readonly error: Diagnostic | undefined;
  readonly calls: readonly RmiCallEvent[];
  readonly expectations: readonly Expectation[];
  /** WARN_ON hits and printk output, in order. */
  readonly output: readonly RunOutput[];
  /** Executes one statement (entering calls) and stops before the next; false when finished. */
  step(): boolean;
  /** Executes at least `n` statements without stopping between them; false when finished. */
  runSteps(n: number): boolean;
  /** Innermost first. */
  frames(): Frame[];
  locals(frameId: number): Variable[];
  globals(): Variable[];
}
