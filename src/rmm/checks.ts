// The command model: every RMI command is a scope (its decoded inputs), an ordered list of named
// failure conditions (the spec's names: gran_align, rtt_walk, ...), and its success effects.
// Keeping the checks as data lets the debugger list and walk them, lets tests provoke each one
// alone, and lets the check order be switched between the spec's listing and TF-RMM's order
// while every ordering the spec states stays respected.
import type { Profile } from './constants';
import type { RmmState } from './state';
import type { Reg } from './u64';

/** One failure condition of a command. `fails` is true when the condition holds. */
export interface Check<S> {
  readonly name: string;
  readonly status: number;
  readonly fails: (s: S) => boolean;
  /** X0 index field (the RTT level for RMI_ERROR_RTT); 0 when absent. */
  readonly index?: (s: S) => number;
  /** One line for the debugger's listing of the command. */
  readonly doc?: string;
}

/** The outcome of a failing call. */
export interface Outcome {
  status: number;
  index: number;
  /** The failing check's spec name, 'fault_injected', or a range command's per-granule check. */
  check: string;
}

/** What a command's success path may need besides its scope. */
export interface CallContext {
  /** X1..X4 outputs; all zero unless the command sets them. */
  readonly out: bigint[];
  /**
   * Range commands ask before each granule whether an injected fault stops them there
   * (fault injection "fail after k granules" and "fail at granule PA").
   */
  granuleFault(pa: number): Outcome | undefined;
  /** Whether a range command reports progress (X1 = first granule not processed) on error. */
  readonly reportProgressOnError: boolean;
}

export interface Command<S = any> {
  /** The spec name, e.g. RMI_GRANULE_DELEGATE. */
  readonly name: string;
  /** Other names for the same FID in some profile (2.0 renames DATA_CREATE to RTT_DATA_MAP_INIT). */
  readonly names?: Partial<Record<Profile, string>>;
  readonly fid: number;
  readonly profiles: readonly Profile[];
  /** Failure conditions in the order the specification lists them. */
  readonly checks: readonly Check<S>[];
  /** The spec's explicit orderings: a condition of the left group is reported before one of the right. */
  readonly orderings?: readonly (readonly [readonly string[], readonly string[]])[];
  /** The order the reference implementation (TF-RMM) evaluates them in, where it differs. */
  readonly tfRmmOrder?: readonly string[];
  /** Whether the command is a range command that consults `granuleFault` itself. */
  readonly range?: boolean;
  /** Decodes the registers X1..X6 into the scope the checks read. */
  scope(st: RmmState, x: readonly Reg[]): S;
  /** PAs of the granules the call would touch, for faults selected by granule. */
  touches?(s: S): number[];
  /** Outputs a failing call still returns (e.g. `top` on RMI_ERROR_RTT). */
  onError?(s: S, o: Outcome, out: bigint[]): void;
  /** Success effects. A range command may stop part-way and return a failing outcome. */
  apply(s: S, ctx: CallContext): Outcome | void;
}

/** Helper for writing check lists compactly. */
export function check<S>(name: string, status: number, fails: (s: S) => boolean, index?: (s: S) => number, doc?: string): Check<S> {
  return { name, status, fails, index, doc };
}

/** The checks of `cmd` in the order the RMM evaluates them under the given order option. */
export function orderedChecks<S>(cmd: Command<S>, order: 'spec' | 'tf-rmm'): readonly Check<S>[] {
  if (order === 'spec' || !cmd.tfRmmOrder) return cmd.checks;
  const byName = new Map(cmd.checks.map((c) => [c.name, c]));
  const out: Check<S>[] = [];
  for (const n of cmd.tfRmmOrder) {
    const c = byName.get(n);
    if (!c) throw new Error(`${cmd.name}: tfRmmOrder names unknown check ${n}`);
    out.push(c);
    byName.delete(n);
  }
  // Anything the TF-RMM order does not mention keeps its spec position at the end.
  for (const c of byName.values()) out.push(c);
  return out;
}

/**
 * Whether an order respects every ordering the spec gives: for [A] < [B], every check of A must
 * come before every check of B (so when both hold, A's error is the one observed).
 */
export function respectsOrderings(cmd: Command, order: readonly { name: string }[]): string | undefined {
  const pos = new Map(order.map((c, i) => [c.name, i]));
  for (const [before, after] of cmd.orderings ?? []) {
    for (const a of before) {
      for (const b of after) {
        const pa = pos.get(a);
        const pb = pos.get(b);
        if (pa === undefined || pb === undefined) return `${cmd.name}: ordering names unknown check ${pa === undefined ? a : b}`;
        if (pa > pb) return `${cmd.name}: ${a} must be checked before ${b}`;
      }
    }
  }
  return undefined;
}
