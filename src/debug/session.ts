// The Debug Adapter: DAP requests mapped onto a run (src/run) through the stepper and timeline.
// Rules it keeps (anchors.md section 11): every request gets a response, even malformed ones;
// events go out after the response of the request that caused them; nothing runs before
// configurationDone (no timers); long runs yield so that pause, disconnect and terminate are
// answered at once; variable handles are reset whenever the run moves.
import { ExitedEvent, InitializedEvent, LoggingDebugSession, OutputEvent, StoppedEvent, TerminatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { RunImpl, SourceRange } from '../run';
import { endReport } from './end-report';
import { Breakpoints, EXCEPTION_FILTERS, normalizePath } from './breakpoints';
import { addressHeld, dataIdOf, describeWatch, parseDataId, watchAt } from './data-breakpoints';
import { checkLaunchArgs, compileScenario, defaultReadFile, type LaunchArgs } from './launch';
import { readPhysical } from './memory';
import { Stepper, describeCall, type ForwardMode, type Outcome, type Stop } from './stepper';
import { RMM_FRAME_ID, RmmWalk, listingFor } from './rmm-frame';
import { Sources } from './sources';
import { Timeline } from './timeline';
import { realmsVariables } from './realm-variables';
import { VariableHandles, granuleVariables, registerVariables } from './variables';

export interface SessionHooks {
  /** Reads a file (the extension prefers unsaved editor text); default: fs.readFileSync, undefined when missing. */
  readFile?(path: string): string | undefined;
  /** Called whenever the session stops (entry, step, breakpoint, exception, pause) and at the end. */
  onStopped?(run: RunImpl, reason: string): void;
  onTerminated?(): void;
}

export const THREAD_ID = 1;

type State = 'idle' | 'configuring' | 'stopped' | 'running' | 'ended';

/** A request error whose message the user reads. */
class UserError extends Error {}

export class RealmDebugSession extends LoggingDebugSession {
  private state: State = 'idle';
  private args: LaunchArgs | undefined;
  private timeline: Timeline | undefined;
  private stepper: Stepper | undefined;
  private readonly breakpoints = new Breakpoints();
  private readonly handles = new VariableHandles();
  private readonly signal = { pause: false, cancelled: false };
  private lastStop: Stop | undefined;
  private readonly sources = new Sources();
  /** Set while stepping through an RMM command's checks (rmm-frame.ts). */
  private walk: RmmWalk | undefined;
  private terminatedSent = false;

  private readonly hooks: SessionHooks;

  constructor(hooks?: SessionHooks) {
    super();
    // DebugSession.run passes obsolete boolean arguments: anything but an object means no hooks.
    this.hooks = typeof hooks === 'object' && hooks !== null ? hooks : {};
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  private readFile(file: string): string | undefined {
    return this.hooks.readFile ? this.hooks.readFile(file) : defaultReadFile(file);
  }

  private get run(): RunImpl {
    if (!this.timeline) throw new UserError('no scenario is loaded (launch first)');
    return this.timeline.run;
  }

  // ---- plumbing: every handler runs guarded, so a bad request is an error response, never a throw.

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    try {
      super.dispatchRequest(request);
    } catch (e) {
      this.fail({ seq: 0, type: 'response', request_seq: request.seq, command: request.command, success: false }, e);
    }
  }

  private fail(response: DebugProtocol.Response, e: unknown): void {
    response.success = false;
    response.message = e instanceof Error ? e.message : String(e);
    response.body = { error: { id: 1, format: response.message.replace(/[{}]/g, '') } };
    this.sendResponse(response);
  }

  private guard<R extends DebugProtocol.Response>(response: R, fn: () => void | Promise<void>): void {
    try {
      const p = fn();
      if (p) p.catch((e) => this.fail(response, e));
    } catch (e) {
      this.fail(response, e);
    }
  }

  private requireStopped(threadId?: unknown): void {
    if (threadId !== undefined && threadId !== THREAD_ID) throw new UserError(`unknown thread ${String(threadId)} (the only thread is ${THREAD_ID}, "scenario")`);
    if (this.state === 'running') throw new UserError('the scenario is running; pause it first');
    if (this.state !== 'stopped') throw new UserError('the scenario is not stopped');
  }

  private source(file: string): DebugProtocol.Source {
    return this.sources.file(file);
  }

  private output(category: string, text: string, range?: SourceRange): void {
    const e = new OutputEvent(`${text}\n`, category) as DebugProtocol.OutputEvent;
    if (range) {
      e.body.source = this.source(range.file);
      e.body.line = range.line;
      e.body.column = range.column;
    }
    this.sendEvent(e);
  }

  // ---- lifecycle

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      supportsEvaluateForHovers: true,
      supportsExceptionInfoRequest: true,
      supportsExceptionFilterOptions: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ ...f })),
      supportsReadMemoryRequest: true,
      supportsSteppingGranularity: true,
      supportsDelayedStackTraceLoading: true,
      supportsDataBreakpoints: true,
      supportsDataBreakpointBytes: true,
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, raw: DebugProtocol.LaunchRequestArguments): void {
    this.guard(response, async () => {
      if (this.state !== 'idle') throw new UserError('a scenario is already launched in this session');
      const checked = checkLaunchArgs(raw);
      if ('error' in checked) return this.launchFailed(response, [checked.error]);
      const compiled = await compileScenario(checked.args, (f) => this.readFile(f));
      if ('errors' in compiled) return this.launchFailed(response, compiled.errors);
      if (this.signal.cancelled) throw new UserError('the session was ended during launch');
      this.args = checked.args;
      this.walk = undefined;
      this.load(compiled.run);
      this.state = 'configuring';
      this.sendResponse(response);
      this.sendEvent(new InitializedEvent());
    });
  }

  private launchFailed(response: DebugProtocol.Response, errors: string[]): void {
    for (const e of errors) this.output('stderr', e);
    this.fail(response, new UserError(errors.join('\n')));
  }

  private load(run: RunImpl): void {
    this.timeline = new Timeline(run);
    this.stepper = new Stepper(this.timeline, this.breakpoints, {
      output: (cat, text, range) => this.output(cat, text, range),
      signal: this.signal,
      stopOnFault: this.args?.stopOnFault === true,
    });
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.guard(response, () => {
      if (this.state !== 'configuring') throw new UserError('configurationDone: nothing is waiting for configuration');
      this.sendResponse(response);
      if (this.args?.stopOnEntry === false) this.execute(() => this.stepper!.forward('continue'));
      else this.stopAt({ reason: 'entry' });
    });
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.signal.cancelled = true;
    this.state = 'ended';
    this.sendResponse(response);
    this.hooks.onTerminated?.();
    this.shutdown();
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.signal.cancelled = true;
    this.state = 'ended';
    this.sendResponse(response);
    this.sendTerminated();
  }

  private sendTerminated(): void {
    if (this.terminatedSent) return;
    this.terminatedSent = true;
    this.sendEvent(new TerminatedEvent());
    this.hooks.onTerminated?.();
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    this.guard(response, async () => {
      if (!this.timeline || !this.args || this.state === 'idle' || this.state === 'ended') throw new UserError('nothing to restart');
      const raw = (args?.arguments as unknown) ?? this.args;
      const checked = checkLaunchArgs({ ...this.args, ...(raw as object) });
      if ('error' in checked) return this.launchFailed(response, [checked.error]);
      const compiled = await compileScenario(checked.args, (f) => this.readFile(f));
      if ('errors' in compiled) return this.launchFailed(response, compiled.errors);
      // Stop whatever was running, then replay the new program to the same step.
      this.signal.pause = false;
      const target = this.run.steps;
      this.args = checked.args;
      this.walk = undefined;
      this.load(compiled.run);
      const tl = this.timeline!;
      tl.goTo(target);
      if (tl.run.finished && !tl.run.error && tl.run.steps > 0) tl.goTo(tl.run.steps - 1);
      this.stepper!.markShown();
      for (const bp of this.breakpoints.rebind((f) => tl.run.statementLines(f))) {
        this.sendEvent({ seq: 0, type: 'event', event: 'breakpoint', body: { reason: 'changed', breakpoint: this.lineBreakpoint(bp) } } as DebugProtocol.BreakpointEvent);
      }
      this.sendResponse(response);
      this.stopAt({ reason: tl.run.steps === 0 ? 'entry' : 'goto', description: `Restarted at step ${tl.run.steps}` });
    });
  }

  // ---- execution

  /** Runs an execution after the request's response; reports its outcome as events. */
  private execute(fn: () => Promise<Outcome>): void {
    this.state = 'running';
    this.walk = undefined;
    this.handles.reset();
    this.signal.pause = false;
    void (async () => {
      await Promise.resolve();
      let outcome: Outcome;
      try {
        outcome = await fn();
      } catch (e) {
        this.output('stderr', `internal error in the debug adapter: ${e instanceof Error ? e.message : String(e)}`);
        outcome = { kind: 'ended' };
      }
      if (this.signal.cancelled || outcome.kind === 'cancelled') return;
      if (outcome.kind === 'stopped') this.stopAt(outcome.stop);
      else this.end();
    })();
  }

  private stopAt(stop: Stop): void {
    if (stop.enterRmm) {
      this.walk = new RmmWalk(this.run.rmm, stop.enterRmm);
      stop = this.walk.describe();
    }
    this.state = 'stopped';
    this.lastStop = stop;
    this.handles.reset();
    const e = new StoppedEvent(stop.reason, THREAD_ID, stop.text) as DebugProtocol.StoppedEvent;
    if (stop.description) e.body.description = stop.description;
    if (stop.hitBreakpointIds) e.body.hitBreakpointIds = stop.hitBreakpointIds;
    e.body.allThreadsStopped = true;
    this.sendEvent(e);
    this.hooks.onStopped?.(this.run, stop.reason);
  }

  /** The run is over: the end report, exited, terminated. */
  private end(): void {
    const run = this.run;
    this.state = 'ended';
    const report = endReport(run);
    for (const l of report.lines) this.output(l.category, l.text, l.range);
    this.hooks.onStopped?.(run, 'end');
    this.sendEvent(new ExitedEvent(report.exitCode));
    this.sendTerminated();
  }

  private resume(response: DebugProtocol.Response, threadId: unknown, fn: () => Promise<Outcome>): void {
    this.guard(response, () => {
      this.requireStopped(threadId);
      this.sendResponse(response);
      this.execute(fn);
    });
  }

  /**
   * Inside an RMM command frame the walk moves without running anything; leaving it completes
   * the statement that made the call (its call stops were seen in the walk, so they are skipped).
   */
  private walkStep(response: DebugProtocol.Response, threadId: unknown, dir: 'forward' | 'back' | 'leave', then: (skip: boolean) => Promise<Outcome>): void {
    const walk = this.walk;
    if (!walk) return this.resume(response, threadId, () => then(false));
    this.guard(response, () => {
      this.requireStopped(threadId);
      this.sendResponse(response);
      if (dir === 'forward' && walk.forward()) return this.stopWalk(walk);
      if (dir === 'back') {
        if (walk.back()) return this.stopWalk(walk);
        this.walk = undefined;
        return this.stopAt({ reason: 'step', description: `Back before ${walk.current.name}` });
      }
      this.execute(() => then(true));
    });
  }

  private stopWalk(walk: RmmWalk): void {
    this.stopAt(walk.describe());
    this.walk = walk;
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    response.body = { allThreadsContinued: true };
    this.walkStep(response, args?.threadId, 'leave', (skip) => this.stepper!.forward('continue', { skipCallStops: skip }));
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    const mode: ForwardMode = args?.granularity === 'instruction' ? 'nextCall' : 'next';
    this.walkStep(response, args?.threadId, 'forward', (skip) => this.stepper!.forward(skip ? 'stepIn' : mode, { skipCallStops: skip }));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    const mode: ForwardMode = args?.granularity === 'instruction' ? 'nextCall' : 'stepIn';
    this.walkStep(response, args?.threadId, 'forward', (skip) => this.stepper!.forward(mode, { skipCallStops: skip, intoRmm: !skip && mode === 'stepIn' }));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.walkStep(response, args?.threadId, 'leave', (skip) => this.stepper!.forward(skip ? 'stepIn' : 'stepOut', { skipCallStops: skip }));
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.walkStep(response, args?.threadId, 'back', () => this.stepper!.reverse('stepBack'));
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse, args: DebugProtocol.ReverseContinueArguments): void {
    this.walkStep(response, args?.threadId, 'leave', () => this.stepper!.reverse('reverseContinue'));
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): void {
    this.guard(response, () => {
      if (args?.threadId !== undefined && args.threadId !== THREAD_ID) throw new UserError(`unknown thread ${String(args.threadId)}`);
      if (this.state === 'running') this.signal.pause = true;
      this.sendResponse(response);
    });
  }

  // ---- breakpoints

  private lineBreakpoint(bp: { id: number; line?: number; requestedLine: number; file: string; message?: string }): DebugProtocol.Breakpoint {
    const out: DebugProtocol.Breakpoint = { id: bp.id, verified: bp.line !== undefined, line: bp.line ?? bp.requestedLine, source: this.source(bp.file) };
    if (bp.message) out.message = bp.message;
    return out;
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.guard(response, () => {
      const file = (args?.source?.sourceReference ? this.sources.fileOf(args.source.sourceReference) : undefined) ?? args?.source?.path;
      if (!file) throw new UserError('setBreakpoints: the source has no path');
      const requested = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
      if (!Array.isArray(requested) || requested.some((b) => !b || !Number.isInteger(b.line))) throw new UserError('setBreakpoints: every breakpoint needs a line number');
      const key = normalizePath(file);
      const lines = this.timeline ? this.run.statementLines(key) : [];
      const set = this.breakpoints.setLines(key, requested, lines);
      response.body = { breakpoints: set.map((b) => this.lineBreakpoint(b)) };
      this.sendResponse(response);
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.guard(response, () => {
      const requested = args?.breakpoints;
      if (!Array.isArray(requested)) throw new UserError('setFunctionBreakpoints: breakpoints must be an array');
      const fns = new Set(this.timeline ? this.run.compiled.functions.filter((f) => f?.stmts?.length).map((f) => f!.name) : []);
      const rmiWithCondition = requested.find((r) => r?.condition);
      const set = this.breakpoints.setFunctions(requested, (n) => fns.has(n));
      response.body = {
        breakpoints: set.map((s) => {
          const b: DebugProtocol.Breakpoint = { id: s.id, verified: s.verified };
          if (s.message) b.message = s.message;
          else if (s.bp?.kind === 'rmi' && rmiWithCondition && s.bp.condition) {
            b.message = 'conditions are not evaluated on RMI command breakpoints (they stop before the call); use a hit count or the rmi-error filter';
          }
          return b;
        }),
      };
      this.sendResponse(response);
    });
  }

  /**
   * Which granule a data breakpoint would watch: a variable holding a PA (a Granules or Realms
   * entry, a phys_addr_t local, a register), a C expression, or an address (`asAddress`).
   * "Not possible" is an answer (dataId null, with the reason), not an error.
   */
  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.guard(response, () => {
      if (typeof args?.name !== 'string' || !args.name.trim()) throw new UserError('dataBreakpointInfo: name must be a non-empty string');
      if (args.bytes !== undefined && (!Number.isInteger(args.bytes) || args.bytes < 1)) throw new UserError('dataBreakpointInfo: bytes must be a positive whole number');
      const run = this.run;
      const name = args.name.trim();
      // An address needs no stopped state (the Breakpoints view offers it while running too).
      const literal = args.asAddress && /^\s*(0x[0-9a-f]+|\d+)\s*$/i.test(name);
      if (!literal) this.requireStopped();
      const none = (description: string) => {
        response.body = { dataId: null, description };
        this.sendResponse(response);
      };
      let address: bigint | undefined;
      if (args.variablesReference !== undefined && args.variablesReference !== 0) {
        const p = this.handles.get(args.variablesReference);
        if (!p) throw new UserError(`unknown variablesReference ${String(args.variablesReference)} (values expire when the scenario moves)`);
        const v = p().find((x) => x.name === name);
        if (!v) return none(`no variable named '${name}' here`);
        address = addressHeld(v);
        if (address === undefined) return none(`'${name}' does not hold a physical address (value ${v.value})`);
      } else if (literal) {
        address = BigInt(name);
      } else {
        const frameId = args.frameId === undefined ? undefined : this.checkFrame(args.frameId);
        let v;
        try {
          v = run.evaluate(name, frameId === RMM_FRAME_ID ? undefined : frameId);
        } catch (e) {
          return none(`'${name}' cannot be evaluated: ${e instanceof Error ? e.message : String(e)}`);
        }
        address = addressHeld(v);
        if (address === undefined) return none(`'${name}' is not a physical address (value ${v.value})`);
      }
      const w = watchAt(run.rmm, address, args.bytes ?? 1);
      if (typeof w === 'string') return none(w);
      const now = w.count === 1 ? ` (now ${run.rmm.granule(BigInt(w.pa)).state})` : '';
      response.body = { dataId: dataIdOf(w), description: `State of ${describeWatch(w)}${now}`, accessTypes: ['write'], canPersist: true };
      this.sendResponse(response);
    });
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.guard(response, () => {
      const requested = args?.breakpoints;
      if (!Array.isArray(requested)) throw new UserError('setDataBreakpoints: breakpoints must be an array');
      const rmm = this.timeline?.run.rmm;
      const set = this.breakpoints.setData(requested, (id) => parseDataId(rmm, id));
      response.body = {
        breakpoints: set.map((s) => {
          const b: DebugProtocol.Breakpoint = { id: s.id, verified: s.verified };
          if (s.message) b.message = s.message;
          else if (s.bp) b.message = `Stops when ${describeWatch(s.bp.watch)} changes state`;
          return b;
        }),
      };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.guard(response, () => {
      const err = this.breakpoints.setExceptions(args?.filters ?? [], args?.filterOptions ?? []);
      if (err) throw new UserError(err);
      this.sendResponse(response);
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    this.guard(response, () => {
      this.requireStopped(args?.threadId);
      const ex = this.lastStop?.exception;
      if (!ex) throw new UserError('the scenario did not stop on an exception');
      const c = ex.call;
      const details: DebugProtocol.ExceptionDetails = { message: ex.details ?? ex.description };
      if (c) {
        details.typeName = c.name;
        details.fullTypeName = `${c.name}${c.failedCheck ? ` / ${c.failedCheck}` : ''}`;
        details.evaluateName = c.failedCheck;
      }
      response.body = { exceptionId: ex.id, description: c ? describeCall(c) : ex.description, breakMode: 'always', details };
      this.sendResponse(response);
    });
  }

  // ---- state: threads, stack, scopes, variables, evaluate, memory

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'scenario')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.guard(response, () => {
      this.requireStopped(args?.threadId);
      const all: DebugProtocol.StackFrame[] = this.run.frames().map((f) => ({
        id: f.id, name: f.name, source: this.source(f.range.file), line: f.range.line, column: f.range.column,
        endLine: f.range.endLine, endColumn: f.range.endColumn,
      }));
      if (this.walk) {
        const l = listingFor(this.run.rmm, this.walk.current);
        all.unshift({ id: RMM_FRAME_ID, name: l.name, source: this.sources.listing(l), line: this.walk.line(l), column: 1 });
      }
      const start = Math.max(0, args.startFrame ?? 0);
      const levels = args.levels && args.levels > 0 ? args.levels : all.length;
      response.body = { totalFrames: all.length, stackFrames: all.slice(start, start + levels) };
      this.sendResponse(response);
    });
  }

  /** A frame id of the stopped state; the RMM command frame counts while walking it. */
  private checkFrame(frameId: unknown): number {
    if (frameId === RMM_FRAME_ID && this.walk) return frameId;
    if (typeof frameId !== 'number' || !this.run.frames().some((f) => f.id === frameId)) throw new UserError(`unknown frame ${String(frameId)}`);
    return frameId;
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.guard(response, () => {
      this.requireStopped();
      const frameId = this.checkFrame(args?.frameId);
      const run = this.run;
      const h = this.handles;
      const walk = this.walk;
      if (frameId === RMM_FRAME_ID && walk) {
        const l = listingFor(run.rmm, walk.current);
        const vars = walk.variables(l);
        const call = walk.current;
        response.body = {
          scopes: [
            { name: 'Check', presentationHint: 'locals', variablesReference: h.add(() => vars), expensive: false },
            { name: 'Registers', presentationHint: 'registers', variablesReference: h.add(() => registerVariables(run.rmm, call)), expensive: false },
            { name: 'Realms', variablesReference: h.add(() => realmsVariables(run.rmm, h)), expensive: false },
            { name: 'Granules', variablesReference: h.add(() => granuleVariables(run.rmm, h)), expensive: false },
          ],
        };
        return this.sendResponse(response);
      }
      response.body = {
        scopes: [
          { name: 'Locals', presentationHint: 'locals', variablesReference: h.add(() => run.locals(frameId).map((v) => h.fromRun(v))), expensive: false },
          { name: 'Globals', variablesReference: h.add(() => run.globals().map((v) => h.fromRun(v))), expensive: false },
          { name: 'Registers', presentationHint: 'registers', variablesReference: h.add(() => registerVariables(run.rmm, run.calls[run.calls.length - 1])), expensive: false },
          { name: 'Realms', variablesReference: h.add(() => realmsVariables(run.rmm, h)), expensive: false },
          { name: 'Granules', variablesReference: h.add(() => granuleVariables(run.rmm, h)), expensive: false },
        ],
      };
      this.sendResponse(response);
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.guard(response, () => {
      this.requireStopped();
      const p = typeof args?.variablesReference === 'number' ? this.handles.get(args.variablesReference) : undefined;
      if (!p) throw new UserError(`unknown variablesReference ${String(args?.variablesReference)} (values expire when the scenario moves)`);
      let vars = p();
      if (args.filter === 'named') vars = vars.filter((v) => !/^\[\d+\]$/.test(v.name));
      if (args.start !== undefined || args.count !== undefined) {
        const start = Math.max(0, args.start ?? 0);
        vars = vars.slice(start, args.count ? start + args.count : undefined);
      }
      response.body = { variables: vars };
      this.sendResponse(response);
    });
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.guard(response, () => {
      if (typeof args?.expression !== 'string' || !args.expression.trim()) throw new UserError('evaluate: no expression');
      this.requireStopped();
      const checked = args.frameId === undefined ? undefined : this.checkFrame(args.frameId);
      // In the RMM command frame, C expressions see the innermost C frame.
      const frameId = checked === RMM_FRAME_ID ? undefined : checked;
      const v = this.run.evaluate(args.expression.trim(), frameId);
      const d = this.handles.fromRun(v);
      response.body = { result: d.value, type: d.type, variablesReference: d.variablesReference };
      if (d.memoryReference) response.body.memoryReference = d.memoryReference;
      this.sendResponse(response);
    });
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.guard(response, () => {
      if (typeof args?.memoryReference !== 'string') throw new UserError('readMemory: memoryReference missing');
      if (!this.timeline) throw new UserError('no scenario is loaded');
      response.body = readPhysical(this.run.rmm, args.memoryReference, args.offset ?? 0, args.count);
      this.sendResponse(response);
    });
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    this.guard(response, () => {
      const ref = args?.source?.sourceReference ?? args?.sourceReference;
      const text = this.sources.content(ref, args?.source?.path, (f) => this.timeline?.run.compiled.files.get(f)?.text);
      if (text === undefined) throw new UserError(`no source for reference ${String(ref ?? args?.source?.path)}`);
      response.body = { content: text, mimeType: 'text/x-c' };
      this.sendResponse(response);
    });
  }
}
