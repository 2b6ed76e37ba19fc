// Function calls: the callee must be a function or a pointer to one, the argument count must
// match the prototype, each argument converts to its parameter's type; arguments beyond a `...`
// get the default promotions. `expect(a OP b)` keeps both sides for a useful failure message.
import type { Expr } from '../parse/ast';
import type { Checker } from './checker';
import { assignConv, promoted, requireScalar, rvalue } from './conversions';
import { binary, checkExpr, value } from './exprs';
import type { TExpr } from './tree';
import { alignOf, sizeOf, typeName, type CType, type FuncType } from './types';

const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

export function checkCall(cx: Checker, x: Expr & { k: 'call' }): TExpr {
  const range = x.range;
  if (x.callee.k === 'ident' && !cx.lookup(x.callee.name)) {
    cx.fail(x.callee.range, `call to undeclared function '${x.callee.name}' (implicit declarations are not allowed in C99 and later)`, 'unknown-identifier');
  }
  const callee = checkExpr(cx, x.callee);
  let ft: FuncType;
  let fnName: string | undefined;
  let target: TExpr;
  if (callee.e === 'func') {
    ft = callee.fn.type;
    fnName = callee.fn.name;
    target = callee;
  } else {
    target = rvalue(callee);
    const t = target.type;
    if (t.t !== 'ptr' || t.to.t !== 'func') {
      const what = x.callee.k === 'ident' ? `'${x.callee.name}'` : 'this expression';
      cx.fail(x.callee.range, `called object ${what} is not a function or function pointer (it has type '${typeName(callee.type)}')`, 'not-a-function');
    }
    ft = t.to;
  }
  const nameForMsg = fnName ? `function '${fnName}'` : 'the function';
  if (callee.e === 'func' && cx.specialCalls.has(callee.fn.name) && !callee.fn.body && x.args.length === 1) {
    return expectCall(cx, x, callee);
  }
  const nparams = ft.params.length;
  if (!ft.unspecified) {
    if (x.args.length < nparams || (!ft.variadic && x.args.length > nparams)) {
      const few = x.args.length < nparams;
      cx.fail(range, `too ${few ? 'few' : 'many'} arguments to ${nameForMsg}: expected ${ft.variadic ? 'at least ' : ''}${nparams}, have ${x.args.length}`, 'argument-count');
    }
  }
  const args = x.args.map((a, i) => {
    const v = value(cx, a);
    if (i < nparams && !ft.unspecified) return assignConv(cx, v, ft.params[i], `passing argument ${i + 1} of ${nameForMsg}`, a.range);
    // Default argument promotions (C11 6.5.2.2p6-7).
    if (v.type.t === 'struct') return v;
    if (v.type.t === 'void') cx.fail(a.range, "a 'void' value cannot be passed as an argument");
    return promoted(v);
  });
  let temp: number | undefined;
  if (ft.ret.t === 'struct') {
    if (!cx.fnCtx) cx.fail(range, 'calls are not allowed outside functions');
    if (sizeOf(ft.ret) === undefined) cx.fail(range, `calling a function that returns an incomplete type '${typeName(ft.ret)}'`, 'incomplete-type');
    temp = cx.allocFrame(sizeOf(ft.ret)!, alignOf(ft.ret));
  }
  return { e: 'call', callee: target, args, fn: callee.e === 'func' ? callee.fn : undefined, temp, type: ft.ret as CType, range };
}

function expectCall(cx: Checker, x: Expr & { k: 'call' }, callee: TExpr & { e: 'func' }): TExpr {
  const arg = x.args[0];
  let cond: TExpr;
  let left: TExpr | undefined;
  let right: TExpr | undefined;
  let op: string | undefined;
  if (arg.k === 'binary' && COMPARE.has(arg.op)) {
    const l = value(cx, arg.left);
    const r = value(cx, arg.right);
    cond = binary(cx, arg.op, l, r, arg.range);
    if (cond.e === 'cmp') {
      left = cond.left;
      right = cond.right;
      op = arg.op;
    }
  } else {
    cond = requireScalar(cx, value(cx, arg), 'the argument of expect()');
  }
  return { e: 'expect', cond, op, left, right, text: arg.range, type: callee.fn.type.ret, range: x.range };
}
