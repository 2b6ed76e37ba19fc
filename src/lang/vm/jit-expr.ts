// The JS tier's expressions: a call-free expression (what closures.ts makes a closure of) as JS
// source, so that it runs inline in the function's translation instead of through a chain of
// closure calls. It computes exactly what the closure computes: the same order of evaluation,
// the same machine values (arith64.ts), the same memory accesses and faults. Scalar locals whose
// address is never taken may live in JS variables ("registers", jit.ts decides which); the rest
// are read and written in the frame, in the emulator's memory, as the interpreter does.
import type { TExpr } from '../check/tree';
import { sizeOf } from '../check/types';
import { from64 } from './arith64';
import * as m64 from './arith64';
import { FUNC_VA_BASE } from './layout';
import type { HostMemory, Value } from './memory';
import { A, K, arithKind, kindOf } from './ops';

const MAX = Number.MAX_SAFE_INTEGER;

/** Register names of the scalar locals kept in JS variables, by frame offset. */
export type Registers = ReadonlyMap<number, { name: string; kind: K }>;

/** Runtime helpers the generated expressions call (as H.x): the multi-step cases of closures.ts. */
export const EXPR_HELPERS = {
  add64(x: any, y: any, a: A): Value {
    if (typeof x === 'number' && typeof y === 'number') {
      const s = x + y;
      if (s <= MAX && s >= -MAX) return s;
    }
    return m64.add(x, y, a);
  },
  sub64(x: any, y: any, a: A): Value {
    if (typeof x === 'number' && typeof y === 'number') {
      const s = x - y;
      if (s <= MAX && s >= -MAX) return s;
    }
    return m64.sub(x, y, a);
  },
  /** x & small mask: the low 32 bits of x decide. `y` (the mask's own value) is evaluated and dropped, as the closure does. */
  andMask(x: any, _y: unknown, rc: number): number {
    return typeof x === 'number' ? (x >>> 0) & rc : Number(BigInt.asUintN(32, x)) & rc;
  },
  shlConst(x: any, n: number, p: number, a: A): Value {
    if (typeof x === 'number') {
      const v = x * p;
      if (v <= MAX && v >= -MAX) return v + 0;
    }
    return m64.shift(x, n, a, true);
  },
  shrConst(x: any, n: number, p: number, a: A): Value {
    if (typeof x === 'number' && (a === A.I64 || x >= 0)) return Math.floor(x / p) + 0;
    return m64.shift(x, n, a, false);
  },
  ptrAdd(x: any, n: any, scale: number, sub: boolean): Value {
    if (typeof x === 'number' && typeof n === 'number') {
      const d = n * scale;
      if (d <= MAX && d >= -MAX) {
        const r = sub ? x - d : x + d;
        if (r <= MAX && r >= -MAX) return r + 0;
      }
    }
    const d = scale === 1 ? n : m64.mul(n, scale, A.I64);
    return sub ? m64.sub(x, d, A.I64) : m64.add(x, d, A.I64);
  },
  ptrCombine(old: Value, y: Value, scale: number, sub: boolean): Value {
    const d = scale === 1 ? y : m64.mul(y, scale, A.I64);
    return sub ? m64.sub(old, d, A.I64) : m64.add(old, d, A.I64);
  },
  member(p: any, off: number): Value {
    if (typeof p === 'number') {
      const r = p + off;
      if (r <= MAX && r >= -MAX) return r;
    }
    return m64.add(p, off, A.I64);
  },
  convI32(v: any): Value {
    return typeof v === 'number' ? v | 0 : m64.convert(v, K.I32);
  },
  convU32(v: any): Value {
    return typeof v === 'number' ? v >>> 0 : m64.convert(v, K.U32);
  },
  storeM(mem: HostMemory, p: Value, k: K, x: Value): Value {
    mem.storeM(p, k, x);
    return x;
  },
  storeL(mem: HostMemory, so: number, k: K, x: Value): Value {
    mem.storeStack(so, k, x);
    return x;
  },
  incdecL(mem: HostMemory, so: number, k: K, delta: number, scale: number, prefix: boolean): Value {
    const old = mem.loadStack(so, k);
    const nv = m64.step(old, k, delta, scale);
    mem.storeStack(so, k, nv);
    return prefix ? nv : old;
  },
  incdecM(mem: HostMemory, p: Value, k: K, delta: number, scale: number, prefix: boolean): Value {
    const old = mem.loadM(p, k);
    const nv = m64.step(old, k, delta, scale);
    mem.storeM(p, k, nv);
    return prefix ? nv : old;
  },
  /** The first of two values (a post-increment of a register: the old value, after the update). */
  first(a: Value, _b: unknown): Value {
    return a;
  },
  /** lt(r, l) with l evaluated first (<= and > of unsigned 64-bit values). */
  ltSwap(l: Value, r: Value, a: A): boolean {
    return m64.lt(r, l, a);
  },
  /** A value as a store of kind k and a load back would leave it (registers of narrow kinds). */
  canon(v: Value, k: K): Value {
    return m64.convert(v, k);
  },
};

/** How an opassign combines (closures.ts binaryFn): the m64 call for operator `op`. */
function combineSrc(op: string, x: string, y: string, a: A): string {
  switch (op) {
    case '+': return `m64.add(${x}, ${y}, ${a})`;
    case '-': return `m64.sub(${x}, ${y}, ${a})`;
    case '*': return `m64.mul(${x}, ${y}, ${a})`;
    case '/': return `m64.div(${x}, ${y}, ${a}, false)`;
    case '%': return `m64.div(${x}, ${y}, ${a}, true)`;
    case '&': return `m64.bitwise(${x}, ${y}, ${a}, 'and')`;
    case '|': return `m64.bitwise(${x}, ${y}, ${a}, 'or')`;
    case '^': return `m64.bitwise(${x}, ${y}, ${a}, 'xor')`;
    case '<<': return `m64.shift(${x}, ${y}, ${a}, true)`;
    default: return `m64.shift(${x}, ${y}, ${a}, false)`;
  }
}

/** What the JS tier's register choice learns from an expression (jit.ts registersOf). */
export interface LocalUses {
  /** A scalar local read and/or written (`write`: certainly, whenever the expression runs). */
  use(offset: number, kind: K, read: boolean, write: boolean): void;
  /** A local whose address is formed. */
  addrOf(offset: number, size: number): void;
}

const isScalar = (e: TExpr) => e.type.t === 'int' || e.type.t === 'ptr';
const isLocalScalar = (e: TExpr): e is TExpr & { e: 'var' } => e.e === 'var' && e.sym.kind === 'local' && isScalar(e);
/** Narrow kinds: a register holding one is kept as a store and a load back would leave it. */
const NARROW = new Set([K.I8, K.U8, K.I16, K.U16, K.BOOL]);

export class ExprSource {
  constructor(
    private readonly regs: Registers,
    /** Names a constant (a BigInt, a Map) for the generated code. */
    private readonly constOf: (v: unknown) => string,
    /** A fresh function-level temporary variable. */
    private readonly temp: () => string,
    /** Analysis (no registers yet): told of every scalar local read or written, and every local whose address is formed. */
    private readonly seen?: LocalUses,
  ) {}

  private lit(v: number | bigint): string {
    return typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0) ? `(${v})` : this.constOf(v);
  }

  /** Writes under && / || / ?: may not happen: they do not count as assignments (LocalUses). */
  private conditional = 0;

  /** A scalar local's register, if it has one; `read` / `write`: how the expression uses it. */
  private reg(e: TExpr, read: boolean, write: boolean): { name: string; kind: K } | undefined {
    if (e.e !== 'var' || e.sym.kind !== 'local') return undefined;
    if (this.seen && isScalar(e)) this.seen.use(e.sym.offset, kindOf(e.type), read, write && this.conditional === 0);
    return this.regs.get(e.sym.offset);
  }

  /** A store of `v` into register r: narrow kinds canonicalised as memory would. */
  private setReg(r: { name: string; kind: K }, v: string): string {
    return NARROW.has(r.kind) ? `(${r.name} = H.canon(${v}, ${r.kind}))` : `(${r.name} = ${v})`;
  }

  /** The machine value of a pure expression (void: undefined). */
  value(e: TExpr): string {
    switch (e.e) {
      case 'const': return this.lit(typeof e.v === 'bigint' ? from64(e.v) : e.v);
      case 'var': {
        const r = this.reg(e, true, false);
        if (r) return r.name;
        if (e.sym.kind === 'local' && e.type.t !== 'struct' && e.type.t !== 'array') return `mem.loadStack(fo + ${e.sym.offset}, ${kindOf(e.type)})`;
        return this.load(this.addr(e), e);
      }
      case 'str': case 'deref': case 'member':
        return this.load(this.addr(e), e);
      case 'func': return this.lit(from64(FUNC_VA_BASE + BigInt(e.fn.id) * 16n));
      case 'addr': return e.arg.e === 'func' ? this.value(e.arg) : this.addr(e.arg);
      case 'decay': return this.addr(e.arg);
      case 'unary': {
        const x = this.value(e.arg);
        const a = arithKind(e.arg.type);
        if (e.op === '-') return a === A.I32 ? `(-${x} | 0)` : `m64.neg(${x}, ${a})`;
        if (e.op === '~') return a === A.I32 ? `(~${x})` : `m64.not(${x}, ${a})`;
        return `(${x} ? 0 : 1)`;
      }
      case 'binary':
        return this.binary(e.op, this.value(e.left), this.value(e.right), arithKind(e.type), e.right.e === 'const' ? from64(BigInt(e.right.v)) : undefined);
      case 'cmp': return this.compare(e.op, this.value(e.left), this.value(e.right), arithKind(e.left.type));
      case 'logic': {
        const l = this.value(e.left);
        this.conditional++;
        const r = this.value(e.right);
        this.conditional--;
        return `(${l} ${e.op} ${r} ? 1 : 0)`;
      }
      case 'ptradd': return `H.ptrAdd(${this.value(e.ptr)}, ${this.value(e.index)}, ${e.scale}, ${e.sub})`;
      case 'ptrdiff': return `m64.div(m64.sub(${this.value(e.left)}, ${this.value(e.right)}, ${A.I64}), ${e.scale}, ${A.I64}, false)`;
      case 'assign': {
        const t = e.target;
        const k = kindOf(t.type);
        const value = this.value(e.value); // generated first so that its reads are seen before this write; at run time the address still comes first
        const r = this.reg(t, false, true);
        if (r) return this.setReg(r, value);
        if (isLocalScalar(t)) return `H.storeL(mem, fo + ${t.sym.offset}, ${k}, ${value})`;
        return `H.storeM(mem, ${this.addr(t)}, ${k}, ${value})`;
      }
      case 'opassign': return this.opAssign(e);
      case 'incdec': {
        const t = e.target;
        const k = kindOf(t.type);
        const r = this.reg(t, true, true);
        if (r) {
          const step = `m64.step(${r.name}, ${k}, ${e.delta}, ${e.scale})`;
          return e.prefix ? `(${r.name} = ${step})` : `H.first(${r.name}, ${r.name} = ${step})`;
        }
        if (isLocalScalar(t)) return `H.incdecL(mem, fo + ${t.sym.offset}, ${k}, ${e.delta}, ${e.scale}, ${e.prefix})`;
        return `H.incdecM(mem, ${this.addr(t)}, ${k}, ${e.delta}, ${e.scale}, ${e.prefix})`;
      }
      case 'conv': {
        const x = this.value(e.arg);
        if (e.type.t === 'void') return `(${x}, undefined)`;
        const k = kindOf(e.type);
        if (isScalar(e.arg) && kindOf(e.arg.type) === k) return x;
        switch (k) {
          case K.I32: return `H.convI32(${x})`;
          case K.U32: return `H.convU32(${x})`;
          case K.I64: case K.U64: case K.PTR: return x; // the signed reading is unchanged
          default: return `m64.convert(${x}, ${k})`;
        }
      }
      case 'cond': {
        const test = this.value(e.test);
        this.conditional++;
        const then = this.value(e.then);
        const other = this.value(e.else);
        this.conditional--;
        return `(${test} ? ${then} : ${other})`;
      }
      case 'comma': return `(${this.value(e.left)}, ${this.value(e.right)})`;
      default:
        throw new Error(`jit: '${e.e}' is not a call-free expression`);
    }
  }

  /** The address (machine-value VA) of an lvalue. */
  private addr(e: TExpr): string {
    switch (e.e) {
      case 'var':
        if (e.sym.kind === 'local') {
          this.seen?.addrOf(e.sym.offset, sizeOf(e.sym.type) ?? 8);
          if (this.regs.has(e.sym.offset)) throw new Error(`jit: the address of register local '${e.sym.name}'`);
          return `(m.stackVA + fo + ${e.sym.offset})`;
        }
        return `m.gva[${e.sym.index}]`;
      case 'str': return `m.sva[${e.index}]`;
      case 'deref': return this.value(e.ptr);
      case 'member': {
        const b = this.addr(e.base);
        return e.offset ? `H.member(${b}, ${e.offset})` : b;
      }
      default:
        return this.value(e); // a struct rvalue (a ?: of structs): its value is already an address
    }
  }

  private load(a: string, e: TExpr): string {
    const t = e.type;
    if (t.t === 'struct' || t.t === 'array' || t.t === 'func') return a;
    return `mem.loadM(${a}, ${kindOf(t)})`;
  }

  private binary(op: string, l: string, r: string, a: A, rc: number | bigint | undefined): string {
    const is32 = a === A.I32 || a === A.U32;
    switch (op) {
      case '+':
        if (a === A.I32) return `((${l} + ${r}) | 0)`;
        if (a === A.U32) return `((${l} + ${r}) >>> 0)`;
        return `H.add64(${l}, ${r}, ${a})`;
      case '-':
        if (a === A.I32) return `((${l} - ${r}) | 0)`;
        if (a === A.U32) return `((${l} - ${r}) >>> 0)`;
        return `H.sub64(${l}, ${r}, ${a})`;
      case '*':
        if (a === A.I32) return `Math.imul(${l}, ${r})`;
        return `m64.mul(${l}, ${r}, ${a})`;
      case '/': return `m64.div(${l}, ${r}, ${a}, false)`;
      case '%': return `m64.div(${l}, ${r}, ${a}, true)`;
      case '&':
        if (a === A.I32) return `(${l} & ${r})`;
        if (!is32 && typeof rc === 'number' && rc >= 0 && rc <= 0x7fffffff) return `H.andMask(${l}, ${r}, ${rc})`;
        return `m64.bitwise(${l}, ${r}, ${a}, 'and')`;
      case '|':
        if (a === A.I32) return `(${l} | ${r})`;
        return `m64.bitwise(${l}, ${r}, ${a}, 'or')`;
      case '^':
        if (a === A.I32) return `(${l} ^ ${r})`;
        return `m64.bitwise(${l}, ${r}, ${a}, 'xor')`;
      case '<<':
      case '>>': {
        const left = op === '<<';
        if (typeof rc === 'number' && rc >= 0 && rc < (is32 ? 32 : 64)) {
          // A constant count: the right operand is a constant, evaluating it has no effect.
          if (a === A.I32) return left ? `(${l} << ${rc})` : `(${l} >> ${rc})`;
          if (a === A.U32) return left ? `((${l} << ${rc}) >>> 0)` : `(${l} >>> ${rc})`;
          return left ? `H.shlConst(${l}, ${rc}, ${2 ** rc}, ${a})` : `H.shrConst(${l}, ${rc}, ${2 ** rc}, ${a})`;
        }
        return `m64.shift(${l}, ${r}, ${a}, ${left})`;
      }
      default:
        throw new Error(`jit: binary operator '${op}'`);
    }
  }

  private compare(op: string, l: string, r: string, a: A): string {
    switch (op) {
      case '==': return `(${l} == ${r} ? 1 : 0)`;
      case '!=': return `(${l} != ${r} ? 1 : 0)`;
      case '<': return a !== A.U64 ? `(${l} < ${r} ? 1 : 0)` : `(m64.lt(${l}, ${r}, ${a}) ? 1 : 0)`;
      // l is evaluated first in every form (the closure does the same).
      case '<=': return a !== A.U64 ? `(${l} <= ${r} ? 1 : 0)` : `(H.ltSwap(${l}, ${r}, ${a}) ? 0 : 1)`;
      case '>': return a !== A.U64 ? `(${l} > ${r} ? 1 : 0)` : `(H.ltSwap(${l}, ${r}, ${a}) ? 1 : 0)`;
      default: return a !== A.U64 ? `(${l} >= ${r} ? 1 : 0)` : `(m64.lt(${l}, ${r}, ${a}) ? 0 : 1)`;
    }
  }

  private opAssign(e: TExpr & { e: 'opassign' }): string {
    const t = e.target;
    const kt = kindOf(t.type);
    const combine = (old: string, y: string) => {
      if (t.type.t === 'ptr') return `H.ptrCombine(${old}, ${y}, ${e.scale}, ${e.op === '-'})`;
      const ko = kindOf(e.opType);
      return `m64.convert(${combineSrc(e.op, `m64.convert(${old}, ${ko})`, y, arithKind(e.opType))}, ${kt})`;
    };
    const r = this.reg(t, true, true);
    if (r) return this.setReg(r, combine(r.name, this.value(e.value)));
    // Memory: the old value is loaded before the right side is evaluated (the closure's order).
    const old = this.temp();
    const nv = this.temp();
    if (isLocalScalar(t)) {
      const at = `fo + ${t.sym.offset}`;
      return `(${old} = mem.loadStack(${at}, ${kt}), ${nv} = ${combine(old, this.value(e.value))}, mem.storeStack(${at}, ${kt}, ${nv}), ${nv})`;
    }
    const p = this.temp();
    return `(${p} = ${this.addr(t)}, ${old} = mem.loadM(${p}, ${kt}), ${nv} = ${combine(old, this.value(e.value))}, mem.storeM(${p}, ${kt}, ${nv}), ${nv})`;
  }
}
