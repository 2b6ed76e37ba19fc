// Expressions: name lookup, C's operator typing rules and the checks a compiler makes (unknown
// identifiers, argument counts, unknown members, dereferencing a non-pointer, calling a
// non-function ...). The result is a typed expression with every conversion explicit.
import type { Expr } from '../parse/ast';
import { decodeEscapes, parseIntLiteral } from '../parse/literals';
import type { Checker } from './checker';
import { SIZE_T, assignConv, conv, isLvalue, isNullConstant, pointersCompatible, promoted, requireInt, requireScalar, rvalue } from './conversions';
import { fromBig } from './fold';
import { checkCall } from './calls';
import { initPlan } from './init';
import { resolveType } from './resolve';
import type { TExpr } from './tree';
import { T, VOID_PTR, alignOf, findField, isInt, promote, ptrTo, sameType, sizeOf, typeName, usualArith, type CType, type IntType } from './types';

const LITERAL_TYPES = { int: T.int, 'unsigned int': T.uint, long: T.long, 'unsigned long': T.ulong } as const;

/** The value of an expression: checked, then lvalue-converted (arrays and functions decay). */
export function value(cx: Checker, x: Expr): TExpr {
  return rvalue(checkExpr(cx, x));
}

export function checkExpr(cx: Checker, x: Expr): TExpr {
  const range = x.range;
  switch (x.k) {
    case 'int': {
      const lit = parseIntLiteral(x.text);
      if (!lit) {
        if (/^[0-9.]*[.eEpP]|^0[xX].*[pP]/.test(x.text) || /[fF]$/.test(x.text) && !/^0[xX]/.test(x.text)) cx.fail(range, 'floating-point constants are not supported', 'unsupported');
        cx.fail(range, `invalid integer constant '${x.text}'`, 'bad-literal');
      }
      const t = LITERAL_TYPES[lit.type];
      return cx.constant(fromBig(lit.value, t), t, range);
    }
    case 'char': {
      const m = /^(L|u8|u|U)?'(.*)'$/s.exec(x.text);
      if (!m || m[1]) cx.fail(range, m ? 'wide character constants are not supported' : `invalid character constant ${x.text}`, 'bad-literal');
      const bytes = decodeEscapes(m[2]);
      if (typeof bytes === 'string') cx.fail(range, bytes, 'bad-literal');
      if (bytes.length !== 1) cx.fail(range, bytes.length ? 'multi-character constants are not supported' : 'empty character constant', 'bad-literal');
      return cx.constant(bytes[0], T.int, range);
    }
    case 'string': {
      const all: number[] = [];
      for (const p of x.parts) {
        const m = /^(L|u8|u|U)?"(.*)"$/s.exec(p);
        if (!m || (m[1] && m[1] !== 'u8')) cx.fail(range, 'wide string literals are not supported', 'unsupported');
        const b = decodeEscapes(m[2]);
        if (typeof b === 'string') cx.fail(range, b, 'bad-literal');
        all.push(...b);
      }
      all.push(0);
      return { e: 'str', index: cx.addString(Uint8Array.from(all)), type: { t: 'array', of: T.char, len: all.length }, range };
    }
    case 'bool':
      return cx.constant(x.value ? 1 : 0, T.int, range);
    case 'null':
      return cx.constant(0n, VOID_PTR, range);
    case 'ident':
      return identifier(cx, x.name, range);
    case 'unary': {
      const a = value(cx, x.arg);
      if (x.op === '!') {
        requireScalar(cx, a, "the operand of '!'");
        return { e: 'unary', op: '!', arg: a, type: T.int, range };
      }
      const p = promoted(requireInt(cx, a, `the operand of unary '${x.op}'`));
      if (x.op === '+') return { e: 'conv', arg: p, type: p.type, range }; // an rvalue, never an lvalue
      return { e: 'unary', op: x.op, arg: p, type: p.type, range };
    }
    case 'deref': {
      const p = value(cx, x.arg);
      if (p.type.t !== 'ptr') cx.fail(range, `cannot dereference a value of type '${typeName(p.type)}': it is not a pointer`, 'not-a-pointer');
      if (p.type.to.t === 'func') return p; // (*fp)(...) is fp(...)
      if (p.type.to.t === 'void') cx.fail(range, "cannot dereference a 'void *' pointer", 'not-a-pointer');
      return { e: 'deref', ptr: p, type: p.type.to, range };
    }
    case 'addr': {
      const a = checkExpr(cx, x.arg);
      if (a.e === 'func') return { e: 'addr', arg: a, type: ptrTo(a.type), range };
      if (a.e === 'deref' && a.type.t === 'func') return a;
      if (!isLvalue(a)) cx.fail(range, "cannot take the address of a value that is not stored in memory (an rvalue)", 'not-lvalue');
      return { e: 'addr', arg: a, type: ptrTo(a.type), range };
    }
    case 'binary':
      return binary(cx, x.op, value(cx, x.left), value(cx, x.right), range);
    case 'assign':
      return assignment(cx, x);
    case 'update': {
      const t = checkExpr(cx, x.arg);
      const what = `the operand of '${x.op}'`;
      if (!isLvalue(t) || t.type.t === 'array') cx.fail(x.arg.range, `${what} must be a modifiable lvalue`, 'not-lvalue');
      let scale = 1;
      if (t.type.t === 'ptr') scale = elementSize(cx, t.type, range);
      else requireInt(cx, t, what);
      return { e: 'incdec', target: t, delta: x.op === '++' ? 1 : -1, prefix: x.prefix, scale, type: t.type, range };
    }
    case 'call':
      return checkCall(cx, x);
    case 'member': {
      let base = checkExpr(cx, x.obj);
      if (x.arrow) {
        base = rvalue(base);
        if (base.type.t !== 'ptr' || base.type.to.t !== 'struct') {
          cx.fail(x.obj.range, `the left side of '->' must be a pointer to a struct or union, not '${typeName(base.type)}'`, 'bad-member');
        }
        base = { e: 'deref', ptr: base, type: base.type.to, range: x.obj.range };
      } else if (base.type.t !== 'struct') {
        cx.fail(x.obj.range, `the left side of '.' must be a struct or union, not '${typeName(base.type)}'${base.type.t === 'ptr' && base.type.to.t === 'struct' ? " (did you mean '->'?)" : ''}`, 'bad-member');
      }
      const st = base.type as CType & { t: 'struct' };
      if (!st.s.complete) cx.fail(x.obj.range, `'${typeName(st)}' is an incomplete type`, 'incomplete-type');
      const f = findField(st.s, x.field);
      if (!f) cx.fail(x.fieldRange, `'${typeName(st)}' has no member named '${x.field}'`, 'unknown-field');
      return { e: 'member', base, offset: f.offset, field: x.field, type: f.type, range };
    }
    case 'index': {
      let a = value(cx, x.arr);
      let i = value(cx, x.index);
      if (a.type.t !== 'ptr' && i.type.t === 'ptr') [a, i] = [i, a];
      if (a.type.t !== 'ptr') cx.fail(x.arr.range, `subscripted value of type '${typeName(a.type)}' is not an array or pointer`, 'not-a-pointer');
      requireInt(cx, i, 'an array subscript');
      if (a.type.to.t === 'void') cx.fail(range, "cannot subscript a 'void *' pointer", 'not-a-pointer');
      const p = pointerAdd(cx, a, i, false, range);
      return { e: 'deref', ptr: p, type: a.type.to, range };
    }
    case 'cast': {
      const to = resolveType(cx, x.type, 'cast');
      const a = value(cx, x.arg);
      if (to.t === 'void') return { e: 'conv', arg: a, type: T.void, range };
      if (to.t !== 'int' && to.t !== 'ptr') cx.fail(range, `cannot cast to '${typeName(to)}': only scalar types can be cast to`, 'bad-cast');
      requireScalar(cx, a, 'the operand of a cast');
      const c = conv(a, to);
      return c === a ? { ...a, type: to, range } : { ...c, range };
    }
    case 'sizeofType': {
      const t = resolveType(cx, x.type, 'cast');
      return cx.constant(BigInt(sizeOfOrFail(cx, t, range)), SIZE_T, range);
    }
    case 'sizeofExpr': {
      // The operand is not evaluated (C11 6.5.3.4p2): only its type matters.
      const saved = cx.program.strings.length;
      const a = checkExpr(cx, x.arg);
      cx.program.strings.length = saved;
      return cx.constant(BigInt(sizeOfOrFail(cx, a.type, range)), SIZE_T, range);
    }
    case 'alignof':
      return cx.constant(BigInt(alignOf(resolveType(cx, x.type, 'cast'))), SIZE_T, range);
    case 'offsetof': {
      const t = resolveType(cx, x.type, 'cast');
      if (t.t !== 'struct' || !t.s.complete) cx.fail(range, `offsetof needs a complete struct or union type, not '${typeName(t)}'`);
      const f = findField(t.s, x.member);
      if (!f) cx.fail(range, `'${typeName(t)}' has no member named '${x.member}'`, 'unknown-field');
      return cx.constant(BigInt(f.offset), SIZE_T, range);
    }
    case 'cond':
      return conditional(cx, x);
    case 'comma': {
      const l = value(cx, x.left);
      const r = value(cx, x.right);
      return { e: 'comma', left: l, right: r, type: r.type, range };
    }
    case 'compound': {
      if (!cx.fnCtx) cx.fail(range, 'compound literals at file scope are not supported', 'unsupported');
      let t = resolveType(cx, x.type, 'object');
      const plan = initPlan(cx, t, { k: 'list', items: x.init.items, range: x.init.range }, range);
      if (t.t === 'array' && t.len === undefined) t = { ...t, len: plan.size / (sizeOf(t.of) ?? 1) };
      const temp = cx.allocFrame(plan.size, alignOf(t));
      return { e: 'compound', temp, init: plan, type: t, range };
    }
  }
}

function identifier(cx: Checker, name: string, range: Expr['range']): TExpr {
  const s = cx.lookup(name);
  if (!s) cx.fail(range, `use of undeclared identifier '${name}'`, 'unknown-identifier');
  switch (s.k) {
    case 'var':
      return { e: 'var', sym: 'sym' in s ? s.sym : s.v.sym, type: ('sym' in s ? s.sym : s.v.sym).type, range };
    case 'enum':
      return cx.constant(fromBig(s.value, T.int), T.int, range);
    case 'func':
      if (!cx.refs.has(name)) cx.refs.set(name, range);
      return { e: 'func', fn: s.fn, type: s.fn.type, range };
    case 'typedef':
      return cx.fail(range, `unexpected type name '${name}': expected an expression`, 'bad-type');
  }
}

export function sizeOfOrFail(cx: Checker, t: CType, range: Expr['range']): number {
  if (t.t === 'func') cx.fail(range, "invalid application of 'sizeof' to a function type");
  if (t.t === 'void') cx.fail(range, "invalid application of 'sizeof' to 'void'");
  const n = sizeOf(t);
  if (n === undefined) cx.fail(range, `invalid application of 'sizeof' to an incomplete type '${typeName(t)}'`, 'incomplete-type');
  return n;
}

function elementSize(cx: Checker, p: CType & { t: 'ptr' }, range: Expr['range']): number {
  if (p.to.t === 'void') cx.fail(range, "arithmetic on a 'void *' pointer", 'pointer-arith');
  if (p.to.t === 'func') cx.fail(range, 'arithmetic on a pointer to a function', 'pointer-arith');
  const n = sizeOf(p.to);
  if (n === undefined) cx.fail(range, `arithmetic on a pointer to an incomplete type '${typeName(p.to)}'`, 'incomplete-type');
  return n;
}

function pointerAdd(cx: Checker, p: TExpr, i: TExpr, sub: boolean, range: Expr['range']): TExpr {
  const scale = elementSize(cx, p.type as CType & { t: 'ptr' }, range);
  const idx = conv(i, (i.type as IntType).signed ? T.long : T.ulong);
  return { e: 'ptradd', ptr: p, index: idx, scale, sub, type: p.type, range };
}

const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

export function binary(cx: Checker, op: string, l: TExpr, r: TExpr, range: Expr['range']): TExpr {
  if (op === '&&' || op === '||') {
    requireScalar(cx, l, `the left operand of '${op}'`);
    requireScalar(cx, r, `the right operand of '${op}'`);
    return { e: 'logic', op, left: l, right: r, type: T.int, range };
  }
  if (COMPARE.has(op)) return comparison(cx, op, l, r, range);
  if (op === '+' || op === '-') {
    if (l.type.t === 'ptr' && r.type.t === 'int') return pointerAdd(cx, l, r, op === '-', range);
    if (op === '+' && l.type.t === 'int' && r.type.t === 'ptr') return pointerAdd(cx, r, l, false, range);
    if (op === '-' && l.type.t === 'ptr' && r.type.t === 'ptr') {
      if (!sameType(l.type.to, r.type.to)) cx.fail(range, `cannot subtract pointers to different types ('${typeName(l.type)}' and '${typeName(r.type)}')`, 'pointer-arith');
      return { e: 'ptrdiff', left: l, right: r, scale: elementSize(cx, l.type, range), type: { ...T.long, name: 'ptrdiff_t' }, range };
    }
  }
  const a = requireInt(cx, l, `the left operand of '${op}'`);
  const b = requireInt(cx, r, `the right operand of '${op}'`);
  if (op === '<<' || op === '>>') {
    const pl = promoted(a);
    return { e: 'binary', op, left: pl, right: promoted(b), type: pl.type, range };
  }
  if (!['*', '/', '%', '+', '-', '&', '|', '^'].includes(op)) cx.fail(range, `unknown operator '${op}'`);
  const t = usualArith(a.type, b.type);
  return { e: 'binary', op, left: conv(a, t), right: conv(b, t), type: t, range };
}

function comparison(cx: Checker, op: string, l: TExpr, r: TExpr, range: Expr['range']): TExpr {
  if (l.type.t === 'int' && r.type.t === 'int') {
    const t = usualArith(l.type, r.type);
    return { e: 'cmp', op, left: conv(l, t), right: conv(r, t), type: T.int, range };
  }
  if (l.type.t === 'ptr' && r.type.t === 'ptr') {
    if (!pointersCompatible(l.type, r.type)) cx.warn(range, `comparison of distinct pointer types ('${typeName(l.type)}' and '${typeName(r.type)}')`, 'compare-distinct-pointer-types');
    return { e: 'cmp', op, left: l, right: r, type: T.int, range };
  }
  if (l.type.t === 'ptr' && r.type.t === 'int') {
    if (!isNullConstant(r)) cx.warn(range, 'comparison between pointer and integer', 'pointer-integer-compare');
    return { e: 'cmp', op, left: l, right: conv(r, l.type), type: T.int, range };
  }
  if (l.type.t === 'int' && r.type.t === 'ptr') {
    if (!isNullConstant(l)) cx.warn(range, 'comparison between pointer and integer', 'pointer-integer-compare');
    return { e: 'cmp', op, left: conv(l, r.type), right: r, type: T.int, range };
  }
  return cx.fail(range, `invalid operands to '${op}' ('${typeName(l.type)}' and '${typeName(r.type)}')`);
}

function assignment(cx: Checker, x: Expr & { k: 'assign' }): TExpr {
  const range = x.range;
  const target = checkExpr(cx, x.left);
  if (!isLvalue(target)) cx.fail(x.left.range, 'the left side of an assignment must be a variable or a memory location (an lvalue)', 'not-lvalue');
  if (target.type.t === 'array') cx.fail(x.left.range, `cannot assign to an array ('${typeName(target.type)}')`, 'not-lvalue');
  if (target.type.t === 'func') cx.fail(x.left.range, 'cannot assign to a function', 'not-lvalue');
  const v = value(cx, x.right);
  if (x.op === '=') return { e: 'assign', target, value: assignConv(cx, v, target.type, 'assignment', range), type: target.type, range };
  const op = x.op.slice(0, -1);
  if ((op === '+' || op === '-') && target.type.t === 'ptr') {
    requireInt(cx, v, `the right operand of '${x.op}'`);
    const scale = elementSize(cx, target.type, range);
    return { e: 'opassign', op, target, value: conv(v, (v.type as IntType).signed ? T.long : T.ulong), opType: target.type, scale, type: target.type, range };
  }
  const tt = requireInt(cx, target, `the left operand of '${x.op}'`).type;
  const vt = requireInt(cx, v, `the right operand of '${x.op}'`).type;
  if (op === '<<' || op === '>>') {
    return { e: 'opassign', op, target, value: conv(v, promote(vt)), opType: promote(tt), scale: 1, type: target.type, range };
  }
  const opType = usualArith(tt, vt);
  return { e: 'opassign', op, target, value: conv(v, opType), opType, scale: 1, type: target.type, range };
}

function conditional(cx: Checker, x: Expr & { k: 'cond' }): TExpr {
  const test = requireScalar(cx, value(cx, x.test), 'the condition of ?:');
  let a = value(cx, x.then);
  let b = value(cx, x.else);
  let t: CType;
  if (isInt(a.type) && isInt(b.type)) {
    t = usualArith(a.type, b.type);
    a = conv(a, t);
    b = conv(b, t);
  } else if (a.type.t === 'ptr' && b.type.t === 'ptr') {
    t = a.type.to.t === 'void' && !isNullConstant(a) ? a.type : b.type.to.t === 'void' && !isNullConstant(b) ? b.type : isNullConstant(a) ? b.type : a.type;
    if (!pointersCompatible(a.type, b.type)) cx.warn(x.range, `pointer type mismatch in conditional expression ('${typeName(a.type)}' and '${typeName(b.type)}')`, 'incompatible-pointer-types');
  } else if (a.type.t === 'ptr' && isNullConstant(b)) {
    t = a.type;
    b = conv(b, t);
  } else if (b.type.t === 'ptr' && isNullConstant(a)) {
    t = b.type;
    a = conv(a, t);
  } else if (a.type.t === 'void' && b.type.t === 'void') {
    t = T.void;
  } else if (a.type.t === 'struct' && sameType(a.type, b.type)) {
    t = a.type;
  } else {
    return cx.fail(x.range, `type mismatch in conditional expression ('${typeName(a.type)}' and '${typeName(b.type)}')`);
  }
  return { e: 'cond', test, then: a, else: b, type: t, range: x.range };
}
