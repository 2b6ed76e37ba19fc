// The SMC entry point: find the command for an FID in the active profile, evaluate its checks in
// order, apply its effects, pack X0, and record a trace event when tracing is on.
import { SMC_NOT_SUPPORTED, Status, type Profile } from './constants';
import { orderedChecks, type CallContext, type Check, type Command, type Outcome } from './checks';
import type { FaultInjector } from './faults';
import type { RmmState } from './state';
import type { TraceEvent } from './trace';

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
  gated: boolean;
}

const ZERO = 0n;
const SMALL = Array.from({ length: 1 << 16 }, (_, i) => BigInt(i));

export class Dispatcher {
  private readonly slots: (Slot | undefined)[] = new Array(FID_SLOTS);
  private seq = 0;
  /** Called with each trace event when tracing is on. */
  onTrace: ((e: TraceEvent) => void) | undefined;

  constructor(
    private readonly st: RmmState,
    commands: readonly Command[],
    private readonly faults: FaultInjector,
  ) {
    const profile: Profile = st.profile;
    for (const cmd of commands) {
      if (!cmd.profiles.includes(profile)) continue;
      const i = cmd.fid - FID_BASE;
      if (i < 0 || i >= FID_SLOTS) throw new Error(`${cmd.name}: FID 0x${cmd.fid.toString(16)} outside the RMI range`);
      if (this.slots[i]) throw new Error(`${cmd.name} and ${this.slots[i]!.name} share FID 0x${cmd.fid.toString(16)} in profile ${profile}`);
      const name = cmd.names?.[profile] ?? cmd.name;
      this.slots[i] = {
        cmd, name, names: [...new Set([name, cmd.name, ...Object.values(cmd.names ?? {})])],
        checks: orderedChecks(cmd, st.options.checkOrder),
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

  smc(fidBig: bigint, args: readonly bigint[]): bigint[] {
    const st = this.st;
    const fid = Number(BigInt.asUintN(64, fidBig));
    const slot = fid >= FID_BASE ? this.slots[fid - FID_BASE] : undefined;
    const tracing = st.options.trace;
    const seq = ++this.seq;
    const x = args.length >= 6 ? args : [...args, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO].slice(0, 6);
    if (!slot) {
      const ret = [SMC_NOT_SUPPORTED, ZERO, ZERO, ZERO, ZERO];
      if (tracing) this.emit({ seq, fid, name: 'UNKNOWN', args: [...x], ret, status: -1, index: 0, checks: [], changes: [], findings: [] });
      return ret;
    }

    const out = [ZERO, ZERO, ZERO, ZERO];
    const evaluated: string[] | undefined = tracing ? [] : undefined;
    if (tracing) st.granules.changes = [];
    let outcome: Outcome | undefined;
    let faultNote: string | undefined;

    if (slot.gated && !st.rmmActive) {
      evaluated?.push('rmm_state');
      outcome = { status: Status.RMI_ERROR_GLOBAL, index: 0, check: 'rmm_state' };
    } else {
      const cmd = slot.cmd;
      const s = cmd.scope(st, x);
      const applicable = this.faults.empty ? undefined : this.faults.beginCall(slot.names);
      const checks = slot.checks;
      for (let i = 0; i < checks.length; i++) {
        const c = checks[i];
        evaluated?.push(c.name);
        if (c.fails(s)) {
          outcome = { status: c.status, index: c.index ? c.index(s) : 0, check: c.name };
          break;
        }
      }
      if (!outcome && applicable && !cmd.range) {
        outcome = this.faults.fire(applicable, cmd.touches ? cmd.touches(s) : []);
        if (outcome) faultNote = `${slot.name} forced to fail`;
      }
      if (!outcome) {
        const faults = this.faults;
        let reportProgress = st.options.reportProgressOnError;
        const ctx: CallContext = {
          out,
          get reportProgressOnError() { return reportProgress; },
          granuleFault(pa: number): Outcome | undefined {
            const f = faults.granule(applicable, pa);
            if (f) {
              faultNote = `${slot.name} forced to fail at granule 0x${pa.toString(16)}`;
              if (f.reportProgress !== undefined) reportProgress = f.reportProgress;
              return f.outcome;
            }
            faults.processed(applicable);
            return undefined;
          },
        };
        outcome = cmd.apply(s, ctx) ?? undefined;
        if (outcome && evaluated && outcome.check !== 'fault_injected') evaluated.push(outcome.check);
      }
      if (outcome && cmd.onError) cmd.onError(s, outcome, out);
    }

    const status = outcome ? outcome.status : 0;
    const index = outcome ? outcome.index & 0xff : 0;
    const x0 = SMALL[status | (index << 8)];
    const ret = [x0, out[0], out[1], out[2], out[3]];
    if (tracing) {
      const e: TraceEvent = {
        seq, fid, name: slot.name, args: [...x], ret, status, index: outcome ? outcome.index : 0,
        checks: evaluated!, changes: st.granules.changes ?? [], findings: st.findings,
      };
      if (outcome) e.failedCheck = outcome.check;
      if (faultNote) e.fault = faultNote;
      st.granules.changes = undefined;
      st.findings = [];
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
