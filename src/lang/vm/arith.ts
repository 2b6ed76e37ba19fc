// Integer arithmetic with C's wrap-around, per arithmetic kind: i32/u32 values are JS numbers,
// i64/u64 values (and pointers) are BigInt, always kept inside their type's range.
import { CRuntimeError } from './errors';
import { A, K } from './ops';
import type { Value } from './memory';

export function convert(v: Value, k: K): Value {
  if (typeof v === 'number') {
    switch (k) {
      case K.I8: return (v << 24) >> 24;
      case K.U8: return v & 0xff;
      case K.I16: return (v << 16) >> 16;
      case K.U16: return v & 0xffff;
      case K.I32: return v | 0;
      case K.U32: return v >>> 0;
      case K.BOOL: return v ? 1 : 0;
      case K.I64: return BigInt(v);
      default: return BigInt.asUintN(64, BigInt(v));
    }
  }
  switch (k) {
    case K.I8: return Number(BigInt.asIntN(8, v));
    case K.U8: return Number(v & 0xffn);
    case K.I16: return Number(BigInt.asIntN(16, v));
    case K.U16: return Number(v & 0xffffn);
    case K.I32: return Number(BigInt.asIntN(32, v));
    case K.U32: return Number(BigInt.asUintN(32, v));
    case K.BOOL: return v ? 1 : 0;
    case K.I64: return BigInt.asIntN(64, v);
    default: return BigInt.asUintN(64, v);
  }
}

function wrap(v: any, a: A): Value {
  switch (a) {
    case A.I32: return v | 0;
    case A.U32: return v >>> 0;
    case A.I64: return BigInt.asIntN(64, v);
    default: return BigInt.asUintN(64, v);
  }
}

export function add(x: any, y: any, a: A): Value {
  return wrap(x + y, a);
}

export function sub(x: any, y: any, a: A): Value {
  return wrap(x - y, a);
}

export function mul(x: any, y: any, a: A): Value {
  if (a === A.I32) return Math.imul(x, y);
  if (a === A.U32) return Math.imul(x, y) >>> 0;
  return wrap(x * y, a);
}

export function div(x: any, y: any, a: A, mod: boolean): Value {
  if (y == 0) throw new CRuntimeError(mod ? 'remainder by zero' : 'division by zero', 'division-by-zero');
  if (a === A.I32 || a === A.U32) return wrap(mod ? x % y : Math.trunc(x / y), a);
  return wrap(mod ? x % y : x / y, a);
}

export function bitwise(x: any, y: any, a: A, op: 'and' | 'or' | 'xor'): Value {
  const r = op === 'and' ? x & y : op === 'or' ? x | y : x ^ y;
  return a === A.U32 ? r >>> 0 : r;
}

export function shift(x: any, y: Value, a: A, left: boolean): Value {
  const n = Number(y);
  const width = a === A.I32 || a === A.U32 ? 32 : 64;
  if (!(n >= 0 && n < width)) throw new CRuntimeError(`shift count ${y} is out of range for a ${width}-bit value`, 'bad-shift');
  switch (a) {
    case A.I32: return left ? x << n : x >> n;
    case A.U32: return left ? (x << n) >>> 0 : x >>> n;
    case A.I64: return left ? BigInt.asIntN(64, x << BigInt(n)) : x >> BigInt(n);
    default: return left ? BigInt.asUintN(64, x << BigInt(n)) : x >> BigInt(n);
  }
}

export function neg(x: any, a: A): Value {
  return wrap(-x, a);
}

export function not(x: any, a: A): Value {
  if (a === A.I32) return ~x;
  if (a === A.U32) return ~x >>> 0;
  if (a === A.I64) return ~x;
  return BigInt.asUintN(64, ~(x as bigint));
}

/** ++/-- on a value of kind k (pointers step by `scale` bytes). */
export function step(v: Value, k: K, delta: number, scale: number): Value {
  if (k === K.PTR) return BigInt.asUintN(64, (v as bigint) + BigInt(delta * scale));
  if (k === K.BOOL) return delta > 0 ? 1 : v ? 0 : 1;
  return typeof v === 'bigint' ? convert(v + BigInt(delta), k) : convert((v as number) + delta, k);
}
