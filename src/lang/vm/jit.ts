// The JS tier: a compiled function's instructions translated into one JavaScript function, so that
// a run to the end (or a long slice of one) executes without the interpreter's dispatch loop.
// The translation is per instruction and keeps the machine's state exactly as the interpreter
// does (frames with their statement, locals in the emulator's memory, the step count and budget),
// so the two tiers can hand over at any statement: operand-stack slot k lives in a local s<k>
// (jit-depth.ts), and when a slice ends (JitStop) every active function writes its resume pc and
// its live slots back to its frame, where the interpreter carries on.
//
// A generated function runs its frame to RET and returns the value (undefined for void); it
// calls other C functions directly. It throws JIT_STOP when the slice ends at a statement,
// JIT_DEOPT when a callee cannot be translated (the interpreter then takes over), JIT_HALT when
// an intrinsic stopped the machine, and CRuntimeError for a fault, as the interpreter would.
import * as ar from './arith';
import * as m64 from './arith64';
import { CRuntimeError, hex } from './errors';
import { PAGE_OFFSET_M, funcIdOfM } from './layout';
import { analyseDepth, returnsValue } from './jit-depth';
import { EXPR_HELPERS, ExprSource } from './jit-expr';
import { closureExpr, type Closure } from './closures';
import { registerPlan } from './jit-registers';
import { A, Op, kindOf, type K, type CallSite, type CompiledFunction } from './ops';
import type { Value } from './memory';

/** Thrown (never as an error) to unwind the JS stack; the machine's driver catches them. */
export const JIT_STOP = { jit: 'stop' };
export const JIT_DEOPT = { jit: 'deopt' };
export const JIT_HALT = { jit: 'halt' };

/** The machine as generated code sees it (Machine implements it). */
export interface JitHost {
  readonly mem: any;
  readonly gva: Value[];
  readonly sva: Value[];
  readonly stack: Value[];
  readonly frames: any[];
  readonly fns: readonly (CompiledFunction | undefined)[];
  readonly natives: any[];
  /** Generated functions by id (undefined: not translated yet; null: cannot be). */
  readonly jit: (JitFn | null | undefined)[];
  steps: number;
  /** Frames beyond this many are left to the interpreter (the JS stack is smaller than the C one). */
  jitMaxDepth: number;
  /** min(until, maxSteps): a statement at this count leaves the fast path. */
  lim: number;
  status: string;
  jitFor(id: number): JitFn | null;
  /** At a statement when steps reached lim: ends the slice (JIT_STOP) or the run (the step budget). */
  atLimit(f: any, pc: number, stmt: number): never;
  /** Records a frame's resume pc and live slots while JIT_STOP / JIT_DEOPT unwinds. */
  park(f: any, pc: number, slots: Value[]): void;
  enterDirect(callee: CompiledFunction, args: unknown[], callerFp: number): any;
  enterWith(callee: CompiledFunction, fp: number, args: Value[]): any;
  /** The frame's PA below `below`; throws the stack overflow. */
  frameFor(callee: CompiledFunction, below: number): number;
  push(callee: CompiledFunction, fp: number): any;
  enter(callee: CompiledFunction, argc: number, below: number): any;
  releaseFrame(): void;
}

/** pc >= 0: entered by a JS-tier call (register parameters follow); pc < 0: resume the frame at -1 - pc from its memory. */
export type JitFn = (m: JitHost, f: any, pc: number, ...params: Value[]) => Value | undefined;

/** A machine-value address as the unsigned BigInt VA bulk memory functions take. */
export function outerVA(v: Value): bigint {
  return typeof v === 'number' && v >= 0 ? BigInt(v) : BigInt.asUintN(64, BigInt(v));
}

/** The result of an intrinsic with no scalar result kind (a struct address). */
export function nativeResult(r: Value): Value {
  return typeof r === 'bigint' ? m64.from64(r) : r;
}

/** Calls intrinsic `id` at `site` with argument values already computed (machine values). */
export function callNative(m: JitHost, id: number, site: CallSite, args: Value[]): Value | undefined {
  const native = m.natives[id];
  const raw = native.machineValues === true;
  if (!raw) {
    const kinds = site.argKinds ??= site.argTypes.map(kindOf);
    for (let i = 0; i < args.length; i++) args[i] = m64.toOuter(args[i], kinds[i]);
  }
  let r: Value | undefined | void;
  try {
    r = native(m, args, site);
  } finally {
    // An RMI call may have changed granule states or wiped pages (the cache tells).
    m.mem.resume();
  }
  if (m.status !== 'ready') throw JIT_HALT;
  if (!site.returnsValue) return undefined;
  if (raw) return r ?? 0;
  return site.retKind === undefined ? nativeResult(r ?? 0) : m64.fromOuter(ar.convert(r ?? 0, site.retKind), site.retKind);
}

const HELPERS = { ...EXPR_HELPERS, m64, ar, CRuntimeError, hex, funcIdOfM, outerVA, callNative, JIT_STOP, JIT_DEOPT };

/** Whether this environment can make functions from source (a strict CSP forbids it). */
let evalWorks: boolean | undefined;
export function jitAvailable(): boolean {
  if (evalWorks === undefined) {
    try {
      evalWorks = new Function('return 1')() === 1;
    } catch {
      evalWorks = false;
    }
  }
  return evalWorks;
}

const cache = new WeakMap<CompiledFunction, JitFn>();

/** The JS function for `fn` (cached: compiled functions are immutable). Throws when it cannot be translated. */
export function translate(fn: CompiledFunction, fns: readonly (CompiledFunction | undefined)[]): JitFn {
  let g = cache.get(fn);
  if (!g) {
    const { source, consts } = generate(fn, fns);
    g = new Function('B', 'H', source)(consts, HELPERS) as JitFn;
    cache.set(fn, g);
  }
  return g;
}

/** The JS source of `fn`: a factory taking the constants B and helpers H, returning the function. */
export function generate(fn: CompiledFunction, fns: readonly (CompiledFunction | undefined)[]): { source: string; consts: unknown[] } {
  const info = analyseDepth(fn, fns);
  const consts: unknown[] = [];
  const constOf = (v: unknown): string => {
    let i = consts.indexOf(v);
    if (i < 0) i = consts.push(v) - 1;
    return `B${i}`;
  };
  let temps = 0;
  const temp = () => `t${temps++}`;
  const plan = registerPlan(fn, fns);
  const regs = plan.regs;
  const ex = new ExprSource(regs, constOf, temp);
  /** A closure's expression inline (its own call when it has none: then no local is a register). */
  const src = (c: unknown): string => {
    const e = closureExpr.get(c as Closure);
    return e ? ex.value(e) : `${constOf(c)}(m, fo)`;
  };
  const reg = (offset: number) => regs.get(offset)?.name;
  const S = (k: number) => `s${k}`;
  const slotList = (n: number) => Array.from({ length: n }, (_, k) => S(k)).join(', ');
  const lit = (v: unknown): string => (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : constOf(v));
  const out: string[] = [];
  const code = fn.code;
  for (let i = 0; i < code.length; i++) {
    const d = info.depth[i];
    if (d < 0) continue; // unreachable: nothing falls into it
    if (info.labels.has(i)) out.push(`case ${i}:`);
    const ins = code[i];
    const a = ins.a;
    const bin = (expr: string) => out.push(`${S(d - 2)} = ${expr};`);
    const x = S(d - 2);
    const y = S(d - 1);
    switch (ins.op) {
      case Op.STMT:
      case Op.STMTX:
        out.push(`if (m.steps >= m.lim) { at = ${i}; sv = ${d}; m.atLimit(f, ${i}, ${a}); } f.stmt = ${a}; m.steps++;`);
        break;
      case Op.EVAL: out.push(`${S(d)} = ${src(ins.b)};`); break;
      case Op.EXEC: out.push(`${src(ins.b)};`); break;
      case Op.EVALJZ: out.push(`if (!${src(ins.b)}) { pc = ${a}; continue; }`); break;
      case Op.EVALJNZ: out.push(`if (${src(ins.b)}) { pc = ${a}; continue; }`); break;
      case Op.PUSH: out.push(`${S(d)} = ${lit(ins.b)};`); break;
      case Op.POP: break;
      case Op.DUP: out.push(`${S(d)} = ${S(d - 1)};`); break;
      case Op.LADDR: out.push(`${S(d)} = fp + ${a + PAGE_OFFSET_M};`); break;
      case Op.LLOAD: out.push(`${S(d)} = ${reg(a) ?? `mem.loadStack(fo + ${a}, ${ins.b})`};`); break;
      case Op.LSTORE:
      case Op.LSTOREP:
        out.push(reg(a) ? `${reg(a)} = ${canon(S(d - 1), ins.b)};` : `mem.storeStack(fo + ${a}, ${ins.b}, ${S(d - 1)});`);
        break;
      case Op.GADDR: out.push(`${S(d)} = m.gva[${a}];`); break;
      case Op.SADDR: out.push(`${S(d)} = m.sva[${a}];`); break;
      case Op.LOAD: out.push(`${S(d - 1)} = mem.loadM(${S(d - 1)}, ${a});`); break;
      case Op.STORE: out.push(`mem.storeM(${x}, ${a}, ${y}); ${x} = ${y};`); break;
      case Op.COPY:
        out.push(`if (${y} instanceof Uint8Array) mem.write(H.outerVA(${x}), ${y}); else mem.write(H.outerVA(${x}), mem.read(H.outerVA(${y}), ${a}));`);
        break;
      case Op.ZERO: out.push(`mem.write(H.outerVA(${S(d - 1)}), new Uint8Array(${a}));`); break;
      case Op.TEMPCOPY:
        out.push(`mem.writePA(fp + ${a}, mem.read(H.outerVA(${S(d - 1)}), ${ins.b})); ${S(d - 1)} = fp + ${a + PAGE_OFFSET_M};`);
        break;
      case Op.ADD: bin(`m64.add(${x}, ${y}, ${a})`); break;
      case Op.SUB: bin(`m64.sub(${x}, ${y}, ${a})`); break;
      case Op.MUL: bin(`m64.mul(${x}, ${y}, ${a})`); break;
      case Op.DIV: bin(`m64.div(${x}, ${y}, ${a}, false)`); break;
      case Op.MOD: bin(`m64.div(${x}, ${y}, ${a}, true)`); break;
      case Op.AND: bin(`m64.bitwise(${x}, ${y}, ${a}, 'and')`); break;
      case Op.OR: bin(`m64.bitwise(${x}, ${y}, ${a}, 'or')`); break;
      case Op.XOR: bin(`m64.bitwise(${x}, ${y}, ${a}, 'xor')`); break;
      case Op.SHL: bin(`m64.shift(${x}, ${y}, ${a}, true)`); break;
      case Op.SHR: bin(`m64.shift(${x}, ${y}, ${a}, false)`); break;
      case Op.NEG: out.push(`${S(d - 1)} = m64.neg(${S(d - 1)}, ${a});`); break;
      case Op.NOT: out.push(`${S(d - 1)} = m64.not(${S(d - 1)}, ${a});`); break;
      case Op.LNOT: out.push(`${S(d - 1)} = ${S(d - 1)} ? 0 : 1;`); break;
      // Both operands have the same type (the checker converted them); values are canonical.
      case Op.EQ: bin(`${x} == ${y} ? 1 : 0`); break;
      case Op.NE: bin(`${x} != ${y} ? 1 : 0`); break;
      case Op.LT: bin(`m64.lt(${x}, ${y}, ${a}) ? 1 : 0`); break;
      case Op.LE: bin(`m64.lt(${y}, ${x}, ${a}) ? 0 : 1`); break;
      case Op.GT: bin(`m64.lt(${y}, ${x}, ${a}) ? 1 : 0`); break;
      case Op.GE: bin(`m64.lt(${x}, ${y}, ${a}) ? 0 : 1`); break;
      case Op.CONV: out.push(`${S(d - 1)} = m64.convert(${S(d - 1)}, ${a});`); break;
      case Op.PTRADD:
      case Op.PTRSUB: {
        const delta = a === 1 ? y : `m64.mul(${y}, ${a}, ${A.I64})`;
        bin(`m64.${ins.op === Op.PTRADD ? 'add' : 'sub'}(${x}, ${delta}, ${A.I64})`);
        break;
      }
      case Op.PTRDIFF: bin(`m64.div(m64.sub(${x}, ${y}, ${A.I64}), ${a}, ${A.I64}, false)`); break;
      case Op.INCDEC: {
        const b = ins.b as { delta: number; scale: number; prefix: boolean };
        out.push(`{ const va = ${S(d - 1)}; const old = mem.loadM(va, ${a}); const nv = m64.step(old, ${a}, ${b.delta}, ${b.scale}); mem.storeM(va, ${a}, nv); ${S(d - 1)} = ${b.prefix ? 'nv' : 'old'}; }`);
        break;
      }
      case Op.LINCDEC: {
        const b = ins.b as { kind: K; delta: number; scale: number; prefix: boolean };
        const r = reg(a);
        const load = r ?? `mem.loadStack(fo + ${a}, ${b.kind})`;
        const store = r ? `${r} = nv;` : `mem.storeStack(fo + ${a}, ${b.kind}, nv);`;
        out.push(`{ const old = ${load}; const nv = m64.step(old, ${b.kind}, ${b.delta}, ${b.scale}); ${store} ${S(d)} = ${b.prefix ? 'nv' : 'old'}; }`);
        break;
      }
      case Op.JMP: out.push(`pc = ${a}; continue;`); break;
      case Op.JZ: out.push(`if (!${S(d - 1)}) { pc = ${a}; continue; }`); break;
      case Op.JNZ: out.push(`if (${S(d - 1)}) { pc = ${a}; continue; }`); break;
      case Op.SWITCH: {
        const t = fn.switches[a];
        out.push(`{ const t = ${constOf(t.cases)}.get(${S(d - 1)}); pc = t === undefined ? ${t.dflt} : t; continue; }`);
        break;
      }
      case Op.CALL:
      case Op.CALLD:
      case Op.CALLI: {
        const argc = ins.op === Op.CALLD ? 0 : (ins.b as number);
        const rets = ins.op === Op.CALLI ? !!a : returnsValue(fns[a]);
        const base = d - argc - (ins.op === Op.CALLI ? 1 : 0); // slots left once the call has taken its operands
        // Before anything is evaluated: a callee the JS tier cannot run hands the frame, at this
        // instruction, to the interpreter.
        if (ins.op === Op.CALLI) {
          out.push(`{ const ptr = ${S(base)}; const id = H.funcIdOfM(ptr); const callee = id === undefined ? undefined : m.fns[id];`);
          out.push(`if (!callee) throw new H.CRuntimeError(ptr == 0 ? 'call through a NULL function pointer' : 'call through ' + H.hex(H.outerVA(ptr)) + ', which is not the address of a C function', 'bad-call');`);
          out.push(`const g = m.jit[id] ?? m.jitFor(id);`);
        } else {
          out.push(`{ const callee = m.fns[${a}]; if (!callee) throw new H.CRuntimeError('call to a function without a body', 'bad-call');`);
          out.push(`const g = m.jit[${a}] ?? m.jitFor(${a});`);
        }
        // ...and so does a call nested too deep for the JS stack (runaway recursion overflows the C stack in the interpreter).
        out.push(`if (g === null || m.frames.length >= m.jitMaxDepth) { at = ${i}; sv = ${d}; throw H.JIT_DEOPT; }`);
        let enter: string;
        const target = ins.op === Op.CALLI ? undefined : fns[a];
        let call = `g(m, nf, -1)`; // the callee's parameters are in its frame
        // The callee's argument k as an expression: a CALLD argument closure inline, or the slot a
        // CALL argument was computed into (one that made calls of its own).
        const nargs = ins.op === Op.CALLD ? (ins.b as unknown[]).length : argc;
        const argAt = (k: number): string => (ins.op === Op.CALLD ? src((ins.b as unknown[])[k]) : S(base + k));
        if (ins.op !== Op.CALLI && target && target.params.every((p) => !p.struct) && nargs === target.params.length) {
          // The frame below ours (enterDirect, unrolled), arguments evaluated in order: those the
          // callee keeps in registers go as JS arguments, the rest into its parameter slots (not
          // through the operand stack, and the callee does not reload its frame).
          const direct = new Set(registerPlan(target, fns).direct);
          out.push(`const nfp = Math.floor((fp - ${target.frameSize}) / 16) * 16; if (nfp < m.stackBase) m.frameFor(callee, fp);`);
          out.push('const nfo = nfp - m.stackBase;');
          target.params.forEach((p, k) => {
            out.push(direct.has(k) ? `const x${k} = ${argAt(k)};` : `mem.storeStack(nfo + ${p.offset}, ${p.kind}, ${argAt(k)});`);
          });
          enter = 'm.push(callee, nfp)';
          call = `g(m, nf, 0${[...direct].map((k) => `, x${k}`).join('')})`;
        } else if (ins.op === Op.CALLD) {
          // Struct arguments, or more arguments than parameters: values first, then the frame is filled.
          out.push(`const nfp = m.frameFor(callee, fp);`);
          enter = `m.enterWith(callee, nfp, [${(ins.b as unknown[]).map(src).join(', ')}])`;
        }
        else {
          for (let k = 0; k < argc; k++) out.push(`st.push(${S(base + (ins.op === Op.CALLI ? 1 : 0) + k)});`);
          enter = `m.enter(callee, ${argc}, fp)`;
        }
        out.push(`const nf = ${enter}; at = ${i + 1}; sv = ${base};`);
        out.push(`${rets ? `${S(base)} = ` : ''}${call}; }`);
        break;
      }
      case Op.CALLN: {
        const site = ins.b as CallSite;
        const argc = site.args ? 0 : site.argc;
        const args = site.args ? site.args.map(src).join(', ') : slotList(d).split(', ').slice(d - argc).join(', ');
        const call = `H.callNative(m, ${a}, ${constOf(site)}, [${argc || site.args ? args : ''}])`;
        out.push(site.returnsValue ? `${S(d - argc)} = ${call};` : `${call};`);
        break;
      }
      case Op.RET:
        out.push(`m.releaseFrame(); return ${ins.a ? S(d - 1) : 'undefined'};`);
        break;
      default:
        throw new Error(`jit: ${fn.name}: no translation for instruction ${ins.op}`);
    }
  }
  const slots = info.max > 0 ? `let ${slotList(info.max)};` : '';
  const regList = [...regs.entries()];
  // Registers start as the frame holds them (parameters, or whatever an uninitialised local finds
  // there, as in the interpreter) and go back to it whenever the frame outlives this call of the
  // function: a slice ends, the interpreter takes over, or the run stops on an error.
  const loadReg = (off: number, r: { name: string; kind: K }) => `${r.name} = mem.loadStack(fo + ${off}, ${r.kind});`;
  const regDecl = regList.length ? `let ${regList.map(([, r]) => r.name).join(', ')};` : '';
  const paramNames = plan.direct.map((k) => `p${k}`);
  // Entered from the JS tier (pc 0): register parameters arrive as JS arguments, and locals a
  // path may read before writing come from the frame. Entered to resume a frame (pc < 0, from
  // the driver or for a frame set up in memory): everything comes from the frame.
  const fresh = [
    ...plan.direct.map((k) => `${regs.get(fn.params[k].offset)!.name} = p${k};`),
    ...regList.filter(([off]) => plan.loadOnEntry.has(off) && !plan.direct.some((k) => fn.params[k].offset === off)).map(([off, r]) => loadReg(off, r)),
  ].join(' ');
  const resumed = regList.map(([off, r]) => loadReg(off, r)).join(' ');
  // A register never written holds undefined (no machine value is): it leaves the frame's bytes alone.
  const regFlush = regList.map(([off, r]) => `if (${r.name} !== undefined) mem.storeStack(fo + ${off}, ${r.kind}, ${r.name});`).join(' ');
  const tempDecl = temps > 0 ? `let ${Array.from({ length: temps }, (_, k) => `t${k}`).join(', ')};` : '';
  const loads = Array.from({ length: info.max }, (_, k) => `if (n > ${k}) ${S(k)} = st[b + ${k}];`).join(' ');
  const source = [
    ...consts.map((_, i) => `const B${i} = B[${i}];`),
    'const m64 = H.m64;',
    `return function ${fnName(fn)}(${['m', 'f', 'pc', ...paramNames].join(', ')}) {`,
    'const mem = m.mem; const st = m.stack; const fp = f.fp; const fo = fp - m.stackBase;',
    `${slots} ${tempDecl} ${regDecl} let at = 0, sv = 0;`,
    // Resuming a frame the interpreter left: its live slots are on the operand stack above its base.
    `if (pc < 0) { pc = -1 - pc; ${resumed} const b = f.base, n = st.length - b; ${loads} st.length = b; } else { ${fresh} }`,
    'try {',
    'for (;;) switch (pc) {',
    ...out,
    `default: throw new Error('jit: ${fn.name}: no code at ' + pc);`,
    '}',
    '} catch (e) {',
    `if (e === H.JIT_STOP || e === H.JIT_DEOPT) m.park(f, at, [${slotList(info.max)}].slice(0, sv));`,
    regFlush ? `try { ${regFlush} } catch { /* the first error is the one to report */ }` : '',
    'throw e;',
    '}',
    '};',
  ].join('\n');
  return { source, consts };
}

/** A store into a register of kind k: narrow kinds as a store and a load back would leave the value. */
function canon(v: string, k: K): string {
  return k === 0 || k === 1 || k === 2 || k === 3 || k === 8 ? `H.canon(${v}, ${k})` : v;
}

/** A JS identifier naming the C function (profiles and stack traces show it). */
function fnName(fn: CompiledFunction): string {
  return `c_${fn.name.replace(/[^A-Za-z0-9_$]/g, '_')}`;
}
