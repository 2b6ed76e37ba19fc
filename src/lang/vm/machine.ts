// The steppable machine. Its whole state is plain data (frames, operand stack, counters), so a
// snapshot is a cheap copy; all C data lives in the emulator's memory, which the emulator
// snapshots itself. A step executes one statement, entering calls, and stops before the next.
// Values on the operand stack are machine values (arith64.ts); intrinsics get and return outer
// values (64-bit kinds as BigInt), converted at the call by the argument and result kinds, except
// the hot ones marked machineNative. Most expressions are one closure (closures.ts), run with the
// frame's offset in the stack area; runToEnd runs the same loop without stopping between statements.
import type { SrcRange } from '../source';
import * as ar from './arith';
import * as m64 from './arith64';
import { CRuntimeError, hex } from './errors';
import { PAGE_OFFSET_M, funcIdOfM } from './layout';
import type { HostMemory, Value } from './memory';
import { A, K, Op, kindOf, type CallSite, type CompiledFunction } from './ops';
import type { Closure, ExecCtx } from './closures';
import { JIT_DEOPT, JIT_HALT, JIT_STOP, jitAvailable, nativeResult, outerVA, translate, type JitFn, type JitHost } from './jit';

export type NativeFn = ((m: Machine, args: Value[], site: CallSite) => Value | undefined | void) & {
  /** Takes and returns machine values (arith64.ts) rather than outer ones: no BigInt per call. See machineNative. */
  machineValues?: boolean;
};

/**
 * Marks an intrinsic as working on machine values: its arguments arrive as the machine holds them
 * (64-bit kinds as their signed reading, a number when it is safe) and its result must be the
 * machine value of the declared return type. For the small, hot ones (virt_to_phys, page getters).
 */
export function machineNative(fn: NativeFn): NativeFn {
  fn.machineValues = true;
  return fn;
}

export interface FrameState {
  /** Function id. */
  fn: number;
  /** Next instruction (for callers: the one after the call). */
  pc: number;
  /** PA of the frame in the stack area. */
  fp: number;
  /** The statement being executed, or about to be (top frame, stopped). */
  stmt: number;
  /** Operand stack height when the frame was entered. */
  base: number;
}

export interface MachineImage {
  functions: (CompiledFunction | undefined)[];
  /** VA of each global (by index) and string literal. */
  globalsVA: bigint[];
  stringsVA: bigint[];
}

export interface MachineOptions {
  memory: HostMemory;
  /** The stack area [stackLimit, stackTop) in PAs; frames grow down from stackTop. */
  stackTop: number;
  stackLimit: number;
  maxSteps: number;
  natives: NativeFn[];
  /**
   * 'interpreter' keeps runToEnd/runSteps in the interpreter loop (tests compare the tiers);
   * the default runs them through the JS tier (jit.ts) where the environment allows it.
   */
  tier?: 'interpreter' | 'js';
}

export interface MachineSnapshot {
  frames: FrameState[];
  stack: Value[];
  steps: number;
  status: Machine['status'];
  result: Value | undefined;
  error: Machine['error'];
}

export type RunStop = 'stopped' | 'finished' | 'error';

/** C calls the JS tier nests as JS calls before it hands deeper ones to the interpreter. */
const JIT_MAX_NESTING = 400;

export class Machine implements ExecCtx, JitHost {
  frames: FrameState[] = [];
  stack: Value[] = [];
  steps = 0;
  status: 'ready' | 'finished' | 'error' = 'ready';
  result: Value | undefined;
  error: { message: string; code: string; range: SrcRange } | undefined;
  /** Statement budget (maxSteps); exceeding it stops the run with an error. */
  maxSteps: number;
  readonly mem: HostMemory;
  /** globalsVA / stringsVA as machine values (closures read them: ExecCtx). */
  readonly gva: Value[];
  readonly sva: Value[];
  readonly stackVA: number;
  /** PA of the stack area's base: frame offsets (fo) are from here. */
  readonly stackBase: number;
  readonly fns: readonly (CompiledFunction | undefined)[];
  readonly natives: NativeFn[];
  /** The JS tier's functions by id: undefined until first called, null when a function cannot be translated. */
  readonly jit: (JitFn | null | undefined)[] = [];
  /** While the JS tier runs: the slice's end (steps) and min(that, maxSteps). */
  until = Infinity;
  lim = Infinity;
  jitMaxDepth = 0;
  private readonly useJit: boolean;
  /** Frames the JS tier handed back when a slice ended (JIT_STOP) or it deoptimised. */
  private readonly parked = new Map<FrameState, Value[]>();

  constructor(
    readonly image: MachineImage,
    private readonly opts: MachineOptions,
  ) {
    this.mem = opts.memory;
    this.maxSteps = opts.maxSteps;
    this.gva = image.globalsVA.map((v) => m64.from64(v));
    this.stackVA = opts.stackLimit + PAGE_OFFSET_M;
    this.mem.setStack(opts.stackLimit);
    this.sva = image.stringsVA.map((v) => m64.from64(v));
    this.stackBase = opts.stackLimit;
    this.fns = image.functions;
    this.natives = opts.natives;
    this.useJit = opts.tier !== 'interpreter' && jitAvailable();
  }

  /** Starts `fn` (the entry point) and runs up to its first statement. */
  start(fnId: number, args: Value[] = []): RunStop {
    const f = this.image.functions[fnId];
    if (!f) throw new Error(`no function ${fnId}`);
    for (const a of args) this.stack.push(typeof a === 'bigint' ? m64.from64(a) : a);
    this.enter(f, args.length, this.opts.stackTop);
    return this.run(true, false);
  }

  /** Executes one statement (entering calls) and stops before the next. */
  step(): RunStop {
    return this.run(false, false);
  }

  /**
   * Runs to the end (or an error): the same as step() until it stops being 'stopped', without
   * leaving the loop between statements. Steps are counted and the budget enforced as by step().
   */
  runToEnd(): RunStop {
    return this.useJit ? this.runJit(Infinity) : this.run(false, true);
  }

  /** Runs at least `n` statements in the fast loop, then stops before the next one (or ends). */
  runSteps(n: number): RunStop {
    const until = this.steps + Math.max(1, n);
    return this.useJit ? this.runJit(until) : this.run(false, true, until);
  }

  /**
   * runToEnd / runSteps through the JS tier: the top frame's function runs as JavaScript (calling
   * its callees the same way) until it returns, then its caller resumes where the interpreter
   * left it. When the slice ends, the active frames are parked (their pc and operand slots) and
   * the machine is stopped exactly as the interpreter would leave it.
   */
  private runJit(until: number): RunStop {
    if (this.status !== 'ready' || this.frames.length === 0) return this.status === 'error' ? 'error' : 'finished';
    const s0 = this.steps;
    this.until = until;
    this.lim = Math.min(until, this.maxSteps);
    this.mem.resume();
    let bottom = this.frames.length - 1;
    try {
      for (;;) {
        bottom = this.frames.length - 1;
        this.jitMaxDepth = bottom + JIT_MAX_NESTING;
        const f = this.frames[bottom];
        const g = this.jit[f.fn] ?? this.jitFor(f.fn);
        if (g === null) return this.run(this.steps > s0, true, until);
        const v = g(this, f, -1 - f.pc); // pc < 0: resume the frame from its memory and slots
        if (this.frames.length === 0) {
          this.result = typeof v === 'number' || v === undefined ? v : m64.toOuter(v, K.I64);
          this.status = 'finished';
          return 'finished';
        }
        if (v !== undefined) this.stack.push(v);
      }
    } catch (e) {
      if (e === JIT_STOP || e === JIT_DEOPT) {
        this.unpark(bottom);
        return e === JIT_STOP ? 'stopped' : this.run(this.steps > s0, true, until);
      }
      this.parked.clear();
      if (e === JIT_HALT) return (this.status as string) === 'error' ? 'error' : 'finished';
      const range = this.currentRange() ?? this.image.functions[0]!.range;
      if (e instanceof CRuntimeError) this.error = { message: e.message, code: e.code, range };
      else this.error = { message: `internal error: ${e instanceof Error ? e.message : String(e)}`, code: 'internal', range };
      this.status = 'error';
      return 'error';
    } finally {
      this.until = this.lim = Infinity;
    }
  }

  /** The JS function of `id`, translated now; null (and remembered) when it cannot be. */
  jitFor(id: number): JitFn | null {
    const fn = this.fns[id];
    let g: JitFn | null = null;
    if (fn) {
      try {
        g = translate(fn, this.fns);
      } catch {
        g = null; // the interpreter runs it
      }
    }
    this.jit[id] = g;
    return g;
  }

  /** JS tier: a statement reached the slice's end or the step budget. */
  atLimit(f: FrameState, pc: number, stmt: number): never {
    f.pc = pc;
    f.stmt = stmt;
    if (this.steps >= this.until) throw JIT_STOP;
    throw new CRuntimeError(`stopped after ${this.steps} statements: the step budget (maxSteps) is exhausted; is there an endless loop here?`, 'step-budget');
  }

  /** JS tier, unwinding: frame `f` resumes at `pc` with these operand slots. */
  park(f: FrameState, pc: number, slots: Value[]): void {
    f.pc = pc;
    this.parked.set(f, slots);
  }

  /** Puts the parked frames' operand slots back on the stack, each above its frame's base. */
  private unpark(bottom: number): void {
    const stack = this.stack;
    stack.length = this.frames[bottom].base;
    for (let i = bottom; i < this.frames.length; i++) {
      const f = this.frames[i];
      f.base = stack.length;
      const slots = this.parked.get(f);
      if (slots) for (const v of slots) stack.push(v);
    }
    this.parked.clear();
  }

  /** JS tier: RET. */
  releaseFrame(): void {
    this.spare.push(this.frames.pop()!);
  }

  /** The range of the statement a frame is at. */
  stmtRange(f: FrameState): SrcRange {
    const fn = this.image.functions[f.fn]!;
    return fn.stmts[f.stmt] ?? fn.range;
  }

  /** The statement being executed by the innermost frame (where natives are called from). */
  currentRange(): SrcRange | undefined {
    const f = this.frames[this.frames.length - 1];
    return f ? this.stmtRange(f) : undefined;
  }

  snapshot(): MachineSnapshot {
    return {
      frames: this.frames.map((f) => ({ ...f })), stack: this.stack.slice(), steps: this.steps,
      status: this.status, result: this.result, error: this.error,
    };
  }

  restore(s: MachineSnapshot): void {
    this.frames = s.frames.map((f) => ({ ...f }));
    this.stack = s.stack.slice();
    this.steps = s.steps;
    this.status = s.status;
    this.result = s.result;
    this.error = s.error;
  }

  /** The PA of a new frame for `callee` below the one at `below` (checked against the stack's limit). */
  frameFor(callee: CompiledFunction, below: number): number {
    const fp = Math.floor((below - callee.frameSize) / 16) * 16;
    if (fp < this.opts.stackLimit) {
      throw new CRuntimeError(`stack overflow calling '${callee.name}' (${this.frames.length} frames deep; runaway recursion?)`, 'stack-overflow');
    }
    return fp;
  }

  /** Pushes a frame at `fp` (frame objects are reused: snapshots copy them). */
  push(callee: CompiledFunction, fp: number): FrameState {
    let frame = this.spare.pop();
    if (frame) {
      frame.fn = callee.id;
      frame.pc = 0;
      frame.fp = fp;
      frame.stmt = -1;
      frame.base = this.stack.length;
    } else {
      frame = { fn: callee.id, pc: 0, fp, stmt: -1, base: this.stack.length };
    }
    this.frames.push(frame);
    return frame;
  }

  /** Frames popped by RET, for push() to reuse. */
  private readonly spare: FrameState[] = [];

  /** Calls `callee` with arguments computed by closures in the caller's frame, stored straight into the callee's. */
  /** (Also used by the JS tier.) */
  enterDirect(callee: CompiledFunction, args: Closure[], callerFp: number): FrameState {
    const fp = this.frameFor(callee, callerFp);
    const fo = fp - this.opts.stackLimit;
    const callerFo = callerFp - this.opts.stackLimit;
    const mem = this.mem;
    const params = callee.params;
    for (let i = 0; i < args.length; i++) {
      const v = args[i](this, callerFo);
      const p = params[i];
      if (!p) continue;
      if (p.struct) mem.writePA(fp + p.offset, mem.read(outerVA(v), p.size));
      else mem.storeStack(fo + p.offset, p.kind, v);
    }
    return this.push(callee, fp);
  }

  /** JS tier: a frame at `fp` (from frameFor) for `callee`, parameters from argument values. */
  enterWith(callee: CompiledFunction, fp: number, args: Value[]): FrameState {
    const mem = this.mem;
    const fo = fp - this.opts.stackLimit;
    const params = callee.params;
    for (let i = 0; i < args.length; i++) {
      const p = params[i];
      if (!p) continue;
      if (p.struct) mem.writePA(fp + p.offset, mem.read(outerVA(args[i]), p.size));
      else mem.storeStack(fo + p.offset, p.kind, args[i]);
    }
    return this.push(callee, fp);
  }

  enter(callee: CompiledFunction, argc: number, below: number): FrameState {
    const fp = this.frameFor(callee, below);
    const stack = this.stack;
    const mem = this.mem;
    const params = callee.params;
    for (let i = argc - 1; i >= 0; i--) {
      const v = stack.pop()!;
      const p = params[i];
      if (!p) continue;
      if (p.struct) mem.writePA(fp + p.offset, mem.read(BigInt.asUintN(64, BigInt(v)), p.size));
      else mem.storeStack(fp - this.opts.stackLimit + p.offset, p.kind, v);
    }
    return this.push(callee, fp);
  }

  /**
   * The interpreter loop. `primed`: stop at the very next STMT (used by start); `free`: do not stop
   * at one until `until` statements have run in total (runToEnd: never).
   */
  private run(primed: boolean, free: boolean, until = Infinity): RunStop {
    if (this.status !== 'ready' || this.frames.length === 0) return this.status === 'error' ? 'error' : 'finished';
    const fns = this.image.functions;
    const stack = this.stack;
    const mem = this.mem;
    let f = this.frames[this.frames.length - 1];
    let fn = fns[f.fn]!;
    let code = fn.code;
    let pc = f.pc;
    let fp = f.fp;
    // The frame's offset in the stack area: what closures and the local slots use (a small integer).
    const sb = this.opts.stackLimit;
    let fo = fp - sb;
    let done = primed;
    // Between two runs of the loop memory may have changed (a snapshot, a restore, an SMC).
    mem.resume();
    try {
      for (;;) {
        const ins = code[pc++];
        switch (ins.op) {
          case Op.STMT:
            if (done && (!free || this.steps >= until)) {
              f.pc = pc - 1;
              f.stmt = ins.a;
              return 'stopped';
            }
            f.stmt = ins.a;
            if (this.steps >= this.maxSteps) {
              throw new CRuntimeError(`stopped after ${this.steps} statements: the step budget (maxSteps) is exhausted; is there an endless loop here?`, 'step-budget');
            }
            this.steps++;
            done = true;
            break;
          case Op.STMTX: {
            if (done && (!free || this.steps >= until)) {
              f.pc = pc - 1;
              f.stmt = ins.a;
              return 'stopped';
            }
            f.stmt = ins.a;
            if (this.steps >= this.maxSteps) {
              throw new CRuntimeError(`stopped after ${this.steps} statements: the step budget (maxSteps) is exhausted; is there an endless loop here?`, 'step-budget');
            }
            this.steps++;
            done = true;
            const nx = code[pc++];
            if (nx.op === Op.EXEC) nx.b(this, fo);
            else if (nx.op === Op.EVALJZ) { if (!nx.b(this, fo)) pc = nx.a; }
            else if (nx.b(this, fo)) pc = nx.a;
            break;
          }
          case Op.EVAL: stack.push(ins.b(this, fo)); break;
          case Op.EXEC: ins.b(this, fo); break;
          case Op.EVALJZ: if (!ins.b(this, fo)) pc = ins.a; break;
          case Op.EVALJNZ: if (ins.b(this, fo)) pc = ins.a; break;
          case Op.PUSH: stack.push(ins.b); break;
          case Op.POP: stack.pop(); break;
          case Op.DUP: stack.push(stack[stack.length - 1]); break;
          case Op.LADDR: stack.push(fp + ins.a + PAGE_OFFSET_M); break;
          case Op.LLOAD: stack.push(mem.loadStack(fo + ins.a, ins.b)); break;
          case Op.LSTORE: mem.storeStack(fo + ins.a, ins.b, stack[stack.length - 1]); break;
          case Op.LSTOREP: mem.storeStack(fo + ins.a, ins.b, stack.pop()!); break;
          case Op.GADDR: stack.push(this.gva[ins.a]); break;
          case Op.SADDR: stack.push(this.sva[ins.a]); break;
          case Op.LOAD: stack.push(mem.loadM(stack.pop()!, ins.a)); break;
          case Op.STORE: {
            const v = stack.pop()!;
            mem.storeM(stack.pop()!, ins.a, v);
            stack.push(v);
            break;
          }
          case Op.COPY: {
            const src: unknown = stack.pop();
            const dst = stack.pop()!;
            if (src instanceof Uint8Array) mem.write(outerVA(dst), src);
            else mem.write(outerVA(dst), mem.read(outerVA(src as Value), ins.a));
            stack.push(dst);
            break;
          }
          case Op.ZERO: mem.write(outerVA(stack.pop()!), new Uint8Array(ins.a)); break;
          case Op.TEMPCOPY: {
            const src = stack.pop()!;
            mem.writePA(fp + ins.a, mem.read(outerVA(src), ins.b));
            stack.push(fp + ins.a + PAGE_OFFSET_M);
            break;
          }
          case Op.ADD: { const y = stack.pop(); stack.push(m64.add(stack.pop(), y, ins.a)); break; }
          case Op.SUB: { const y = stack.pop(); stack.push(m64.sub(stack.pop(), y, ins.a)); break; }
          case Op.MUL: { const y = stack.pop(); stack.push(m64.mul(stack.pop(), y, ins.a)); break; }
          case Op.DIV: { const y = stack.pop(); stack.push(m64.div(stack.pop(), y, ins.a, false)); break; }
          case Op.MOD: { const y = stack.pop(); stack.push(m64.div(stack.pop(), y, ins.a, true)); break; }
          case Op.AND: { const y = stack.pop(); stack.push(m64.bitwise(stack.pop(), y, ins.a, 'and')); break; }
          case Op.OR: { const y = stack.pop(); stack.push(m64.bitwise(stack.pop(), y, ins.a, 'or')); break; }
          case Op.XOR: { const y = stack.pop(); stack.push(m64.bitwise(stack.pop(), y, ins.a, 'xor')); break; }
          case Op.SHL: { const y = stack.pop()!; stack.push(m64.shift(stack.pop(), y, ins.a, true)); break; }
          case Op.SHR: { const y = stack.pop()!; stack.push(m64.shift(stack.pop(), y, ins.a, false)); break; }
          case Op.NEG: stack.push(m64.neg(stack.pop(), ins.a)); break;
          case Op.NOT: stack.push(m64.not(stack.pop(), ins.a)); break;
          case Op.LNOT: stack.push(stack.pop() ? 0 : 1); break;
          // Both operands have the same type (the checker converted them); values are canonical.
          case Op.EQ: { const y = stack.pop()!; stack.push(stack.pop()! == y ? 1 : 0); break; }
          case Op.NE: { const y = stack.pop()!; stack.push(stack.pop()! != y ? 1 : 0); break; }
          case Op.LT: { const y = stack.pop()!; stack.push(m64.lt(stack.pop()!, y, ins.a) ? 1 : 0); break; }
          case Op.LE: { const y = stack.pop()!; stack.push(m64.lt(y, stack.pop()!, ins.a) ? 0 : 1); break; }
          case Op.GT: { const y = stack.pop()!; stack.push(m64.lt(y, stack.pop()!, ins.a) ? 1 : 0); break; }
          case Op.GE: { const y = stack.pop()!; stack.push(m64.lt(stack.pop()!, y, ins.a) ? 0 : 1); break; }
          case Op.CONV: stack.push(m64.convert(stack.pop()!, ins.a)); break;
          case Op.PTRADD:
          case Op.PTRSUB: {
            const i = stack.pop()!;
            const p = stack.pop()!;
            const d = ins.a === 1 ? i : m64.mul(i, ins.a, A.I64);
            stack.push(ins.op === Op.PTRADD ? m64.add(p, d, A.I64) : m64.sub(p, d, A.I64));
            break;
          }
          case Op.PTRDIFF: {
            const r = stack.pop()!;
            const l = stack.pop()!;
            stack.push(m64.div(m64.sub(l, r, A.I64), ins.a, A.I64, false));
            break;
          }
          case Op.INCDEC: {
            const va = stack.pop()!;
            const old = mem.loadM(va, ins.a);
            const nv = m64.step(old, ins.a, ins.b.delta, ins.b.scale);
            mem.storeM(va, ins.a, nv);
            stack.push(ins.b.prefix ? nv : old);
            break;
          }
          case Op.LINCDEC: {
            const b = ins.b;
            const old = mem.loadStack(fo + ins.a, b.kind);
            const nv = m64.step(old, b.kind, b.delta, b.scale);
            mem.storeStack(fo + ins.a, b.kind, nv);
            stack.push(b.prefix ? nv : old);
            break;
          }
          case Op.JMP: pc = ins.a; break;
          case Op.JZ: if (!stack.pop()) pc = ins.a; break;
          case Op.JNZ: if (stack.pop()) pc = ins.a; break;
          case Op.SWITCH: {
            const t = fn.switches[ins.a];
            const target = t.cases.get(stack.pop()!);
            pc = target ?? t.dflt;
            break;
          }
          case Op.CALL:
          case Op.CALLI: {
            let callee: CompiledFunction | undefined;
            if (ins.op === Op.CALL) callee = fns[ins.a];
            else {
              const args = stack.splice(stack.length - ins.b, ins.b);
              const ptr = stack.pop()!;
              const id = funcIdOfM(ptr);
              callee = id === undefined ? undefined : fns[id];
              if (!callee) {
                throw new CRuntimeError(ptr == 0 ? 'call through a NULL function pointer' : `call through ${hex(outerVA(ptr))}, which is not the address of a C function`, 'bad-call');
              }
              stack.push(...args);
            }
            if (!callee) throw new CRuntimeError('call to a function without a body', 'bad-call');
            f.pc = pc;
            f = this.enter(callee, ins.b, fp);
            fn = callee;
            code = fn.code;
            pc = 0;
            fp = f.fp;
            fo = fp - sb;
            break;
          }
          case Op.CALLD: {
            const callee = fns[ins.a];
            if (!callee) throw new CRuntimeError('call to a function without a body', 'bad-call');
            f.pc = pc;
            f = this.enterDirect(callee, ins.b, fp);
            fn = callee;
            code = fn.code;
            pc = 0;
            fp = f.fp;
            fo = fp - sb;
            break;
          }
          case Op.CALLN: {
            const site = ins.b as CallSite;
            const native = this.opts.natives[ins.a];
            const raw = native.machineValues === true;
            const kinds = site.argKinds ??= site.argTypes.map(kindOf);
            let args: Value[];
            const argFns = site.args;
            if (argFns) {
              args = new Array<Value>(argFns.length);
              for (let i = 0; i < argFns.length; i++) args[i] = argFns[i](this, fo);
            } else {
              args = site.argc ? stack.splice(stack.length - site.argc, site.argc) : [];
            }
            if (!raw) for (let i = 0; i < args.length; i++) args[i] = m64.toOuter(args[i], kinds[i]);
            f.pc = pc;
            let r: Value | undefined | void;
            try {
              r = native(this, args, site);
            } finally {
              // An RMI call may have changed granule states or wiped pages (the cache tells).
              mem.resume();
            }
            if (site.returnsValue) {
              if (raw) stack.push(r ?? 0);
              else stack.push(site.retKind === undefined ? nativeResult(r ?? 0) : m64.fromOuter(ar.convert(r ?? 0, site.retKind), site.retKind));
            }
            if (this.status !== 'ready') return this.status === 'error' ? 'error' : 'finished';
            break;
          }
          case Op.RET: {
            const v = ins.a ? stack.pop() : undefined;
            if (stack.length !== f.base) stack.length = f.base; // (setting the length is not free)
            this.spare.push(this.frames.pop()!);
            if (this.frames.length === 0) {
              this.result = typeof v === 'number' || v === undefined ? v : m64.toOuter(v, K.I64);
              this.status = 'finished';
              return 'finished';
            }
            f = this.frames[this.frames.length - 1];
            fn = fns[f.fn]!;
            code = fn.code;
            pc = f.pc;
            fp = f.fp;
            fo = fp - sb;
            if (ins.a) stack.push(v!);
            break;
          }
          default:
            throw new Error(`bad instruction ${ins.op}`);
        }
      }
    } catch (e) {
      f.pc = pc;
      const range = this.stmtRange(f);
      if (e instanceof CRuntimeError) this.error = { message: e.message, code: e.code, range };
      else this.error = { message: `internal error: ${e instanceof Error ? e.message : String(e)}`, code: 'internal', range };
      this.status = 'error';
      return 'error';
    }
  }

  /** Stops the machine from inside a native (e.g. BUG()): the run ends with this error. */
  halt(message: string, code: string): never {
    throw new CRuntimeError(message, code);
  }
}
