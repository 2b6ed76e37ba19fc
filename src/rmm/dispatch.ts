// The SMC entry point: find the command for an FID in the active profile, evaluate its checks in
// order, apply its effects, pack X0, and record a trace event when tracing is on.
// This is the emulator's hot path (rmm.delegate_undelegate_per_s): an untraced call allocates only
// its scope and the returned registers (not even those when X1..X4 are zero); the register file
// and the CallContext are reused, which is safe because a command's scope() decodes X1..X6 into
// values and never keeps the array. A traced run keeps every event (the run's `calls`), so what
// an event holds is shared wherever it can be: the checks passed, no findings, no changes, the
// registers of a call that returned only X0.
import { SMC_NOT_SUPPORTED, Status, type Profile } from './constants';
import { orderedChecks, type CallContext, type Check, type Command, type Outcome } from './checks';
import type { FaultInjector } from './faults';
import { checkInvariants } from './invariants';
import { noteMisuse } from './leaks';
import type { RmmState } from './state';
import { ChangeBuffer, type GranuleChange } from './granules';
import { makeTraceRecord, type Finding, type MakeTraceEvent, type RecordTraceCall, type TraceEvent, type TraceSink } from './trace';
import { regBig, u64Wrap, type Reg } from './u64';

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
  /** checkNames.slice(0, i + 1), frozen, made when check i first fails (a traced failure shares it). */
  failedPrefixes: (string[] | undefined)[];
  gated: boolean;
}

const ZERO = 0n;
/**
 * The `findings` of a traced call that found nothing, shared by all of them (most calls): a run
 * keeps every trace event, so each array saved is one less object to keep per call. Frozen, so a
 * consumer that tried to add to it would fail loudly rather than change other calls' findings.
 */
const NO_FINDINGS: Finding[] = Object.freeze([]) as unknown as Finding[];
/** The same for `changes` (a call that moved no granule: most failures, all queries). */
const NO_CHANGES: GranuleChange[] = Object.freeze([]) as unknown as GranuleChange[];
/** The change buffer of a call that moved nothing, for a recorder. */
const NO_CHANGES_BUF: ArrayLike<number> = new Float64Array(0);
/** The `checks` of a call to an unknown FID (none evaluated). */
const NO_CHECKS: string[] = Object.freeze([]) as unknown as string[];
/** The `checks` of a call refused before RMI_RMM_ACTIVATE. */
const RMM_STATE_CHECKS: string[] = Object.freeze(['rmm_state']) as unknown as string[];
const SMALL = Array.from({ length: 1 << 16 }, (_, i) => BigInt(i));
/**
 * The registers returned by a call whose X1..X4 are all zero (most calls), by X0: frozen and shared
 * by all such calls, since a traced run keeps every call's `ret`. Made on first use.
 */
const ZERO_OUTPUTS: (bigint[] | undefined)[] = [];

function zeroOutputs(x0: number): bigint[] {
  return (ZERO_OUTPUTS[x0] ??= Object.freeze([SMALL[x0], ZERO, ZERO, ZERO, ZERO]) as unknown as bigint[]);
}

/**
 * The event's own copy of X1..X6. An array literal rather than slice(): V8 tracks literals by
 * allocation site and, seeing nearly all of them survive (a traced run keeps every event),
 * allocates them straight in the old generation instead of copying them through the young one.
 */
function copyRegs(x: readonly Reg[]): bigint[] {
  return x.length === 6 ? [regBig(x[0]), regBig(x[1]), regBig(x[2]), regBig(x[3]), regBig(x[4]), regBig(x[5])] : x.map(regBig);
}

/** An event's own changes from the first `n` numbers of the buffer (pa, from, to triples). */
function changeObjects(buf: ArrayLike<number>, n: number): GranuleChange[] {
  if (n === 0) return NO_CHANGES;
  const out: GranuleChange[] = [];
  for (let i = 0; i < n; i += 3) out.push({ pa: buf[i], from: buf[i + 1], to: buf[i + 2] });
  return out;
}

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
  private readonly regs: Reg[] = [0, 0, 0, 0, 0, 0];
  private readonly call: CallState;
  private sink: ((e: TraceEvent) => void) | undefined;
  private makeEvent: MakeTraceEvent = makeTraceRecord;
  /** The sink's own recorder, when it stores calls without event objects (TraceSink.record). */
  private recorder: RecordTraceCall | undefined;
  /** One buffer for every traced call's granule changes (GranuleTable.changes); emptied after each. */
  private readonly changeBuffer = new ChangeBuffer();

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
        checks, checkNames: Object.freeze(checks.map((c) => c.name)) as string[], failedPrefixes: [],
        gated: profile === '2.0' && !ALLOWED_BEFORE_ACTIVATE.has(name),
      };
    }
  }

  /** Called with each trace event when tracing is on; a TraceSink's makeEvent builds the events. */
  get onTrace(): ((e: TraceEvent) => void) | undefined {
    return this.sink;
  }

  set onTrace(fn: ((e: TraceEvent) => void) | undefined) {
    this.sink = fn;
    this.makeEvent = (fn as TraceSink | undefined)?.makeEvent ?? makeTraceRecord;
    this.recorder = (fn as TraceSink | undefined)?.record;
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
    if (args.length >= 6) return this.run(u64Wrap(fidBig), args);
    const r = this.regs;
    for (let i = 0; i < 6; i++) r[i] = i < args.length ? args[i] : 0;
    return this.run(u64Wrap(fidBig), r);
  }

  /**
   * An SMC with X1..X6 passed one by one, so that Rmm.smc needs no array of its own: when it is
   * inlined into a caller, V8 then never builds its `...args` (about a tenth of a delegate call).
   */
  smcRegs(fid: number, x1: Reg, x2: Reg, x3: Reg, x4: Reg, x5: Reg, x6: Reg): bigint[] {
    const r = this.regs;
    r[0] = x1;
    r[1] = x2;
    r[2] = x3;
    r[3] = x4;
    r[4] = x5;
    r[5] = x6;
    return this.run(fid, r);
  }

  /** `fid`: X0 as a number (a FID is 32 bits; u64Wrap of anything wider). */
  private run(fid: number, x: readonly Reg[]): bigint[] {
    const st = this.st;
    const slot = fid >= FID_BASE ? this.slots[fid - FID_BASE] : undefined;
    const tracing = st.options.trace;
    const seq = ++this.seq;
    st.granules.seq = seq;
    if (!slot) {
      const ret = [SMC_NOT_SUPPORTED, ZERO, ZERO, ZERO, ZERO];
      if (tracing) {
        if (this.recorder) this.recorder(seq, fid, 'UNKNOWN', x, ret, false, -1, 0, NO_CHECKS, undefined, undefined, NO_CHANGES_BUF, 0, NO_FINDINGS);
        else this.emit(this.makeEvent(seq, fid, 'UNKNOWN', x.map(regBig), ret, -1, 0, NO_CHECKS, undefined, undefined, NO_CHANGES, NO_FINDINGS));
      }
      return ret;
    }

    const call = this.call;
    const out = call.out;
    out[0] = out[1] = out[2] = out[3] = ZERO;
    if (tracing) {
      // Empty unless a command threw mid-call: those changes were never reported, as before.
      this.changeBuffer.n = 0;
      st.granules.changes = this.changeBuffer;
    }
    let outcome: Outcome | undefined;
    let faultNote: string | undefined;
    // The checks evaluated, for the trace: built once the call is over (a prefix of checkNames).
    let evaluated: string[] | undefined;

    if (slot.gated && !st.rmmActive) {
      if (tracing) evaluated = RMM_STATE_CHECKS;
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
      if (tracing) evaluated = outcome ? (slot.failedPrefixes[i] ??= Object.freeze(slot.checkNames.slice(0, i + 1)) as string[]) : slot.checkNames;
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
    const code = status | (index << 8);
    const outputs = out[0] !== ZERO || out[1] !== ZERO || out[2] !== ZERO || out[3] !== ZERO;
    const ret = outputs ? [SMALL[code], out[0], out[1], out[2], out[3]] : zeroOutputs(code);
    if (tracing) {
      // Misuse and invariant findings belong to the call that caused them (reference 3.4, 8).
      if (outcome) noteMisuse(st, slot.name, outcome.check, x, seq);
      if (st.options.checkInvariants) for (const f of checkInvariants(st)) st.findings.push({ ...f, seq });
      const buf = this.changeBuffer;
      const n = buf.n;
      st.granules.changes = undefined;
      const findings = st.findings.length ? st.findings : NO_FINDINGS;
      if (st.findings.length) st.findings = [];
      if (this.recorder) {
        this.recorder(seq, fid, slot.name, x, ret, outputs, status, outcome ? outcome.index : 0,
          evaluated ?? NO_CHECKS, outcome?.check, faultNote, buf.data, n / 3, findings);
      } else {
        this.emit(this.makeEvent(seq, fid, slot.name, copyRegs(x), ret, status, outcome ? outcome.index : 0,
          evaluated ?? NO_CHECKS, outcome?.check, faultNote, changeObjects(buf.data, n), findings));
      }
      buf.n = 0;
    } else if (st.findings.length) {
      st.findings = [];
    }
    return ret;
  }

  private emit(e: TraceEvent): void {
    this.sink?.(e);
  }
}
