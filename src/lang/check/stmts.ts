// Statements and function bodies: declarations with their frame slots and initialisers, control
// flow rules (break/continue placement, case labels inside a switch, duplicate case values and
// labels, gotos to defined labels), and return types.
import type { Declaration, FunctionDef, Stmt } from '../parse/ast';
import type { SrcRange } from '../source';
import type { Checker } from './checker';
import { assignConv, promoted, requireInt, requireScalar } from './conversions';
import { checkExpr, value } from './exprs';
import { fromBig } from './fold';
import { initPlan } from './init';
import { declareGlobalVar } from './program';
import { constInt, declareName, resolveType } from './resolve';
import type { FuncSym, TStmt, VarSym } from './tree';
import { alignOf, alignUp, named, sizeOf, typeName, type CType } from './types';

export function checkFunctionBody(cx: Checker, def: FunctionDef, fn: FuncSym): void {
  cx.fnCtx = { fn, frame: 0, labels: new Map(), gotos: [], loops: 0, switches: [], stmtCount: 0 };
  fn.locals = [];
  fn.params = [];
  cx.pushScope();
  try {
    def.type.params.forEach((p, i) => {
      const t = fn.type.params[i];
      if (!p.name) return;
      const sym = local(cx, p.name, t, p.range);
      sym.isParam = true;
      fn.params.push(sym);
    });
    if (fn.params.length !== fn.type.params.length) {
      // Unnamed parameters still take a slot so that arguments land where the callee expects.
      fn.params = fn.type.params.map((t, i) => {
        const p = def.type.params[i];
        const existing = fn.params.find((s) => s.name === p.name);
        if (existing) return existing;
        const offset = cx.allocFrame(sizeOf(t) ?? 8, alignOf(t));
        return { kind: 'local', name: `<param ${i + 1}>`, type: t, index: 0, offset, range: p.range, isParam: true };
      });
    }
    const body: TStmt[] = [];
    for (const s of def.body.body) {
      const r = cx.guard(() => stmt(cx, s));
      if (r) body.push(r);
    }
    fn.body = { s: 'block', body, end: def.body.end, range: def.body.range };
    for (const g of cx.fnCtx.gotos) {
      if (!cx.fnCtx.labels.has(g.label)) cx.error(g.range, `use of undeclared label '${g.label}'`, 'unknown-label');
    }
    fn.frameSize = alignUp(cx.fnCtx.frame, 16);
  } finally {
    cx.popScope();
    cx.fnCtx = undefined;
  }
}

function local(cx: Checker, name: string, type: CType, range: SrcRange): VarSym {
  const size = sizeOf(type);
  if (size === undefined) cx.fail(range, `variable '${name}' has an incomplete type '${typeName(type)}'`, 'incomplete-type');
  const offset = cx.allocFrame(size, alignOf(type));
  const sym: VarSym = { kind: 'local', name, type, index: 0, offset, range };
  declareName(cx, name, { k: 'var', sym }, range);
  cx.fnCtx!.fn.locals.push(sym);
  return sym;
}

function stmt(cx: Checker, s: Stmt): TStmt {
  const range = s.range;
  const f = cx.fnCtx!;
  switch (s.k) {
    case 'expr':
      return { s: 'expr', e: s.expr ? value(cx, s.expr) : undefined, range };
    case 'decl':
      return declaration(cx, { ...s, range });
    case 'block': {
      cx.pushScope();
      try {
        const body: TStmt[] = [];
        for (const c of s.body) {
          const r = cx.guard(() => stmt(cx, c));
          if (r) body.push(r);
        }
        return { s: 'block', body, end: s.end, range };
      } finally {
        cx.popScope();
      }
    }
    case 'if':
      return { s: 'if', test: condition(cx, s.test, 'if'), then: stmt(cx, s.then), else: s.else ? stmt(cx, s.else) : undefined, range };
    case 'while': {
      const test = condition(cx, s.test, 'while');
      return { s: 'while', test, body: loopBody(cx, s.body), range };
    }
    case 'do': {
      const body = loopBody(cx, s.body);
      return { s: 'do', body, test: condition(cx, s.test, 'do-while'), range };
    }
    case 'for': {
      cx.pushScope();
      try {
        const init = s.init ? stmt(cx, s.init) : undefined;
        const test = s.test ? condition(cx, s.test, 'for') : undefined;
        const update = s.update ? value(cx, s.update) : undefined;
        return { s: 'for', init, test, update, body: loopBody(cx, s.body), range };
      } finally {
        cx.popScope();
      }
    }
    case 'return': {
      const ret = f.fn.type.ret;
      if (!s.value) {
        if (ret.t !== 'void') cx.warn(range, `non-void function '${f.fn.name}' should return a value`, 'return-type');
        return { s: 'return', range };
      }
      const v = value(cx, s.value);
      if (ret.t === 'void') {
        if (v.type.t !== 'void') cx.fail(s.value.range, `void function '${f.fn.name}' should not return a value`, 'return-type');
        return { s: 'return', value: v, range };
      }
      return { s: 'return', value: assignConv(cx, v, ret, 'return', s.value.range), range };
    }
    case 'break':
      if (f.loops === 0 && f.switches.length === 0) cx.fail(range, "'break' statement not in a loop or switch statement", 'misplaced-break');
      return { s: 'break', range };
    case 'continue':
      if (f.loops === 0) cx.fail(range, "'continue' statement not in a loop", 'misplaced-continue');
      return { s: 'continue', range };
    case 'goto':
      f.gotos.push({ label: s.label, range });
      return { s: 'goto', label: s.label, range };
    case 'label': {
      const prev = f.labels.get(s.label);
      if (prev) cx.error(range, `redefinition of label '${s.label}' (first defined at line ${prev.line})`, 'duplicate');
      f.labels.set(s.label, range);
      return { s: 'label', label: s.label, body: stmt(cx, s.body), range };
    }
    case 'switch': {
      const test = promoted(requireInt(cx, value(cx, s.test), 'the controlling expression of a switch'));
      f.switches.push({ values: new Map(), hasDefault: false, type: test.type });
      try {
        return { s: 'switch', test, body: stmt(cx, s.body), range };
      } finally {
        f.switches.pop();
      }
    }
    case 'case': {
      const sw = f.switches[f.switches.length - 1];
      const what = s.value ? "'case'" : "'default'";
      if (!sw) cx.fail(s.labelRange, `${what} label not within a switch statement`, 'misplaced-case');
      let v: number | bigint | undefined;
      if (s.value) {
        const raw = constInt(cx, checkExpr(cx, s.value), 'a case label');
        const conv2 = fromBig(raw, sw.type);
        const key = typeof conv2 === 'bigint' ? conv2 : BigInt(conv2);
        const prev = sw.values.get(key);
        if (prev) cx.error(s.labelRange, `duplicate case value '${raw}' (previously used at line ${prev.line})`, 'duplicate');
        sw.values.set(key, s.labelRange);
        v = conv2;
      } else {
        if (sw.hasDefault) cx.error(s.labelRange, "multiple 'default' labels in one switch", 'duplicate');
        sw.hasDefault = true;
      }
      const body: TStmt[] = [];
      for (const c of s.body) {
        const r = cx.guard(() => stmt(cx, c));
        if (r) body.push(r);
      }
      return { s: 'case', value: v, body, range: s.labelRange };
    }
  }
}

function loopBody(cx: Checker, s: Stmt): TStmt {
  cx.fnCtx!.loops++;
  try {
    return stmt(cx, s);
  } finally {
    cx.fnCtx!.loops--;
  }
}

function condition(cx: Checker, e: Parameters<typeof value>[1], what: string) {
  return requireScalar(cx, value(cx, e), `the condition of '${what}'`);
}

/** A declaration inside a function. */
function declaration(cx: Checker, d: Declaration): TStmt {
  const vars: { sym: VarSym; init?: ReturnType<typeof initPlan> }[] = [];
  if (d.decls.length === 0) {
    resolveType(cx, { k: 'base', spec: d.spec, isConst: false });
    return { s: 'decl', vars, range: d.range };
  }
  for (const v of d.decls) {
    cx.guard(() => {
      let t = resolveType(cx, v.type, d.storage === 'typedef' ? 'typedef' : 'object');
      if (d.storage === 'typedef') {
        declareName(cx, v.name, { k: 'typedef', type: named(t, v.name) }, v.nameRange);
        return;
      }
      if (t.t === 'func') {
        // A block-scope function declaration refers to the file-scope function.
        cx.fail(v.nameRange, `declare function '${v.name}' at file scope`, 'unsupported');
      }
      if (d.storage === 'static' || d.storage === 'extern') {
        const g = declareGlobalVar(cx, v, t, d.storage, `${cx.fnCtx!.fn.name}.${v.name}`);
        declareName(cx, v.name, { k: 'var', sym: g.sym }, v.nameRange);
        return;
      }
      if (t.t === 'void') cx.fail(v.nameRange, `variable '${v.name}' declared void`, 'bad-type');
      let plan: ReturnType<typeof initPlan> | undefined;
      if (v.init) {
        plan = initPlan(cx, t, v.init, v.range);
        if (t.t === 'array' && t.len === undefined) t = { ...t, len: plan.size / (sizeOf(t.of) || 1) };
      }
      const sym = local(cx, v.name, t, v.nameRange);
      vars.push({ sym, init: plan });
    });
  }
  return { s: 'decl', vars, range: d.range };
}

