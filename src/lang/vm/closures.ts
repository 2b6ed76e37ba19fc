// Expressions without calls -> JS closures, built once at compile time and run by a single
// instruction (EVAL / EXEC / EVALJZ): no operand stack, no dispatch per operator. They compute
// exactly what the stack code of codegen-expr.ts computes (same order of evaluation, same machine
// values, arith64.ts), so statements, steps and errors stay as they were. Calls (C functions and
// intrinsics), compound literals and struct copies stay on the stack machine.
import type { TExpr, VarSym } from '../check/tree';
import { from64 } from './arith64';
import * as m64 from './arith64';
import { FUNC_VA_BASE } from './layout';
import type { HostMemory, Value } from './memory';
import { A, K, arithKind, kindOf } from './ops';

/** What a closure runs against: the machine's memory and static addresses (machine values). */
export interface ExecCtx {
  readonly mem: HostMemory;
  readonly gva: Value[];
  readonly sva: Value[];
  /** VA of the stack area's base (frames are addressed by their offset from it). */
  readonly stackVA: number;
}

/**
 * A compiled expression: its machine value in the frame at offset `fo` of the stack area (an
 * offset, a small integer, rather than the frame's PA: see HostMemory.loadStack).
 */
export type Closure = (m: ExecCtx, fo: number) => any;

const MAX = Number.MAX_SAFE_INTEGER;

const pureMemo = new WeakMap<TExpr, boolean>();

/** True when the expression can be a closure: no calls, no compound literals, no struct copies. */
export function isPure(e: TExpr): boolean {
  let r = pureMemo.get(e);
  if (r === undefined) {
    r = computePure(e);
    pureMemo.set(e, r);
  }
  return r;
}

function computePure(e: TExpr): boolean {
  switch (e.e) {
    case 'const': case 'var': case 'str': case 'func': return true;
    case 'call': case 'expect': case 'compound': return false;
    case 'deref': return isPure(e.ptr);
    case 'member': return isPure(e.base);
    case 'addr': case 'decay': case 'unary': case 'conv': return isPure(e.arg);
    case 'binary': case 'cmp': case 'logic': case 'ptrdiff': case 'comma': return isPure(e.left) && isPure(e.right);
    case 'ptradd': return isPure(e.ptr) && isPure(e.index);
    case 'assign': return e.type.t !== 'struct' && isPure(e.target) && isPure(e.value);
    case 'opassign': return isPure(e.target) && isPure(e.value);
    case 'incdec': return isPure(e.target);
    case 'cond': return isPure(e.test) && isPure(e.then) && isPure(e.else);
    default: return false;
  }
}

/** A scalar local: read and written at its frame offset, without forming its address. */
export function isLocalScalar(e: TExpr): e is TExpr & { e: 'var'; sym: VarSym } {
  return e.e === 'var' && e.sym.kind === 'local' && (e.type.t === 'int' || e.type.t === 'ptr');
}

/** The closure of a pure expression (isPure). Void expressions return undefined. */
export function compileClosure(e: TExpr): Closure {
  const c = value(e);
  closureExpr.set(c, e);
  return c;
}

/** The expression each closure was compiled from: the JS tier (jit-expr.ts) translates it instead. */
export const closureExpr = new WeakMap<Closure, TExpr>();

function value(e: TExpr): Closure {
  switch (e.e) {
    case 'const': {
      const v = typeof e.v === 'bigint' ? from64(e.v) : e.v;
      return () => v;
    }
    case 'var':
      if (e.sym.kind === 'local' && e.type.t !== 'struct' && e.type.t !== 'array') return localLoad(e.sym.offset, kindOf(e.type));
      return load(addr(e), e);
    case 'str': case 'deref': case 'member':
      return load(addr(e), e);
    case 'func': {
      const v = from64(FUNC_VA_BASE + BigInt(e.fn.id) * 16n);
      return () => v;
    }
    case 'addr':
      return e.arg.e === 'func' ? value(e.arg) : addr(e.arg);
    case 'decay':
      return addr(e.arg);
    case 'unary': {
      const x = value(e.arg);
      const a = arithKind(e.arg.type);
      if (e.op === '-') return a === A.I32 ? (m, fo) => -x(m, fo) | 0 : (m, fo) => m64.neg(x(m, fo), a);
      if (e.op === '~') return a === A.I32 ? (m, fo) => ~x(m, fo) : (m, fo) => m64.not(x(m, fo), a);
      return (m, fo) => (x(m, fo) ? 0 : 1);
    }
    case 'binary':
      return binary(e.op, value(e.left), value(e.right), arithKind(e.type), e.right.e === 'const' ? from64(BigInt(e.right.v)) : undefined);
    case 'cmp':
      return compare(e.op, value(e.left), value(e.right), arithKind(e.left.type));
    case 'logic': {
      const l = value(e.left);
      const r = value(e.right);
      return e.op === '&&' ? (m, fo) => (l(m, fo) && r(m, fo) ? 1 : 0) : (m, fo) => (l(m, fo) || r(m, fo) ? 1 : 0);
    }
    case 'ptradd':
      return ptrAdd(value(e.ptr), value(e.index), e.scale, e.sub);
    case 'ptrdiff': {
      const l = value(e.left);
      const r = value(e.right);
      const scale = e.scale;
      return (m, fo) => {
        const x = l(m, fo);
        return m64.div(m64.sub(x, r(m, fo), A.I64), scale, A.I64, false);
      };
    }
    case 'assign': {
      const v = value(e.value);
      const t = e.target;
      if (isLocalScalar(t)) {
        const off = t.sym.offset;
        const k = kindOf(t.type);
        return (m, fo) => {
          const x = v(m, fo);
          m.mem.storeStack(fo + off, k, x);
          return x;
        };
      }
      const a = addr(t);
      const k = kindOf(t.type);
      return (m, fo) => {
        const p = a(m, fo);
        const x = v(m, fo);
        m.mem.storeM(p, k, x);
        return x;
      };
    }
    case 'opassign':
      return opAssign(e);
    case 'incdec': {
      const t = e.target;
      const k = kindOf(t.type);
      const { delta, scale, prefix } = e;
      if (isLocalScalar(t)) {
        const off = t.sym.offset;
        return (m, fo) => {
          const old = m.mem.loadStack(fo + off, k);
          const nv = m64.step(old, k, delta, scale);
          m.mem.storeStack(fo + off, k, nv);
          return prefix ? nv : old;
        };
      }
      const a = addr(t);
      return (m, fo) => {
        const p = a(m, fo);
        const old = m.mem.loadM(p, k);
        const nv = m64.step(old, k, delta, scale);
        m.mem.storeM(p, k, nv);
        return prefix ? nv : old;
      };
    }
    case 'conv': {
      const x = value(e.arg);
      if (e.type.t === 'void') return (m, fo) => { x(m, fo); return undefined; };
      return convert(x, kindOf(e.type), kindOf(e.arg.type), e.arg.type.t === 'int' || e.arg.type.t === 'ptr');
    }
    case 'cond': {
      const t = value(e.test);
      const a = value(e.then);
      const b = value(e.else);
      return (m, fo) => (t(m, fo) ? a(m, fo) : b(m, fo));
    }
    case 'comma': {
      const l = value(e.left);
      const r = value(e.right);
      return (m, fo) => { l(m, fo); return r(m, fo); };
    }
    default:
      throw new Error(`internal: '${e.e}' cannot be compiled to a closure`);
  }
}

/** The address (machine-value VA) of an lvalue. */
function addr(e: TExpr): Closure {
  switch (e.e) {
    case 'var':
      if (e.sym.kind === 'local') {
        const off = e.sym.offset;
        return (m, fo) => m.stackVA + fo + off;
      } else {
        const i = e.sym.index;
        return (m) => m.gva[i];
      }
    case 'str': {
      const i = e.index;
      return (m) => m.sva[i];
    }
    case 'deref':
      return value(e.ptr);
    case 'member': {
      const b = addr(e.base);
      const off = e.offset;
      if (!off) return b;
      return (m, fo) => {
        const p = b(m, fo);
        if (typeof p === 'number') {
          const r = p + off;
          if (r <= MAX && r >= -MAX) return r;
        }
        return m64.add(p, off, A.I64);
      };
    }
    default:
      // A struct rvalue (a ?: of structs): its value is already an address.
      return value(e);
  }
}

function load(a: Closure, e: TExpr): Closure {
  const t = e.type;
  if (t.t === 'struct' || t.t === 'array' || t.t === 'func') return a; // aggregates are handled by address
  const k = kindOf(t);
  return (m, fo) => m.mem.loadM(a(m, fo), k);
}

function localLoad(off: number, k: K): Closure {
  return (m, fo) => m.mem.loadStack(fo + off, k);
}

function ptrAdd(p: Closure, i: Closure, scale: number, sub: boolean): Closure {
  return (m, fo) => {
    const x = p(m, fo);
    const n = i(m, fo);
    if (typeof x === 'number' && typeof n === 'number') {
      const d = n * scale;
      if (d <= MAX && d >= -MAX) {
        // Both exact, so the sum is exact whenever it is safe.
        const r = sub ? x - d : x + d;
        if (r <= MAX && r >= -MAX) return r + 0;
      }
    }
    const d = scale === 1 ? n : m64.mul(n, scale, A.I64);
    return sub ? m64.sub(x, d, A.I64) : m64.add(x, d, A.I64);
  };
}

function binary(op: string, l: Closure, r: Closure, a: A, rc: number | bigint | undefined): Closure {
  const is32 = a === A.I32 || a === A.U32;
  switch (op) {
    case '+':
      if (a === A.I32) return (m, fo) => (l(m, fo) + r(m, fo)) | 0;
      if (a === A.U32) return (m, fo) => (l(m, fo) + r(m, fo)) >>> 0;
      return (m, fo) => {
        const x = l(m, fo);
        const y = r(m, fo);
        if (typeof x === 'number' && typeof y === 'number') {
          const s = x + y;
          if (s <= MAX && s >= -MAX) return s;
        }
        return m64.add(x, y, a);
      };
    case '-':
      if (a === A.I32) return (m, fo) => (l(m, fo) - r(m, fo)) | 0;
      if (a === A.U32) return (m, fo) => (l(m, fo) - r(m, fo)) >>> 0;
      return (m, fo) => {
        const x = l(m, fo);
        const y = r(m, fo);
        if (typeof x === 'number' && typeof y === 'number') {
          const s = x - y;
          if (s <= MAX && s >= -MAX) return s;
        }
        return m64.sub(x, y, a);
      };
    case '*':
      if (a === A.I32) return (m, fo) => Math.imul(l(m, fo), r(m, fo));
      return (m, fo) => { const x = l(m, fo); return m64.mul(x, r(m, fo), a); };
    case '/':
      return (m, fo) => { const x = l(m, fo); return m64.div(x, r(m, fo), a, false); };
    case '%':
      return (m, fo) => { const x = l(m, fo); return m64.div(x, r(m, fo), a, true); };
    case '&':
      if (a === A.I32) return (m, fo) => l(m, fo) & r(m, fo);
      if (!is32 && typeof rc === 'number' && rc >= 0 && rc <= 0x7fffffff) {
        // x & small mask: the low 32 bits of x decide (x is a safe number or a BigInt).
        return (m, fo) => {
          const x = l(m, fo);
          r(m, fo);
          return typeof x === 'number' ? (x >>> 0) & rc : Number(BigInt.asUintN(32, x)) & rc;
        };
      }
      return (m, fo) => { const x = l(m, fo); return m64.bitwise(x, r(m, fo), a, 'and'); };
    case '|':
      if (a === A.I32) return (m, fo) => l(m, fo) | r(m, fo);
      return (m, fo) => { const x = l(m, fo); return m64.bitwise(x, r(m, fo), a, 'or'); };
    case '^':
      if (a === A.I32) return (m, fo) => l(m, fo) ^ r(m, fo);
      return (m, fo) => { const x = l(m, fo); return m64.bitwise(x, r(m, fo), a, 'xor'); };
    case '<<':
    case '>>':
      if (typeof rc === 'number' && rc >= 0 && rc < (is32 ? 32 : 64)) return constShift(l, rc, a, op === '<<');
      if (op === '<<') return (m, fo) => { const x = l(m, fo); return m64.shift(x, r(m, fo), a, true); };
      return (m, fo) => { const x = l(m, fo); return m64.shift(x, r(m, fo), a, false); };
    default:
      throw new Error(`internal: binary operator '${op}'`);
  }
}

/** x << n or x >> n by a constant count in range (RMI_RETURN_STATUS, PAGE_SHIFT, ...). */
function constShift(l: Closure, n: number, a: A, left: boolean): Closure {
  if (a === A.I32) return left ? (m, fo) => l(m, fo) << n : (m, fo) => l(m, fo) >> n;
  if (a === A.U32) return left ? (m, fo) => (l(m, fo) << n) >>> 0 : (m, fo) => l(m, fo) >>> n;
  const p = 2 ** n;
  if (left) {
    return (m, fo) => {
      const x = l(m, fo);
      if (typeof x === 'number') {
        const v = x * p;
        if (v <= MAX && v >= -MAX) return v + 0;
      }
      return m64.shift(x, n, a, true);
    };
  }
  // Dividing by a power of two is exact; floor is the arithmetic shift (unsigned: x >= 0 only).
  return (m, fo) => {
    const x = l(m, fo);
    if (typeof x === 'number' && (a === A.I64 || x >= 0)) return Math.floor(x / p) + 0;
    return m64.shift(x, n, a, false);
  };
}

function compare(op: string, l: Closure, r: Closure, a: A): Closure {
  switch (op) {
    case '==': return (m, fo) => (l(m, fo) == r(m, fo) ? 1 : 0);
    case '!=': return (m, fo) => (l(m, fo) != r(m, fo) ? 1 : 0);
    case '<':
      if (a !== A.U64) return (m, fo) => (l(m, fo) < r(m, fo) ? 1 : 0);
      return (m, fo) => { const x = l(m, fo); return m64.lt(x, r(m, fo), a) ? 1 : 0; };
    case '<=':
      if (a !== A.U64) return (m, fo) => (l(m, fo) <= r(m, fo) ? 1 : 0);
      return (m, fo) => { const x = l(m, fo); return m64.lt(r(m, fo), x, a) ? 0 : 1; };
    case '>':
      if (a !== A.U64) return (m, fo) => (l(m, fo) > r(m, fo) ? 1 : 0);
      return (m, fo) => { const x = l(m, fo); return m64.lt(r(m, fo), x, a) ? 1 : 0; };
    default:
      if (a !== A.U64) return (m, fo) => (l(m, fo) >= r(m, fo) ? 1 : 0);
      return (m, fo) => { const x = l(m, fo); return m64.lt(x, r(m, fo), a) ? 0 : 1; };
  }
}

/** A conversion to kind k; from a 64-bit or narrower integer kind `from` (when `known`). */
function convert(x: Closure, k: K, from: K, known: boolean): Closure {
  if (known && from === k) return x;
  switch (k) {
    case K.I32: return (m, fo) => { const v = x(m, fo); return typeof v === 'number' ? v | 0 : m64.convert(v, k); };
    case K.U32: return (m, fo) => { const v = x(m, fo); return typeof v === 'number' ? v >>> 0 : m64.convert(v, k); };
    case K.I64: case K.U64: case K.PTR: return x; // the signed reading of the value is unchanged
    default: return (m, fo) => m64.convert(x(m, fo), k);
  }
}

function opAssign(e: TExpr & { e: 'opassign' }): Closure {
  const t = e.target;
  const kt = kindOf(t.type);
  const v = value(e.value);
  let combine: (old: Value, y: Value) => Value;
  if (t.type.t === 'ptr') {
    const scale = e.scale;
    const sub = e.op === '-';
    combine = (old, y) => {
      const d = scale === 1 ? y : m64.mul(y, scale, A.I64);
      return sub ? m64.sub(old, d, A.I64) : m64.add(old, d, A.I64);
    };
  } else {
    const ko = kindOf(e.opType);
    const a = arithKind(e.opType);
    const f = binaryFn(e.op);
    combine = (old, y) => m64.convert(f(m64.convert(old, ko), y, a), kt);
  }
  if (isLocalScalar(t)) {
    const off = t.sym.offset;
    return (m, fo) => {
      const old = m.mem.loadStack(fo + off, kt);
      const nv = combine(old, v(m, fo));
      m.mem.storeStack(fo + off, kt, nv);
      return nv;
    };
  }
  const a = addr(t);
  return (m, fo) => {
    const p = a(m, fo);
    const old = m.mem.loadM(p, kt);
    const nv = combine(old, v(m, fo));
    m.mem.storeM(p, kt, nv);
    return nv;
  };
}

function binaryFn(op: string): (x: Value, y: Value, a: A) => Value {
  switch (op) {
    case '+': return m64.add;
    case '-': return m64.sub;
    case '*': return m64.mul;
    case '/': return (x, y, a) => m64.div(x, y, a, false);
    case '%': return (x, y, a) => m64.div(x, y, a, true);
    case '&': return (x, y, a) => m64.bitwise(x, y, a, 'and');
    case '|': return (x, y, a) => m64.bitwise(x, y, a, 'or');
    case '^': return (x, y, a) => m64.bitwise(x, y, a, 'xor');
    case '<<': return (x, y, a) => m64.shift(x, y, a, true);
    default: return (x, y, a) => m64.shift(x, y, a, false);
  }
}
