// A run: scenario (+ host library) compiled and loaded into the emulator's NS DRAM, executed by
// the steppable machine. Memory layout, top of the DRAM region downwards:
//   [top - 1 MiB, top)   the C stack (frames grow down)
//   below it             runtime data: rmi_last, string literals, globals
//   below that           the page allocator's pages (alloc_page, kmalloc ...), handed out downwards
// so scenarios that use fixed PAs near the DRAM base do not collide with host allocations.
import {
  Machine, HostMemory, checkExpression, compile, evaluateExpr, kindOf, loadStatics, staticSize, virt_to_phys, phys_to_virt,
  type CParser, type Compiled, type FrameState, type NativeFn, type ParserAssets, type Program, type SourceUnit, type TExpr, type VarSym,
} from '../lang';
import { loadCParser } from '../lang';
import { createRmm, type Profile, type Rmm, type RmmSnapshot } from '../rmm';
import type { TraceSink } from '../rmm/trace';
import { PageAllocator, type AllocatorSnapshot } from './allocator';
import { CallLog } from './call-log';
import type { Diagnostic, Expectation, Frame, HostVariant, RmiCallEvent, Run, RunOptions, RunOutput, SourceRange, Variable } from './api';
import type { RunContext } from './context';
import { expectNatives } from './intrinsics/expect';
import { kernelNatives } from './intrinsics/kernel';
import { memoryNatives } from './intrinsics/memory';
import { rmiNatives, type PendingFault } from './intrinsics/rmi';
import { readMachineDecl, type MachineDecl } from './machine-decl';
import { scalarVariable, variable } from './variables';

export const ENTRY = 'scenario';
export const DEFAULT_PROFILE: Profile = '2.0';
export const DEFAULT_HOST: HostVariant = 'v14';
export const DEFAULT_MAX_STEPS = 10_000_000;
const STACK_SIZE = 1 << 20;
const RMI_LAST_SIZE = 40;
const RUNTIME_GLOBALS = ['rmi_last'];

type NativeFactory = (ctx: RunContext) => Record<string, NativeFn>;
const NATIVE_FACTORIES: NativeFactory[] = [rmiNatives, expectNatives, kernelNatives, memoryNatives];
/** Names of every intrinsic (the checker needs them before a run exists). */
export const NATIVE_NAMES: readonly string[] = NATIVE_FACTORIES.flatMap((f) => Object.keys(f(undefined as unknown as RunContext)));

/** The embedded host library for a variant; none yet (the host code task adds src/host/c). */
export type HostLibrary = (variant: HostVariant) => SourceUnit[];

export interface RunCheckpoint {
  rmm: RmmSnapshot;
  machine: ReturnType<Machine['snapshot']>;
  alloc: AllocatorSnapshot;
  pending: PendingFault[];
  counts: { calls: number; expectations: number; output: number; notes: number };
}

export async function createRunWith(opts: RunOptions, assets: ParserAssets, hostLibrary?: HostLibrary): Promise<RunImpl> {
  const parser = await loadCParser(assets);
  return new RunImpl(opts, parser, hostLibrary);
}

export class RunImpl implements Run {
  readonly diagnostics: Diagnostic[];
  readonly rmm: Rmm;
  readonly profile: Profile;
  readonly hostVariant: HostVariant;
  /** The calls as the emulator reported them (columns), once the run started; `calls` makes their views when read. */
  private readonly log: CallLog | undefined;
  /** The event objects handed out so far: the first `length` calls of the log. */
  private readonly callObjects: RmiCallEvent[] = [];
  readonly expectations: Expectation[] = [];
  readonly output: RunOutput[] = [];
  /** Runtime warnings that do not stop the run (e.g. a check that could not be made). */
  readonly notes: Diagnostic[] = [];
  readonly compiled: Compiled;
  /** Milliseconds spent compiling (preprocess, parse, check, codegen). */
  readonly compileMs: number;
  private readonly machine: Machine | undefined;
  private readonly mem: HostMemory | undefined;
  private readonly alloc: PageAllocator | undefined;
  private readonly pendingFaults: PendingFault[] = [];
  private readonly evalCache = new Map<string, TExpr>();

  constructor(opts: RunOptions, private readonly parser: CParser, hostLibrary?: HostLibrary) {
    const t0 = Date.now();
    const units: SourceUnit[] = [];
    const firstPass = [{ path: opts.file, text: opts.source, origin: 'scenario' as const }];
    let compiled = compile(parser, firstPass, { readFile: opts.readFile, natives: NATIVE_NAMES, runtimeGlobals: RUNTIME_GLOBALS });
    const diags: Diagnostic[] = [];
    let decl: MachineDecl = {};
    if (compiled.program) decl = readMachineDecl(compiled.program, diags);
    this.profile = opts.profile ?? decl.profile ?? opts.defaultProfile ?? DEFAULT_PROFILE;
    this.hostVariant = opts.hostVariant ?? decl.host ?? opts.defaultHostVariant ?? DEFAULT_HOST;
    // With a host library, the scenario is compiled again together with it (the library first, so
    // that the scenario's definitions override the library's).
    const lib = hostLibrary ? hostLibrary(this.hostVariant) : [];
    if (lib.length) {
      units.push(...lib, ...firstPass);
      compiled = compile(parser, units, { readFile: opts.readFile, natives: NATIVE_NAMES, runtimeGlobals: RUNTIME_GLOBALS });
    }
    this.compiled = compiled;
    this.diagnostics = [...compiled.diagnostics, ...diags];
    const program = compiled.program;
    const entry = program?.globalScope.get(ENTRY);
    if (compiled.ok && (!entry || entry.k !== 'func' || !entry.fn.body)) {
      this.diagnostics.push({
        range: { file: opts.file, line: 1, column: 1, endLine: 1, endColumn: 1 }, severity: 'error', code: 'no-entry',
        message: `no entry function: define 'void ${ENTRY}(void)' in the scenario`,
      });
    } else if (entry?.k === 'func' && entry.fn.type.params.length > 0) {
      this.diagnostics.push({ range: entry.fn.range, severity: 'error', code: 'no-entry', message: `the entry function '${ENTRY}' must take no parameters` });
    }
    const dram = { base: decl.dramBase ?? 0x8000_0000n, size: decl.dramSize ?? 0x4000_0000n };
    this.rmm = this.makeRmm(opts, dram);
    this.compileMs = Date.now() - t0;
    if (this.diagnostics.some((d) => d.severity === 'error') || !program || entry?.k !== 'func') return;

    // Memory: stack at the top of DRAM, runtime data below it, allocator pages below that.
    const top = Number(dram.base + dram.size);
    const dataSize = Math.ceil((RMI_LAST_SIZE + staticSize(program)) / 4096) * 4096;
    const dataBase = top - STACK_SIZE - dataSize;
    const mem = new HostMemory(this.rmm);
    const rmiLastVA = phys_to_virt(dataBase);
    const statics = loadStatics(program, mem, dataBase + RMI_LAST_SIZE, (name) => (name === 'rmi_last' ? rmiLastVA : undefined));
    const maxBytes = opts.maxMemoryBytes ?? Number.MAX_SAFE_INTEGER;
    const alloc = new PageAllocator(this.rmm, dataBase, Number(dram.base), maxBytes);
    const ctx: RunContext = {
      get machine() { return machine; },
      rmm: this.rmm, mem, alloc, expectations: this.expectations, output: this.output, notes: this.notes,
      rmiLastVA, pendingFaults: this.pendingFaults,
      stmtRange: () => machine.currentRange() ?? entry.fn.range,
      text: (r) => this.text(r),
    };
    const natives: NativeFn[] = [];
    for (const f of NATIVE_FACTORIES) for (const [name, fn] of Object.entries(f(ctx))) {
      const id = compiled.nativeIds.get(name);
      if (id !== undefined) natives[id] = fn;
    }
    const machine = new Machine(
      { functions: compiled.functions, globalsVA: statics.globalsVA, stringsVA: statics.stringsVA },
      { memory: mem, stackTop: top, stackLimit: top - STACK_SIZE, maxSteps: opts.maxSteps ?? DEFAULT_MAX_STEPS, natives, tier: opts.tier },
    );
    this.machine = machine;
    this.mem = mem;
    this.alloc = alloc;
    // The emulator lends each call to the log's recorder, with where the C code made it.
    const log = new CallLog({
      range: () => machine.currentRange() ?? entry.fn.range,
      entryLine: (range) => {
        const outer = machine.frames[0];
        return outer ? machine.stmtRange(outer).line : range.line;
      },
      step: () => machine.steps,
    });
    this.log = log;
    const sink: TraceSink = () => {
      throw new Error('the run records its calls through TraceSink.record');
    };
    sink.record = log.record;
    this.rmm.onTrace = sink;
    machine.start(entry.fn.id);
  }

  /** The emulator for this run; a configuration it refuses becomes a diagnostic, not an exception. */
  private makeRmm(opts: RunOptions, dram: { base: bigint; size: bigint }): Rmm {
    const at: SourceRange = { file: opts.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
    try {
      return createRmm({ profile: this.profile, dram: [dram], faults: opts.faults });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.diagnostics.push({ range: at, severity: 'error', code: /fault/.test(message) ? 'bad-fault' : 'machine', message: `cannot set up the emulator: ${message}` });
      return createRmm({ profile: this.profile });
    }
  }

  /** Every RMI call so far, in order; their objects are made on first read and kept. */
  get calls(): RmiCallEvent[] {
    const out = this.callObjects;
    const log = this.log;
    if (log) for (let i = out.length; i < log.length; i++) out.push(log.event(i));
    return out;
  }

  /** How many RMI calls the run has made (without making their objects). */
  get callCount(): number {
    return this.log?.length ?? 0;
  }

  get steps(): number {
    return this.machine?.steps ?? 0;
  }

  get finished(): boolean {
    return !this.machine || this.machine.status !== 'ready';
  }

  get error(): Diagnostic | undefined {
    const e = this.machine?.error;
    return e && { range: e.range, severity: 'error', message: e.message, code: e.code };
  }

  /** The program, when it compiled. */
  get program(): Program | undefined {
    return this.compiled.program;
  }

  step(): boolean {
    if (!this.machine || this.finished) return false;
    return this.machine.step() === 'stopped';
  }

  runSteps(n: number): boolean {
    if (!this.machine || this.finished) return false;
    return this.machine.runSteps(n) === 'stopped';
  }

  /** Runs to the end (or to an error or budget). */
  runToEnd(): void {
    if (this.machine && !this.finished) this.machine.runToEnd();
  }

  frames(): Frame[] {
    const m = this.machine;
    if (!m) return [];
    const out: Frame[] = [];
    for (let i = m.frames.length - 1; i >= 0; i--) {
      const f = m.frames[i];
      const fn = this.compiled.functions[f.fn]!;
      out.push({ id: i + 1, name: fn.name, kind: fn.origin === 'scenario' ? 'scenario' : 'host', range: m.stmtRange(f) });
    }
    return out;
  }

  locals(frameId: number): Variable[] {
    const m = this.machine;
    const f = m?.frames[frameId - 1];
    if (!m || !f || !this.program) return [];
    return this.visibleLocals(f).map((v) => variable(this.mem!, v.name, v.type, phys_to_virt(f.fp + v.offset)));
  }

  /** Locals of a machine frame visible at its current statement (innermost declaration wins). */
  private visibleLocals(f: FrameState): VarSym[] {
    const fn = this.program!.functions[f.fn];
    const seen = new Set<string>();
    const out: VarSym[] = [];
    for (let i = fn.locals.length - 1; i >= 0; i--) {
      const v = fn.locals[i];
      const s = v.scope;
      if (!s || f.stmt < s.from || f.stmt >= s.to || seen.has(v.name)) continue;
      seen.add(v.name);
      out.push(v);
    }
    return out.reverse();
  }

  /**
   * Evaluates a C expression over the stopped state (hover, watch, debug console, conditions), in
   * a frame (default: the innermost). Read-only: assignments and calls are refused. Throws an
   * Error whose message is meant for the user.
   */
  evaluate(expression: string, frameId?: number): Variable {
    const m = this.machine;
    if (!m || !this.program) throw new Error('the program did not compile');
    const f = frameId === undefined ? m.frames[m.frames.length - 1] : m.frames[frameId - 1];
    if (frameId !== undefined && !f) throw new Error(`no frame ${frameId}`);
    const locals = f ? this.visibleLocals(f) : [];
    const key = `${f ? `${f.fn}:${locals.map((v) => v.offset).join(',')}` : '-'}|${expression}`;
    let e = this.evalCache.get(key);
    if (!e) {
      e = checkExpression(this.parser, this.compiled, expression, locals);
      if (this.evalCache.size > 500) this.evalCache.clear();
      this.evalCache.set(key, e);
    }
    const type = e.type;
    try {
      const r = evaluateExpr(e, { mem: this.mem!, fp: f?.fp, globalsVA: m.image.globalsVA, stringsVA: m.image.stringsVA });
      const va = r.kind === 'lvalue' ? r.va : (r.value as bigint);
      if (type.t === 'int' || type.t === 'ptr') {
        // A scalar is read here, so that an unreadable one is an error rather than a value.
        return scalarVariable(this.mem!, expression, type, r.kind === 'lvalue' ? this.mem!.load(r.va, kindOf(type)) : r.value);
      }
      return variable(this.mem!, expression, type, va);
    } catch (err) {
      throw new Error(err instanceof Error ? err.message : String(err));
    }
  }

  /** A condition's truth (conditional breakpoints): the expression compared with 0. */
  evaluateCondition(expression: string, frameId?: number): boolean {
    const v = this.evaluate(`(${expression}) != 0`, frameId);
    return v.value === '1';
  }

  /** Lines of `file` where a statement starts (where a step can stop): for verifying breakpoints. */
  statementLines(file: string): number[] {
    const lines = new Set<number>();
    for (const fn of this.compiled.functions) for (const r of fn?.stmts ?? []) if (r.file === file) lines.add(r.line);
    return [...lines].sort((a, b) => a - b);
  }

  /** PAs of the pages the host's allocator still hands out to the program (sorted), for leak reports. */
  hostPages(): number[] {
    return this.alloc?.ownedPages() ?? [];
  }

  /** Steps over calls: stops at the next statement of this frame or of a caller. */
  stepOver(): boolean {
    const depth = this.frames().length;
    let more = this.step();
    while (more && this.frames().length > depth) more = this.step();
    return more;
  }

  /** Runs until the current function has returned to its caller. */
  stepOut(): boolean {
    const depth = this.frames().length;
    let more = this.step();
    while (more && this.frames().length >= depth) more = this.step();
    return more;
  }

  globals(): Variable[] {
    const m = this.machine;
    if (!m || !this.program) return [];
    return this.program.globals.map((g, i) => variable(this.mem!, g.sym.name, g.sym.type, m.image.globalsVA[i]));
  }

  /** The value of an integer or pointer global (signed types sign-extended), e.g. for tests and hovers. */
  globalValue(name: string): bigint | undefined {
    const m = this.machine;
    const sym = this.program?.globalScope.get(name);
    if (!m || sym?.k !== 'var') return undefined;
    const t = sym.v.sym.type;
    if (t.t !== 'int' && t.t !== 'ptr') return undefined;
    return BigInt(this.mem!.load(m.image.globalsVA[sym.v.sym.index], kindOf(t)));
  }

  /** The source text of a range (from the files the run compiled). */
  text(r: SourceRange): string {
    const f = this.compiled.files.get(r.file);
    if (!f) return '';
    const a = f.lineStart(r.line) + r.column - 1;
    const b = f.lineStart(r.endLine) + r.endColumn - 1;
    return f.text.slice(a, b);
  }

  /** Everything needed to come back to this point: emulator, machine, allocator and records. */
  checkpoint(): RunCheckpoint | undefined {
    if (!this.machine || !this.alloc) return undefined;
    return {
      rmm: this.rmm.snapshot(), machine: this.machine.snapshot(), alloc: this.alloc.snapshot(),
      pending: this.pendingFaults.map((p) => ({ ...p })),
      counts: { calls: this.callCount, expectations: this.expectations.length, output: this.output.length, notes: this.notes.length },
    };
  }

  restore(c: RunCheckpoint): void {
    if (!this.machine || !this.alloc) return;
    this.rmm.restore(c.rmm);
    this.machine.restore(c.machine);
    this.alloc.restore(c.alloc);
    this.pendingFaults.splice(0, this.pendingFaults.length, ...c.pending.map((p) => ({ ...p })));
    this.log?.truncate(c.counts.calls);
    if (this.callObjects.length > c.counts.calls) this.callObjects.length = c.counts.calls;
    this.expectations.length = c.counts.expectations;
    this.output.length = c.counts.output;
    this.notes.length = c.counts.notes;
  }

  /** PA of a host virtual address (for memory references), or undefined. */
  static physOf(va: bigint): number | undefined {
    return virt_to_phys(va);
  }
}
