// Forward and reverse execution with every stop rule the session offers. After each statement
// the loop looks at what that statement did (new RMI calls, WARN_ONs, expectations) and where
// the run now stands (line and function breakpoints, the step's own end condition).
//
// Where RMI-related stops land: exception filters and RMI-command function breakpoints stop
// BEFORE the statement that issues the call (the run is put back one statement with the
// timeline), so the user sees the offending line highlighted and can step over it to watch the
// registers and granules change; resuming from such a stop does not report the same call again.
// A runtime error (NULL dereference, step budget) stops at the failing statement itself.
import { statusName } from '../rmm';
import type { Frame, RmiCallEvent, Run, RunImpl, SourceRange } from '../run';
import { hitNumber, parseHitCondition, type Breakpoints, type ExceptionFilter } from './breakpoints';
import { changesIn, describeChanges, type WatchedChange } from './data-breakpoints';
import type { Timeline } from './timeline';

/** Statements between two yields to the event loop while running (pause, disconnect stay instant). */
export const YIELD_EVERY = 4000;

export interface ExceptionStop {
  /** The filter that matched, or 'runtime-error'. */
  id: ExceptionFilter | 'runtime-error';
  description: string;
  details?: string;
  call?: RmiCallEvent;
}

export interface Stop {
  reason: string;
  description?: string;
  text?: string;
  hitBreakpointIds?: number[];
  exception?: ExceptionStop;
  /** The stop is before the statement that caused it (filters, RMI-command breakpoints). */
  beforeStatement?: boolean;
  /** Which record of that statement it reports (several can come from one statement). */
  key?: string;
  /** stepIn reached a statement that makes RMI calls itself: the session walks these (rmm-frame.ts). */
  enterRmm?: RmiCallEvent[];
}

export type Outcome = { kind: 'stopped'; stop: Stop } | { kind: 'ended' } | { kind: 'cancelled' };

export type ForwardMode = 'continue' | 'next' | 'stepIn' | 'stepOut' | 'nextCall';

export interface StepperHooks {
  /** New output of the run (printk, WARN_ON, failed expectations, findings) and logpoint messages. */
  output(category: 'stdout' | 'stderr' | 'console', text: string, range?: SourceRange): void;
  /** Set to stop a running loop at its next yield. */
  readonly signal: { pause: boolean; cancelled: boolean };
  /** Stop where an injected fault decides a call, whatever the exception filters say (launch `stopOnFault`). */
  readonly stopOnFault?: boolean;
}

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How a call is described in stop messages and exceptionInfo. */
export function describeCall(c: RmiCallEvent): string {
  const st = c.status < 0 ? 'SMC_NOT_SUPPORTED' : statusName(c.status);
  const idx = c.index ? ` (index ${c.index})` : '';
  const chk = c.failedCheck ? `: check ${c.failedCheck} failed` : '';
  return `${c.name} returned ${st}${idx}${chk}`;
}

export class Stepper {
  /** High-water marks of what has been reported as output (stepping back does not report twice). */
  private shown = { output: 0, expectations: 0, calls: 0 };
  /** Where the session stopped before a statement, and for which record; resuming skips up to it. */
  private stoppedBefore: { step: number; key: string } | undefined;

  constructor(
    private readonly tl: Timeline,
    private readonly bps: Breakpoints,
    private readonly hooks: StepperHooks,
  ) {}

  get run(): Run & RunImpl {
    return this.tl.run;
  }

  /** After a restart's silent replay: what the run did so far counts as reported. */
  markShown(): void {
    this.shown = { output: this.run.output.length, expectations: this.run.expectations.length, calls: this.run.calls.length };
  }

  /** Reports records the run made beyond what was reported. */
  private flush(): void {
    const r = this.run;
    const s = this.shown;
    for (; s.output < r.output.length; s.output++) {
      const o = r.output[s.output];
      this.hooks.output(o.kind === 'warn' ? 'stderr' : 'stdout', o.text, o.range);
    }
    for (; s.expectations < r.expectations.length; s.expectations++) {
      const e = r.expectations[s.expectations];
      if (!e.passed) this.hooks.output('stderr', e.message, e.range);
    }
    for (; s.calls < r.calls.length; s.calls++) {
      const c = r.calls[s.calls];
      for (const f of c.findings) this.hooks.output('stderr', `${c.name}: ${f.message}`, c.range);
    }
  }

  /**
   * The stop the statement just executed calls for, from the records it added. One statement can
   * call for several (an RMI call with a finding, then the WARN_ON around it): `after` names the
   * one already reported, and only those after it count.
   */
  private callStop(c0: number, o0: number, e0: number, pos: number, record: boolean, after?: string): Stop | undefined {
    if (after === '*') return undefined;
    const all = this.callStops(c0, o0, e0, pos, record);
    const from = after === undefined ? 0 : all.findIndex((s) => s.key === after) + 1;
    const s = all[from];
    if (s) s.beforeStatement = true;
    return s;
  }

  private callStops(c0: number, o0: number, e0: number, pos: number, record: boolean): Stop[] {
    const r = this.run;
    const ex = this.bps.exceptions;
    const out: Stop[] = [];
    if (c0 === r.calls.length && o0 === r.output.length && e0 === r.expectations.length) return out;
    const rmiBps = this.bps.functions.filter((b) => b.kind === 'rmi');
    for (let i = c0; i < r.calls.length; i++) {
      const c = r.calls[i];
      const bp = rmiBps.find((b) => b.name === c.name || this.aliasOf(c) === b.name);
      if (bp && this.hitCounts(bp.hitCondition, bp.hits, pos, record)) {
        out.push({ key: `bp:${i}`, reason: 'function breakpoint', description: `Paused before ${c.name}`, text: describeCall(c), hitBreakpointIds: [bp.id] });
      }
      const only = ex.get('rmi-error');
      const name = c.status < 0 ? 'SMC_NOT_SUPPORTED' : statusName(c.status);
      if (ex.has('rmi-error') && c.status !== 0 && (!only || only.has(name))) out.push(this.exception(`err:${i}`, 'rmi-error', describeCall(c), c));
      else if (this.hooks.stopOnFault && c.fault) out.push(this.exception(`fault:${i}`, 'rmi-error', `injected fault: ${describeCall(c)}`, c));
      if (ex.has('leak') && c.findings.length) {
        out.push(this.exception(`leak:${i}`, 'leak', `${c.name}: ${c.findings[0].message}`, c, c.findings.map((f) => f.message).join('\n')));
      }
    }
    if (ex.has('warn')) {
      for (let i = o0; i < r.output.length; i++) if (r.output[i].kind === 'warn') out.push(this.exception(`warn:${i}`, 'warn', r.output[i].text));
    }
    if (ex.has('expectation')) {
      for (let i = e0; i < r.expectations.length; i++) {
        if (!r.expectations[i].passed) out.push(this.exception(`exp:${i}`, 'expectation', r.expectations[i].message));
      }
    }
    return out;
  }

  private aliasOf(c: RmiCallEvent): string | undefined {
    return this.run.rmm.command(c.fid)?.cmd.name;
  }

  private exception(key: string, id: ExceptionFilter, description: string, call?: RmiCallEvent, details?: string): Stop {
    return { key, reason: 'exception', description, text: description, exception: { id, description, call, details } };
  }

  /** Whether a hit condition allows this hit (recording the hit when `record`). */
  private hitCounts(hitCondition: string | undefined, hits: number[], step: number, record: boolean): boolean {
    // Hits are only counted for breakpoints that have a hit condition.
    if (!hitCondition) return true;
    const n = hitNumber(hits, step, record);
    const f = parseHitCondition(hitCondition);
    return typeof f !== 'string' && f(n);
  }

  /** Line and function-entry breakpoints at the position the run stands at. */
  private positionStop(prevDepth: number, frames: Frame[], record: boolean): Stop | undefined {
    const top = frames[0];
    if (!top) return undefined;
    const step = this.run.steps;
    const ids: number[] = [];
    if (frames.length > prevDepth) {
      for (const bp of this.bps.functions) {
        if (bp.kind !== 'function' || bp.name !== top.name) continue;
        const cond = this.condition(bp.condition, bp.id);
        if (cond === false) continue;
        if (typeof cond === 'object') return cond;
        if (this.hitCounts(bp.hitCondition, bp.hits, step, record)) ids.push(bp.id);
      }
      if (ids.length) return { reason: 'function breakpoint', description: `Paused on entry to ${top.name}`, hitBreakpointIds: ids };
    }
    const here = this.bps.hasLines ? this.bps.at(top.range.file, top.range.line) : undefined;
    if (!here) return undefined;
    for (const bp of here) {
      const cond = this.condition(bp.condition, bp.id);
      if (cond === false) continue;
      if (typeof cond === 'object') return cond;
      if (!this.hitCounts(bp.hitCondition, bp.hits, step, record)) continue;
      if (bp.logMessage) {
        if (record) this.hooks.output('console', this.interpolate(bp.logMessage), top.range);
        continue;
      }
      ids.push(bp.id);
    }
    return ids.length ? { reason: 'breakpoint', hitBreakpointIds: ids } : undefined;
  }

  /**
   * A data breakpoint hit by the RMI calls the statement just executed (calls from index `c0` on):
   * the run stands right after that statement, the changes already made.
   */
  private dataStop(c0: number, step: number, record: boolean): Stop | undefined {
    const r = this.run;
    if (this.bps.data.length === 0 || r.calls.length === c0) return undefined;
    const calls = r.calls.slice(c0);
    const ids: number[] = [];
    const changes: WatchedChange[] = [];
    for (const bp of this.bps.data) {
      const mine = changesIn(bp.watch, calls);
      if (mine.length === 0) continue;
      const cond = this.condition(bp.condition, bp.id);
      if (cond === false) continue;
      if (typeof cond === 'object') return cond;
      if (!this.hitCounts(bp.hitCondition, bp.hits, step, record)) continue;
      ids.push(bp.id);
      for (const c of mine) if (!changes.some((x) => x.pa === c.pa && x.call === c.call && x.to === c.to)) changes.push(c);
    }
    if (!ids.length) return undefined;
    const text = describeChanges(changes);
    return { reason: 'data breakpoint', description: `Paused after ${changes[0].call.name} changed a watched granule`, text, hitBreakpointIds: ids };
  }

  /** true / false, or a stop explaining why the condition could not be evaluated. */
  private condition(expr: string | undefined, id: number): boolean | Stop {
    if (!expr) return true;
    try {
      return this.run.evaluateCondition(expr);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const text = `Breakpoint condition '${expr}' could not be evaluated: ${msg}`;
      this.hooks.output('stderr', text);
      return { reason: 'breakpoint', description: 'Breakpoint condition error', text, hitBreakpointIds: [id] };
    }
  }

  /** A log message with each {expression} replaced by its value. */
  interpolate(message: string): string {
    return message.replace(/\{([^{}]+)\}/g, (_m, expr: string) => {
      try {
        return this.run.evaluate(expr.trim()).value;
      } catch (e) {
        return `<${e instanceof Error ? e.message : String(e)}>`;
      }
    });
  }

  /** Marks a stop; stops before an RMI call remember where they are. */
  private stopped(stop: Stop): Outcome {
    this.stoppedBefore = stop.beforeStatement && stop.key ? { step: this.run.steps, key: stop.key } : undefined;
    return { kind: 'stopped', stop };
  }

  /** Runs forward until `mode` is satisfied, a breakpoint or filter stops it, the run ends, or it is paused. */
  async forward(mode: ForwardMode, opts: { intoRmm?: boolean; skipCallStops?: boolean } = {}): Promise<Outcome> {
    const r = this.run;
    const tl = this.tl;
    const startStep = r.steps;
    const skip = opts.skipCallStops ? '*' : this.stoppedBefore?.step === startStep ? this.stoppedBefore.key : undefined;
    this.stoppedBefore = undefined;
    const startCalls = r.calls.length;
    let prevDepth = r.frames().length;
    const startDepth = prevDepth;
    for (let n = 1; ; n++) {
      if (r.finished) return { kind: 'ended' };
      const pos = r.steps;
      const c0 = r.calls.length, o0 = r.output.length, e0 = r.expectations.length;
      const more = tl.advance();
      if (opts.intoRmm && pos === startStep && r.calls.length > c0 && (!more || r.frames().length <= prevDepth)) {
        // The statement itself made RMI calls (it did not enter a C function): step into them.
        const calls = r.calls.slice(c0);
        tl.goTo(pos);
        return this.stopped({ reason: 'step', enterRmm: calls });
      }
      this.flush();
      const s = this.callStop(c0, o0, e0, pos, true, pos === startStep ? skip : undefined);
      if (s) {
        tl.goTo(pos);
        return this.stopped(s);
      }
      if (!more) {
        const err = r.error;
        if (err && r.frames().length) {
          return this.stopped({ reason: 'exception', description: err.message, text: err.message, exception: { id: 'runtime-error', description: err.message } });
        }
        return { kind: 'ended' };
      }
      const data = this.dataStop(c0, pos, true);
      if (data) return this.stopped(data);
      const frames = r.frames();
      const bp = this.positionStop(prevDepth, frames, true);
      if (bp) return this.stopped(bp);
      const depth = frames.length;
      if (mode === 'stepIn' || (mode === 'next' && depth <= startDepth) || (mode === 'stepOut' && depth < startDepth) ||
        (mode === 'nextCall' && r.calls.length > startCalls)) {
        return this.stopped({ reason: 'step' });
      }
      prevDepth = depth;
      if (n % YIELD_EVERY === 0) {
        await yieldNow();
        if (this.hooks.signal.cancelled) return { kind: 'cancelled' };
        if (this.hooks.signal.pause) {
          this.hooks.signal.pause = false;
          return this.stopped({ reason: 'pause' });
        }
      }
    }
  }

  /**
   * Runs backwards: 'stepBack' to the previous statement of this frame or a caller (the reverse of
   * `next`), 'reverseContinue' to the latest earlier step where a breakpoint or filter would have
   * stopped, or the start. Each checkpoint segment is replayed to find the candidate, then the run
   * is put exactly there.
   */
  async reverse(mode: 'stepBack' | 'reverseContinue'): Promise<Outcome> {
    const r = this.run;
    const tl = this.tl;
    const cur = r.steps;
    this.stoppedBefore = undefined;
    if (cur === 0) return this.stopped({ reason: 'entry', description: 'At the start of the run' });
    const curDepth = r.frames().length;
    let hi = cur - 1;
    let replayed = 0;
    for (;;) {
      const c = hi === 0 ? 0 : tl.checkpointAtOrBefore(hi - 1);
      tl.restoreTo(c);
      let best = -1;
      let bestStop: Stop | undefined;
      let prevDepth = r.frames().length;
      for (let q = c; q <= hi; q++) {
        const c0 = r.calls.length, o0 = r.output.length, e0 = r.expectations.length;
        const more = tl.advance();
        replayed++;
        if (mode === 'reverseContinue') {
          const all = this.callStops(c0, o0, e0, q, false);
          if (all.length) { best = q; bestStop = { ...all[all.length - 1], beforeStatement: true }; }
        }
        if (!more || q + 1 > hi) break;
        const frames = r.frames();
        if (mode === 'stepBack') {
          if (frames.length <= curDepth) { best = q + 1; bestStop = { reason: 'step' }; }
        } else {
          const s = this.dataStop(c0, q, false) ?? this.positionStop(prevDepth, frames, false);
          if (s) { best = q + 1; bestStop = s; }
        }
        prevDepth = frames.length;
      }
      if (best >= 0 && bestStop) {
        tl.goTo(best);
        return this.stopped(bestStop);
      }
      if (c === 0) break;
      hi = c;
      if (replayed >= YIELD_EVERY) {
        replayed = 0;
        await yieldNow();
        if (this.hooks.signal.cancelled) return { kind: 'cancelled' };
        if (this.hooks.signal.pause) {
          this.hooks.signal.pause = false;
          tl.goTo(c);
          return this.stopped({ reason: 'pause' });
        }
      }
    }
    tl.goTo(0);
    return this.stopped({ reason: 'entry', description: 'At the start of the run' });
  }
}
