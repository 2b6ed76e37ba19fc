// Implicit conversions (C11 6.3, 6.5.16.1): lvalue conversion and decay, integer promotions, the
// usual arithmetic conversions, assignment compatibility with GCC-like warnings and errors.
import type { SrcRange } from '../source';
import type { Checker } from './checker';
import { foldInt, fromBig } from './fold';
import type { TExpr } from './tree';
import { T, isInt, promote, ptrTo, sameType, typeName, type CType, type IntType } from './types';

export function isLvalue(e: TExpr): boolean {
  switch (e.e) {
    case 'var':
    case 'deref':
    case 'str':
    case 'compound':
      return true;
    case 'member':
      return isLvalue(e.base) || e.base.type.t === 'struct';
    default:
      return false;
  }
}

/** Lvalue-to-rvalue: arrays decay to a pointer to their first element, functions to a pointer. */
export function rvalue(e: TExpr): TExpr {
  if (e.type.t === 'array') return { e: 'decay', arg: e, type: ptrTo(e.type.of), range: e.range };
  if (e.type.t === 'func') return { e: 'addr', arg: e, type: ptrTo(e.type), range: e.range };
  return e;
}

/** A conversion node, skipped when nothing changes. Constants are converted on the spot. */
export function conv(e: TExpr, to: CType): TExpr {
  if (sameRep(e.type, to)) return e.type === to ? e : { ...e, type: to };
  if (e.e === 'const') return { ...e, v: fromBig(typeof e.v === 'bigint' ? e.v : BigInt(e.v), to), type: to };
  return { e: 'conv', arg: e, type: to, range: e.range };
}

/** Same representation and range: converting between them is a no-op. */
function sameRep(a: CType, b: CType): boolean {
  if (a.t === 'ptr' && b.t === 'ptr') return true;
  if (a.t === 'int' && b.t === 'int') return a.size === b.size && a.signed === b.signed && !!a.bool === !!b.bool;
  return a.t === b.t && a.t !== 'int' && a.t !== 'ptr' && sameType(a, b);
}

export function promoted(e: TExpr): TExpr {
  return isInt(e.type) ? conv(e, promote(e.type)) : e;
}

export function isNullConstant(e: TExpr): boolean {
  if (e.type.t === 'int') return foldInt(e) === 0n;
  if (e.type.t === 'ptr' && e.type.to.t === 'void') {
    const inner = e.e === 'conv' ? e.arg : e;
    return (inner.type.t === 'int' || inner.e === 'const') && foldInt(inner.type.t === 'int' ? inner : e) === 0n;
  }
  return false;
}

export function requireScalar(cx: Checker, e: TExpr, what: string): TExpr {
  if (e.type.t !== 'int' && e.type.t !== 'ptr') cx.fail(e.range, `${what} must have scalar type, not '${typeName(e.type)}'`);
  return e;
}

export function requireInt(cx: Checker, e: TExpr, what: string): TExpr & { type: IntType } {
  if (e.type.t !== 'int') cx.fail(e.range, `${what} must be an integer, not '${typeName(e.type)}'`);
  return e as TExpr & { type: IntType };
}

/** Converts an rvalue for assignment, initialisation, argument passing or return. */
export function assignConv(cx: Checker, e: TExpr, to: CType, what: string, range: SrcRange = e.range): TExpr {
  const from = e.type;
  if (to.t === 'int') {
    if (from.t === 'int') return conv(e, to);
    if (from.t === 'ptr') {
      if (!to.bool) cx.warn(range, `${what} makes integer from pointer without a cast`, 'int-conversion');
      return conv(e, to);
    }
  } else if (to.t === 'ptr') {
    if (from.t === 'ptr') {
      if (!pointersCompatible(from, to)) {
        cx.warn(range, `incompatible pointer types: ${what} converts '${typeName(from)}' to '${typeName(to)}'`, 'incompatible-pointer-types');
      }
      return conv(e, to);
    }
    if (from.t === 'int') {
      if (isNullConstant(e)) return conv(e, to);
      cx.warn(range, `${what} makes pointer from integer without a cast`, 'int-conversion');
      return conv(e, to);
    }
  } else if (to.t === 'struct' && from.t === 'struct' && sameType(from, to)) {
    return e;
  }
  return cx.fail(range, `incompatible types: ${what} converts '${typeName(from)}' to '${typeName(to)}'`);
}

export function pointersCompatible(a: CType & { t: 'ptr' }, b: CType & { t: 'ptr' }): boolean {
  if (a.to.t === 'void' || b.to.t === 'void') return true;
  if (sameType(a.to, b.to)) return true;
  // char, signed char and unsigned char pointers mix freely in practice (u8 buffers).
  return a.to.t === 'int' && b.to.t === 'int' && a.to.size === 1 && b.to.size === 1;
}

export const SIZE_T = { ...T.ulong, name: 'size_t' } as IntType;
