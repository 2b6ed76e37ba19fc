// One trace event per RMI call: what the debugger's RMI frames, the granule map's history and the
// golden traces show, recorded once here so nothing above has to re-derive it.
import type { GranuleChange } from './granules';
import type { Reg } from './u64';

export interface Finding {
  kind: 'leak' | 'undelegate-not-delegated' | 'destroy-live' | 'invariant';
  message: string;
  pa?: number;
  /** The call that caused it: the call itself for misuse and invariants, the last call that moved the granule for a leak. */
  seq?: number;
  /** The rule that found it: an invariant's name (invariants.ts) or the misused command's failing check. */
  rule?: string;
}

export interface TraceEvent {
  /** 1-based call number within this RMM instance. */
  seq: number;
  fid: number;
  /** The command's name in the active profile ('UNKNOWN' for an unhandled FID). */
  name: string;
  /** X1..X6 as passed. */
  args: bigint[];
  /** X0..X4 as returned. */
  ret: bigint[];
  status: number;
  index: number;
  /** Names of the checks evaluated, in order; the last one failed when `failedCheck` is set. */
  checks: string[];
  failedCheck?: string;
  /** Set when an injected fault decided the outcome. */
  fault?: string;
  changes: GranuleChange[];
  findings: Finding[];
}

/**
 * Builds the event of a traced call from what the dispatcher recorded. A consumer that keeps every
 * event and adds fields of its own (the run's step and source range) provides one, so that its
 * fields are there from construction: properties added to an object afterwards go to a separate
 * backing store (one more object per call) and give the events of a run several shapes.
 */
export type MakeTraceEvent = (
  seq: number, fid: number, name: string, args: bigint[], ret: bigint[], status: number, index: number,
  checks: string[], failedCheck: string | undefined, fault: string | undefined, changes: GranuleChange[], findings: Finding[],
) => TraceEvent;

/**
 * A consumer that stores each traced call itself, without an event object: the dispatcher hands
 * it the registers and what it recorded, all of them borrowed (the register file, the shared
 * check-name arrays, the change buffer are reused by the next call), so it must copy what it
 * keeps. `args` are X1..X6 as the emulator holds them (u64.ts Reg: numbers below 2^53, else
 * BigInts, as passed). `outputs`: whether any of X1..X4 (ret[1..4]) is not zero; X0 is zero when status and
 * index are. `changes` holds the call's granule changes as (pa, from, to) triples, `nChanges` of them;
 * `findings` is empty and shared when there are none.
 */
export type RecordTraceCall = (
  seq: number, fid: number, name: string, args: readonly Reg[], ret: readonly bigint[], outputs: boolean, status: number, index: number,
  checks: string[], failedCheck: string | undefined, fault: string | undefined,
  changes: ArrayLike<number>, nChanges: number, findings: Finding[],
) => void;

/**
 * What Rmm.onTrace accepts: a callback, optionally carrying the factory of the events it receives,
 * or a recorder that replaces both (then the callback is never called).
 */
export interface TraceSink {
  (e: TraceEvent): void;
  makeEvent?: MakeTraceEvent;
  record?: RecordTraceCall;
}

/**
 * The event of the emulator alone (no factory given): one class, every field always present
 * (failedCheck and fault undefined when absent), so all events share one shape.
 */
export class TraceRecord implements TraceEvent {
  constructor(
    public seq: number,
    public fid: number,
    public name: string,
    public args: bigint[],
    public ret: bigint[],
    public status: number,
    public index: number,
    public checks: string[],
    public failedCheck: string | undefined,
    public fault: string | undefined,
    public changes: GranuleChange[],
    public findings: Finding[],
  ) {}
}

export const makeTraceRecord: MakeTraceEvent = (seq, fid, name, args, ret, status, index, checks, failedCheck, fault, changes, findings) =>
  new TraceRecord(seq, fid, name, args, ret, status, index, checks, failedCheck, fault, changes, findings);
