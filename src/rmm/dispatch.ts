// The SMC entry point: find the command for an FID in the active profile, evaluate its checks in
// order, apply its effects, pack X0, and record a trace event when tracing is on.
// This is the emulator's hot path (rmm.delegate_undelegate_per_s): an untraced call allocates only
// its scope and the returned registers; the register file and the CallContext are reused, which is
// safe because a command's scope() decodes X1..X6 into values and never keeps the array.
import { SMC_NOT_SUPPORTED, Status, type Profile } from './constants';
import { orderedChecks, type CallContext, type Check, type Command, type Outcome } from './checks';
import type { FaultInjector } from './faults';
import { checkInvariants } from './invariants';
import { noteMisuse } from './leaks';
import type { RmmState } from './state';
import type { Finding, TraceEvent } from './trace';
import { u64Wrap } from './u64';

const FID_BASE = 0xc4000150;
const FID_SLOTS = 0xd0;

/** Commands callable before RMI_RMM_ACTIVATE in the 2.0 profile (reference 1.2, RMM_ACTIVATE). */
const ALLOWED_BEFORE_ACTIVATE = new Set([
  'RMI_VERSION', 'RMI_FEATURES', 'RMI_RMM_CONFIG_GET', 'RMI_RMM_CONFIG_SET', 'RMI_RMM_ACTIVATE', 'RMI_GRANULE_TRACKING_GET',
]);

interface Slot {
  cmd: Command;
  name: string;
  names: string[];
  checks: readonly Check<any>[];
  /**
   * The checks' names in evaluation order, frozen: a traced call's `checks` is a prefix of it, and
   * a call that passed them all shares this very array (as NO_FINDINGS is shared).
   */
  checkNames: string[];
  gated: boolean;
}

const ZERO = 0n;
/**
 * The `findings` of a traced call that found nothing, shared by all of them (most calls): a run
 * keeps every trace event, so each array saved is one less object to keep per call. Frozen, so a
 * consumer that tried to add to it would fail loudly rather than change other calls' findings.
 */
const NO_FINDINGS: Finding[] = Object.freeze([]) as unknown as Finding[];
const SMALL = Array.from({ length: 1 << 16 }, (_, i) => BigInt(i));

type Applicable = ReturnType<FaultInjector['beginCall']>;

/** The CallContext of the call in progress: one per dispatcher, reset per call (no closures per call). */
class CallState implements CallContext {
  readonly out: bigint[] = [ZERO, ZERO, ZERO, ZERO];
  reportProgressOnError = false;
  applicable: Applicable;
  faultNote: string | undefined;
  name = '';

  constructor(private readonly faults: FaultInjector) {}

  granuleFault(pa: number): Outcome | undefined {
    const f = this.faults.granule(this.applicable, pa);
    if (f) {
      this.faultNote = `${this.name} forced to fail at granule 0x${pa.toString(16)}`;
      if (f.reportProgress !== undefined) this.reportProgressOnError = f.reportProgress;
      return f.outcome;
    }
    this.faults.processed(this.applicable);
    return undefined;
  }
}

export class Dispatcher {
  private readonly slots: (Slot | undefined)[] = new Array(FID_SLOTS);
  private seq = 0;
  /** X1..X6 of the call in progress when fewer than six were passed (zero-extended). */
  private readonly regs: bigint[] = [ZERO, ZERO, ZERO, ZERO, ZERO, ZERO];
  private readonly call: CallState;
  /** Called with each trace event when tracing is on. */
  onTrace: ((e: TraceEvent) => void) | undefined;

  constructor(
    private readonly st: RmmState,
    commands: readonly Command[],
    private readonly faults: FaultInjector,
  ) {
    this.call = new CallState(faults);
    const profile: Profile = st.profile;
    for (const cmd of commands) {
      if (!cmd.profiles.includes(profile)) continue;
      const i = cmd.fid - FID_BASE;
      if (i < 0 || i >= FID_SLOTS) throw new Error(`${cmd.name}: FID 0x${cmd.fid.toString(16)} outside the RMI range`);
      if (this.slots[i]) throw new Error(`${cmd.name} and ${this.slots[i]!.name} share FID 0x${cmd.fid.toString(16)} in profile ${profile}`);
      const name = cmd.names?.[profile] ?? cmd.name;
      const checks = orderedChecks(cmd, st.options.checkOrder);
      this.slots[i] = {
        cmd, name, names: [...new Set([name, cmd.name, ...Object.values(cmd.names ?? {})])],
        checks, checkNames: Object.freeze(checks.map((c) => c.name)) as string[],
        gated: profile === '2.0' && !ALLOWED_BEFORE_ACTIVATE.has(name),
      };
    }
  }

  /** The command an FID names in this profile. */
  command(fid: number): { cmd: Command; name: string; checks: readonly Check<any>[] } | undefined {
    return this.slots[fid - FID_BASE];
  }

  get callCount(): number {
    return this.seq;
  }

  set callCount(n: number) {
    this.seq = n;
  }

  /** An SMC with X1..X6 as an array (zero-extended to six registers). */
  smc(fidBig: bigint, args: readonly bigint[]): bigint[] {
    if (args.length >= 6) return this.run(fidBig, args);
    const r = this.regs;
    for (let i = 0; i < 6; i++) r[i] = i < args.length ? args[i] : ZERO;
    return this.run(fidBig, r);
  }

  /**
   * An SMC with X1..X6 passed one by one, so that Rmm.smc needs no array of its own: when it is
   * inlined into a caller, V8 then never builds its `...args` (about a tenth of a delegate call).
   */
  smcRegs(fidBig: bigint, x1: bigint, x2: bigint, x3: bigint, x4: bigint, x5: bigint, x6: bigint): bigint[] {
    const r = this.regs;
    r[0] = x1;
    r[1] = x2;
    r[2] = x3;
    r[3] = x4;
    r[4] = x5;
    r[5] = x6;
    return this.run(fidBig, r);
  }

  private run(fidBig: bigint, x: readonly bigint[]): bigint[] {
    const st = this.st;
    // X0 is a 64-bit register: the FID wraps as BigInt.asUintN(64) would.
    const fid = u64Wrap(fidBig);
    const slot = fid >= FID_BASE ? this.slots[fid - FID_BASE] : undefined;
    const tracing = st.options.trace;
    const seq = ++this.seq;
    st.granules.seq = seq;
    if (!slot) {
      const ret = [SMC_NOT_SUPPORTED, ZERO, ZERO, ZERO, ZERO];
      if (tracing) this.emit({ seq, fid, name: 'UNKNOWN', args: [...x], ret, status: -1, index: 0, checks: [], changes: [], findings: [] });
      return ret;
    }

    const call = this.call;
    const out = call.out;
    out[0] = out[1] = out[2] = out[3] = ZERO;
    if (tracing) st.granules.changes = [];
    let outcome: Outcome | undefined;
    let faultNote: string | undefined;
    // The checks evaluated, for the trace: built once the call is over (a prefix of checkNames).
    let evaluated: string[] | undefined;

    if (slot.gated && !st.rmmActive) {
      if (tracing) evaluated = ['rmm_state'];
      outcome = { status: Status.RMI_ERROR_GLOBAL, index: 0, check: 'rmm_state' };
    } else {
      const cmd = slot.cmd;
      const s = cmd.scope(st, x);
      const applicable = this.faults.empty ? undefined : this.faults.beginCall(slot.names);
      const checks = slot.checks;
      let i = 0;
      for (; i < checks.length; i++) {
        const c = checks[i];
        if (c.fails(s)) {
          outcome = { status: c.status, index: c.index ? c.index(s) : 0, check: c.name };
          break;
        }
      }
      if (tracing) evaluated = outcome ? slot.checkNames.slice(0, i + 1) : slot.checkNames;
      if (!outcome && applicable && !cmd.range) {
        outcome = this.faults.fire(applicable, cmd.touches ? cmd.touches(s) : []);
        if (outcome) faultNote = `${slot.name} forced to fail`;
      }
      if (!outcome) {
        call.reportProgressOnError = st.options.reportProgressOnError;
        call.applicable = applicable;
        call.faultNote = undefined;
        call.name = slot.name;
        outcome = cmd.apply(s, call) ?? undefined;
        faultNote = call.faultNote;
        call.applicable = undefined;
        if (outcome && evaluated && outcome.check !== 'fault_injected') evaluated = [...evaluated, outcome.check];
      }
      if (outcome && cmd.onError) cmd.onError(s, outcome, out);
    }

    const status = outcome ? outcome.status : 0;
    const index = outcome ? outcome.index & 0xff : 0;
    const x0 = SMALL[status | (index << 8)];
    const ret = [x0, out[0], out[1], out[2], out[3]];
    if (tracing) {
      // Misuse and invariant findings belong to the call that caused them (reference 3.4, 8).
      if (outcome) noteMisuse(st, slot.name, outcome.check, x, seq);
      if (st.options.checkInvariants) for (const f of checkInvariants(st)) st.findings.push({ ...f, seq });
      const e: TraceEvent = {
        seq, fid, name: slot.name, args: x.slice(), ret, status, index: outcome ? outcome.index : 0,
        checks: evaluated ?? [], changes: st.granules.changes ?? [], findings: st.findings.length ? st.findings : NO_FINDINGS,
      };
      if (outcome) e.failedCheck = outcome.check;
      if (faultNote) e.fault = faultNote;
      st.granules.changes = undefined;
      if (st.findings.length) st.findings = [];
      this.emit(e);
    } else if (st.findings.length) {
      st.findings = [];
    }
    return ret;
  }

  private emit(e: TraceEvent): void {
    this.onTrace?.(e);
  }
}
