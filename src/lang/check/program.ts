// File scope: global variables, typedefs, struct/enum definitions and functions across the units
// of a run. Units are checked in order (host library first, then the scenario); a scenario
// definition of a host function or variable replaces the host's, so that a function pasted from a
// patch overrides the library's own. Then "linking": every function used must have a body or be
// supplied by the runtime (intrinsics), every extern variable a definition or a runtime object.
import type { Declaration, FunctionDef, TranslationUnit, VarDecl } from '../parse/ast';
import type { Diagnostic } from '../source';
import { Checker } from './checker';
import { initPlan } from './init';
import { declareName, resolveType } from './resolve';
import { staticImage } from './statics';
import { checkFunctionBody } from './stmts';
import type { FuncSym, GlobalVar, Origin, Program } from './tree';
import { named, sameType, sizeOf, typeName, type CType, type FuncType } from './types';

export interface CheckUnit {
  unit: TranslationUnit;
  origin: Origin;
}

export interface CheckOptions {
  /** Functions the runtime implements natively (intrinsics). */
  natives: ReadonlySet<string>;
  /** Extern variables the runtime defines (e.g. rmi_last). */
  runtimeGlobals: ReadonlySet<string>;
}

export interface CheckResult {
  program: Program;
  diagnostics: Diagnostic[];
}

export function checkProgram(units: readonly CheckUnit[], opts: CheckOptions): CheckResult {
  const cx = new Checker();
  for (const u of units) {
    cx.origin = u.origin;
    for (const item of u.unit.items) {
      cx.guard(() => (item.k === 'function' ? functionDef(cx, item) : fileDeclaration(cx, item)));
    }
  }
  link(cx, opts);
  return { program: cx.program, diagnostics: cx.diags };
}

function fileDeclaration(cx: Checker, d: Declaration): void {
  if (d.decls.length === 0) {
    resolveType(cx, { k: 'base', spec: d.spec, isConst: false });
    return;
  }
  for (const v of d.decls) {
    cx.guard(() => {
      const t = resolveType(cx, v.type, d.storage === 'typedef' ? 'typedef' : d.storage === 'extern' ? 'extern' : 'object');
      if (d.storage === 'typedef') {
        declareName(cx, v.name, { k: 'typedef', type: named(t, v.name) }, v.nameRange);
        return;
      }
      if (t.t === 'func') {
        if (v.init) cx.fail(v.range, `function '${v.name}' is initialised like a variable`);
        declareFunction(cx, v.name, t, v.nameRange, d.storage === 'static');
        return;
      }
      declareGlobalVar(cx, v, t, d.storage);
    });
  }
}

export function declareFunction(cx: Checker, name: string, type: FuncType, range: Diagnostic['range'], isStatic: boolean): FuncSym {
  const prev = cx.program.globalScope.get(name);
  if (prev) {
    if (prev.k !== 'func') cx.fail(range, `'${name}' redeclared as a different kind of symbol`, 'duplicate');
    if (!sameType(prev.fn.type, type)) {
      cx.fail(range, `conflicting types for '${name}': '${typeName(type)}' here, '${typeName(prev.fn.type)}' at ${prev.fn.range.file}:${prev.fn.range.line}`, 'conflicting-types');
    }
    // A prototype with parameters completes an earlier `f()` declaration.
    if (prev.fn.type.unspecified && !type.unspecified) prev.fn.type = type;
    return prev.fn;
  }
  const fn: FuncSym = { name, type, id: cx.program.functions.length, range, origin: cx.origin, isStatic, params: [], frameSize: 0, locals: [] };
  cx.program.functions.push(fn);
  cx.program.globalScope.set(name, { k: 'func', fn });
  return fn;
}

function functionDef(cx: Checker, def: FunctionDef): void {
  const t = resolveType(cx, def.type, 'object') as FuncType;
  if (t.ret.t === 'struct' && sizeOf(t.ret) === undefined) cx.fail(def.nameRange, `function '${def.name}' returns an incomplete type '${typeName(t.ret)}'`, 'incomplete-type');
  const fn = declareFunction(cx, def.name, t, def.nameRange, def.storage === 'static');
  if (fn.body) {
    if (fn.origin === 'host' && cx.origin === 'scenario') {
      fn.overridden = true; // the scenario's definition replaces the host library's
    } else if (fn.origin === 'scenario' && cx.origin !== 'scenario') {
      return; // the scenario already defined it
    } else {
      cx.fail(def.nameRange, `redefinition of '${def.name}' (previous definition at ${fn.range.file}:${fn.range.line})`, 'duplicate');
    }
  }
  fn.range = def.nameRange;
  fn.origin = cx.origin;
  fn.type = t;
  checkFunctionBody(cx, def, fn);
}

/** A variable with static storage: file-scope, or `static`/`extern` inside a function (uniqueName). */
export function declareGlobalVar(cx: Checker, v: VarDecl, type: CType, storage: Declaration['storage'], uniqueName?: string): GlobalVar {
  const name = uniqueName ?? v.name;
  let t = type;
  if (t.t === 'void') cx.fail(v.nameRange, `variable '${v.name}' declared void`, 'bad-type');
  const isExtern = storage === 'extern' && !v.init;
  let plan = undefined;
  if (v.init) {
    const fnCtx = cx.fnCtx;
    // Static initialisers are evaluated at load time, outside any function frame.
    cx.fnCtx = undefined;
    try {
      plan = initPlan(cx, t, v.init, v.range);
    } finally {
      cx.fnCtx = fnCtx;
    }
    if (t.t === 'array' && t.len === undefined) t = { ...t, len: plan.size / (sizeOf(t.of) || 1) };
  }
  const prev = storage === 'extern' && uniqueName ? cx.program.globalScope.get(v.name) : cx.program.globalScope.get(name);
  if (prev) {
    if (prev.k !== 'var') cx.fail(v.nameRange, `'${v.name}' redeclared as a different kind of symbol`, 'duplicate');
    const g = prev.v;
    if (!sameType(g.sym.type, t)) cx.fail(v.nameRange, `conflicting types for '${v.name}': '${typeName(t)}' here, '${typeName(g.sym.type)}' at ${g.sym.range.file}:${g.sym.range.line}`, 'conflicting-types');
    if (plan) {
      if (g.init && !(g.origin === 'host' && cx.origin === 'scenario')) {
        cx.fail(v.nameRange, `redefinition of '${v.name}' (previous definition at ${g.sym.range.file}:${g.sym.range.line})`, 'duplicate');
      }
      g.init = plan;
      g.image = staticImage(cx, plan);
      g.origin = cx.origin;
      g.sym.range = v.nameRange;
    }
    if (t.t === 'array' && g.sym.type.t === 'array' && g.sym.type.len === undefined) g.sym.type = t;
    if (!isExtern) g.external = false;
    return g;
  }
  if (!isExtern && sizeOf(t) === undefined) cx.fail(v.nameRange, `variable '${v.name}' has an incomplete type '${typeName(t)}'`, 'incomplete-type');
  const index = cx.program.globals.length;
  const g: GlobalVar = {
    sym: { kind: 'global', name, type: t, index, offset: 0, range: v.nameRange },
    init: plan, origin: cx.origin, isStatic: storage === 'static', external: isExtern,
  };
  if (plan) g.image = staticImage(cx, plan);
  cx.program.globals.push(g);
  if (!uniqueName || storage === 'extern') cx.program.globalScope.set(storage === 'extern' ? v.name : name, { k: 'var', v: g });
  return g;
}

function link(cx: Checker, opts: CheckOptions): void {
  for (const fn of cx.program.functions) {
    if (fn.body) continue;
    const ref = cx.refs.get(fn.name);
    if (!ref) continue;
    if (opts.natives.has(fn.name)) cx.program.externals.add(fn.name);
    else cx.error(ref, `undefined reference to '${fn.name}': it is declared but no definition was found`, 'undefined-reference');
  }
  for (const g of cx.program.globals) {
    if (!g.external) continue;
    if (!opts.runtimeGlobals.has(g.sym.name)) cx.error(g.sym.range, `undefined reference to '${g.sym.name}': it is declared extern but never defined`, 'undefined-reference');
  }
}

