// The steppable machine. Its whole state is plain data (frames, operand stack, counters), so a
// snapshot is a cheap copy; all C data lives in the emulator's memory, which the emulator
// snapshots itself. A step executes one statement, entering calls, and stops before the next.
// Values on the operand stack are machine values (arith64.ts); intrinsics get and return outer
// values (64-bit kinds as BigInt), converted at the call by the argument and result kinds.
import type { SrcRange } from '../source';
import * as ar from './arith';
import * as m64 from './arith64';
import { CRuntimeError, hex } from './errors';
import { PAGE_OFFSET_M, funcIdOfM } from './layout';
import type { HostMemory, Value } from './memory';
import { A, K, Op, kindOf, type CallSite, type CompiledFunction } from './ops';

export type NativeFn = (m: Machine, args: Value[], site: CallSite) => Value | undefined | void;

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

export class Machine {
  frames: FrameState[] = [];
  stack: Value[] = [];
  steps = 0;
  status: 'ready' | 'finished' | 'error' = 'ready';
  result: Value | undefined;
  error: { message: string; code: string; range: SrcRange } | undefined;
  /** Statement budget (maxSteps); exceeding it stops the run with an error. */
  maxSteps: number;
  readonly mem: HostMemory;
  /** globalsVA / stringsVA as machine values. */
  private readonly gva: Value[];
  private readonly sva: Value[];

  constructor(
    readonly image: MachineImage,
    private readonly opts: MachineOptions,
  ) {
    this.mem = opts.memory;
    this.maxSteps = opts.maxSteps;
    this.gva = image.globalsVA.map((v) => m64.from64(v));
    this.sva = image.stringsVA.map((v) => m64.from64(v));
  }

  /** Starts `fn` (the entry point) and runs up to its first statement. */
  start(fnId: number, args: Value[] = []): RunStop {
    const f = this.image.functions[fnId];
    if (!f) throw new Error(`no function ${fnId}`);
    for (const a of args) this.stack.push(typeof a === 'bigint' ? m64.from64(a) : a);
    this.enter(f, args.length, this.opts.stackTop);
    return this.run(true);
  }

  /** Executes one statement (entering calls) and stops before the next. */
  step(): RunStop {
    return this.run(false);
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

  private enter(callee: CompiledFunction, argc: number, below: number): FrameState {
    const fp = Math.floor((below - callee.frameSize) / 16) * 16;
    if (fp < this.opts.stackLimit) {
      throw new CRuntimeError(`stack overflow calling '${callee.name}' (${this.frames.length} frames deep; runaway recursion?)`, 'stack-overflow');
    }
    const stack = this.stack;
    const mem = this.mem;
    const params = callee.params;
    for (let i = argc - 1; i >= 0; i--) {
      const v = stack.pop()!;
      const p = params[i];
      if (!p) continue;
      if (p.struct) mem.writePA(fp + p.offset, mem.read(BigInt.asUintN(64, BigInt(v)), p.size));
      else mem.storePA(fp + p.offset, p.kind, v);
    }
    const frame: FrameState = { fn: callee.id, pc: 0, fp, stmt: -1, base: stack.length };
    this.frames.push(frame);
    return frame;
  }

  /** The interpreter loop. `primed`: stop at the very next STMT (used by start). */
  private run(primed: boolean): RunStop {
    if (this.status !== 'ready' || this.frames.length === 0) return this.status === 'error' ? 'error' : 'finished';
    const fns = this.image.functions;
    const stack = this.stack;
    const mem = this.mem;
    let f = this.frames[this.frames.length - 1];
    let fn = fns[f.fn]!;
    let code = fn.code;
    let pc = f.pc;
    let fp = f.fp;
    let done = primed;
    // Between two runs of the loop memory may have changed (a snapshot, a restore, an SMC).
    mem.resume();
    try {
      for (;;) {
        const ins = code[pc++];
        switch (ins.op) {
          case Op.STMT:
            if (done) {
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
          case Op.PUSH: stack.push(ins.b); break;
          case Op.POP: stack.pop(); break;
          case Op.DUP: stack.push(stack[stack.length - 1]); break;
          case Op.LADDR: stack.push(fp + ins.a + PAGE_OFFSET_M); break;
          case Op.LLOAD: stack.push(mem.loadPA(fp + ins.a, ins.b)); break;
          case Op.LSTORE: mem.storePA(fp + ins.a, ins.b, stack[stack.length - 1]); break;
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
            const old = mem.loadPA(fp + ins.a, b.kind);
            const nv = m64.step(old, b.kind, b.delta, b.scale);
            mem.storePA(fp + ins.a, b.kind, nv);
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
            break;
          }
          case Op.CALLN: {
            const site = ins.b as CallSite;
            const args = site.argc ? stack.splice(stack.length - site.argc, site.argc) : [];
            const kinds = site.argKinds ??= site.argTypes.map(kindOf);
            for (let i = 0; i < args.length; i++) args[i] = m64.toOuter(args[i], kinds[i]);
            f.pc = pc;
            let r: Value | undefined | void;
            try {
              r = this.opts.natives[ins.a](this, args, site);
            } finally {
              // An RMI call may have changed granule states or wiped pages (the cache tells).
              mem.resume();
            }
            if (site.returnsValue) stack.push(site.retKind === undefined ? nativeResult(r ?? 0) : m64.fromOuter(ar.convert(r ?? 0, site.retKind), site.retKind));
            if (this.status !== 'ready') return this.status === 'error' ? 'error' : 'finished';
            break;
          }
          case Op.RET: {
            const v = ins.a ? stack.pop() : undefined;
            stack.length = f.base;
            this.frames.pop();
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

/** A machine-value address as the outer (unsigned BigInt) VA the bulk memory functions take. */
function outerVA(v: Value): bigint {
  return typeof v === 'number' && v >= 0 ? BigInt(v) : BigInt.asUintN(64, BigInt(v));
}

/** The result of an intrinsic with no scalar result kind (a struct address). */
function nativeResult(r: Value): Value {
  return typeof r === 'bigint' ? m64.from64(r) : r;
}

