// Compile-time evaluation of integer constant expressions (array sizes, case labels, enum values,
// static initialisers) and the value representation shared with the machine: types up to 32 bits
// are JS numbers, 64-bit integers and pointers are BigInt, always normalised to their type's range.
import type { TExpr } from './tree';
import { sizeOf, type CType, type IntType } from './types';

export type Value = number | bigint;

/** true when values of `t` are BigInt. */
export function isWide(t: CType): boolean {
  return t.t === 'ptr' || (t.t === 'int' && t.size === 8);
}

/** An integer (any width) wrapped to `t`'s range, in `t`'s representation. */
export function fromBig(v: bigint, t: CType): Value {
  if (t.t === 'ptr') return BigInt.asUintN(64, v);
  if (t.t !== 'int') return 0;
  if (t.bool) return v !== 0n ? 1 : 0;
  const bits = t.size * 8;
  const w = t.signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
  return t.size === 8 ? w : Number(w);
}

export function toBig(v: Value): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

/** The value of a constant expression, or undefined when it is not one. */
export function foldInt(e: TExpr): bigint | undefined {
  switch (e.e) {
    case 'const': return toBig(e.v);
    case 'conv': {
      const a = foldInt(e.arg);
      return a === undefined ? undefined : toBig(fromBig(a, e.type));
    }
    case 'unary': {
      const a = foldInt(e.arg);
      if (a === undefined) return undefined;
      if (e.op === '!') return a === 0n ? 1n : 0n;
      return toBig(fromBig(e.op === '-' ? -a : ~a, e.type));
    }
    case 'binary': {
      const a = foldInt(e.left);
      const b = foldInt(e.right);
      if (a === undefined || b === undefined) return undefined;
      const r = binaryOp(e.op, a, b, e.type as IntType);
      return r === undefined ? undefined : toBig(fromBig(r, e.type));
    }
    case 'cmp': {
      const a = foldInt(e.left);
      const b = foldInt(e.right);
      if (a === undefined || b === undefined) return undefined;
      return compare(e.op, a, b) ? 1n : 0n;
    }
    case 'logic': {
      const a = foldInt(e.left);
      if (a === undefined) return undefined;
      if (e.op === '&&' && a === 0n) return 0n;
      if (e.op === '||' && a !== 0n) return 1n;
      const b = foldInt(e.right);
      return b === undefined ? undefined : b !== 0n ? 1n : 0n;
    }
    case 'cond': {
      const c = foldInt(e.test);
      if (c === undefined) return undefined;
      return foldInt(c !== 0n ? e.then : e.else);
    }
    default:
      return undefined;
  }
}

export function compare(op: string, a: bigint, b: bigint): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

/** An arithmetic operator on values already converted to `t` (undefined: division by zero, bad shift). */
export function binaryOp(op: string, a: bigint, b: bigint, t: IntType): bigint | undefined {
  const bits = BigInt(Math.max(4, t.size) * 8);
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0n ? undefined : a / b;
    case '%': return b === 0n ? undefined : a % b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '<<': return b < 0n || b >= bits ? undefined : a << b;
    case '>>': return b < 0n || b >= bits ? undefined : a >> b;
    default: return undefined;
  }
}

export function sizeOrZero(t: CType): number {
  return sizeOf(t) ?? 0;
}
