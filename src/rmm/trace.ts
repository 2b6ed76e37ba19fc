// One trace event per RMI call: what the debugger's RMI frames, the granule map's history and the
// golden traces show, recorded once here so nothing above has to re-derive it.
import type { GranuleChange } from './granules';

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
