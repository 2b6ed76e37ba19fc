// The machine's own value representation ("machine values"), chosen for speed: BigInt arithmetic
// allocates, and most 64-bit values a host program handles are small or are kernel addresses.
//   - 8/16/32-bit kinds (and _Bool): JS numbers, as in arith.ts;
//   - 64-bit kinds (signed, unsigned, pointers): the value's *signed* (two's complement) reading,
//     as a JS number when it is a safe integer, else as a BigInt in [-2^63, 2^63). The form is
//     canonical (a value has exactly one), so == compares values. Linear-map VAs
//     (0xffff_0000_xxxx_xxxx) read as small negative numbers, so pointers are numbers too.
// Signed and unsigned 64-bit values share the representation: only comparison, division, right
// shift and the conversions to the outside (toOuter) look at the signedness.
// The rest of the system (intrinsics, the debugger's evaluator, variables) keeps arith.ts's form
// ("outer values": 64-bit kinds as BigInt in their type's range); the machine converts at calls.
import * as ar from './arith';
import { CRuntimeError } from './errors';
import { A, K } from './ops';
import type { Value } from './memory';

const MAX = Number.MAX_SAFE_INTEGER;
const MAXN = BigInt(MAX);
const TWO32 = 4294967296;

/** The canonical machine value of a signed 64-bit BigInt. */
export function norm(b: bigint): Value {
  return b >= -MAXN && b <= MAXN ? Number(b) : b;
}

/** A 64-bit machine value from any integer (wrapped to 64 bits). */
export function from64(v: Value): Value {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v + 0 : norm(BigInt.asIntN(64, BigInt(v)));
  return norm(BigInt.asIntN(64, v));
}

const is64 = (k: K) => k === K.I64 || k === K.U64 || k === K.PTR;

/** Outer value (arith.ts form) of kind k -> machine value. */
export function fromOuter(v: Value, k: K): Value {
  return is64(k) ? from64(v) : typeof v === 'bigint' ? ar.convert(v, k) : v;
}

/** Machine value of kind k -> outer value (64-bit kinds as BigInt, unsigned ones in [0, 2^64)). */
export function toOuter(v: Value, k: K): Value {
  switch (k) {
    case K.I64: return typeof v === 'bigint' ? v : BigInt(v);
    case K.U64:
    case K.PTR: return typeof v === 'number' && v >= 0 ? BigInt(v) : BigInt.asUintN(64, BigInt(v));
    default: return v;
  }
}

/** Conversion between integer kinds (machine values in and out). */
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
      default: return v; // to 64 bits: the signed reading of the value is unchanged
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
    default: return v;
  }
}

const big = (v: Value) => (typeof v === 'bigint' ? v : BigInt(v));
const ubig = (v: Value) => BigInt.asUintN(64, big(v));

export function add(x: any, y: any, a: A): Value {
  if (a === A.I32) return (x + y) | 0;
  if (a === A.U32) return (x + y) >>> 0;
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x + y;
    if (r <= MAX && r >= -MAX) return r;
  }
  return norm(BigInt.asIntN(64, big(x) + big(y)));
}

export function sub(x: any, y: any, a: A): Value {
  if (a === A.I32) return (x - y) | 0;
  if (a === A.U32) return (x - y) >>> 0;
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x - y;
    if (r <= MAX && r >= -MAX) return r;
  }
  return norm(BigInt.asIntN(64, big(x) - big(y)));
}

export function mul(x: any, y: any, a: A): Value {
  if (a === A.I32) return Math.imul(x, y);
  if (a === A.U32) return Math.imul(x, y) >>> 0;
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x * y;
    if (r <= MAX && r >= -MAX) return r + 0;
  }
  return norm(BigInt.asIntN(64, big(x) * big(y)));
}

export function div(x: any, y: any, a: A, mod: boolean): Value {
  if (y == 0) throw new CRuntimeError(mod ? 'remainder by zero' : 'division by zero', 'division-by-zero');
  if (a === A.I32 || a === A.U32) return ar.div(x, y, a, mod);
  if (typeof x === 'number' && typeof y === 'number' && (a === A.I64 || (x >= 0 && y >= 0))) {
    // % is exact on doubles, and so is dividing the exact multiple x - r by y.
    const r = x % y;
    return mod ? r + 0 : (x - r) / y + 0;
  }
  if (a === A.I64) return norm(BigInt.asIntN(64, mod ? big(x) % big(y) : big(x) / big(y)));
  const ux = ubig(x);
  const uy = ubig(y);
  return norm(BigInt.asIntN(64, mod ? ux % uy : ux / uy));
}

export function bitwise(x: any, y: any, a: A, op: 'and' | 'or' | 'xor'): Value {
  if (a === A.I32 || a === A.U32) return ar.bitwise(x, y, a, op);
  if (typeof x === 'number' && typeof y === 'number') {
    if ((x | 0) === x && (y | 0) === y) return op === 'and' ? x & y : op === 'or' ? x | y : x ^ y;
    // Two halves: the high ones are sign-extended 22-bit values, so the result stays safe.
    const hx = Math.floor(x / TWO32) | 0;
    const hy = Math.floor(y / TWO32) | 0;
    const lx = x >>> 0;
    const ly = y >>> 0;
    const h = op === 'and' ? hx & hy : op === 'or' ? hx | hy : hx ^ hy;
    const l = (op === 'and' ? lx & ly : op === 'or' ? lx | ly : lx ^ ly) >>> 0;
    return h * TWO32 + l;
  }
  const bx = big(x);
  const by = big(y);
  return norm(BigInt.asIntN(64, op === 'and' ? bx & by : op === 'or' ? bx | by : bx ^ by));
}

export function shift(x: any, y: Value, a: A, left: boolean): Value {
  if (a === A.I32 || a === A.U32) return ar.shift(x, y, a, left);
  const n = Number(y);
  if (!(n >= 0 && n < 64)) throw new CRuntimeError(`shift count ${y} is out of range for a 64-bit value`, 'bad-shift');
  if (typeof x === 'number') {
    if (left) {
      const r = x * 2 ** n;
      if (r <= MAX && r >= -MAX) return r + 0;
    } else if (a === A.I64 || x >= 0) {
      return Math.floor(x / 2 ** n) + 0;
    }
  }
  if (left) return norm(BigInt.asIntN(64, big(x) << BigInt(n)));
  if (a === A.I64) return norm(big(x) >> BigInt(n));
  return norm(BigInt.asIntN(64, ubig(x) >> BigInt(n)));
}

export function neg(x: any, a: A): Value {
  if (a === A.I32) return -x | 0;
  if (a === A.U32) return -x >>> 0;
  if (typeof x === 'number') return -x + 0;
  return norm(BigInt.asIntN(64, -(x as bigint)));
}

export function not(x: any, a: A): Value {
  if (a === A.I32) return ~x;
  if (a === A.U32) return ~x >>> 0;
  if (typeof x === 'number' && x < MAX) return -x - 1;
  return norm(~big(x));
}

/** x < y for the comparison's kind: unsigned 64-bit values compare as unsigned. */
export function lt(x: any, y: any, a: A): boolean {
  if (a !== A.U64 || (x < 0) === (y < 0)) return x < y;
  return y < 0;
}

/** ++/-- on a value of kind k (pointers step by `scale` bytes). */
export function step(v: Value, k: K, delta: number, scale: number): Value {
  if (k === K.PTR) return add(v, delta * scale, A.U64);
  if (k === K.BOOL) return delta > 0 ? 1 : v ? 0 : 1;
  if (k === K.I64 || k === K.U64) return add(v, delta, A.I64);
  return convert((v as number) + delta, k);
}
