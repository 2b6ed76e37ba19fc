// Written types (TypeExpr) -> C types: typedef names, struct/union definitions with layout, enums
// with their constants, arrays with constant sizes, function types with adjusted parameters.
import type { BaseSpec, TypeExpr } from '../parse/ast';
import type { SrcRange } from '../source';
import type { Checker, ScopeSymbol, Tag } from './checker';
import { checkExpr } from './exprs';
import { foldInt } from './fold';
import { T, layoutStruct, primType, ptrTo, sameType, sizeOf, type CType, type StructInfo } from './types';

export type TypeContext = 'object' | 'param' | 'field' | 'typedef' | 'cast' | 'extern';

/** `_where` says where the type is written (kept for messages that depend on it). */
export function resolveType(cx: Checker, te: TypeExpr, _where: TypeContext = 'object'): CType {
  switch (te.k) {
    case 'base':
      return resolveBase(cx, te.spec);
    case 'ptr':
      return ptrTo(resolveType(cx, te.to, 'cast'));
    case 'array': {
      const of = resolveType(cx, te.of, 'object');
      if (of.t === 'func') cx.fail(te.range, 'declaration of an array of functions');
      if (of.t === 'void') cx.fail(te.range, "declaration of an array of 'void'");
      let len: number | undefined;
      if (te.size) {
        const v = constInt(cx, checkExpr(cx, te.size), 'array size');
        if (v < 0n) cx.fail(te.size.range, 'array size is negative');
        if (v > 1n << 32n) cx.fail(te.size.range, 'array is too large');
        len = Number(v);
      }
      if (sizeOf(of) === undefined) cx.fail(te.range, `array has an incomplete element type '${typeNameOf(of)}'`);
      return { t: 'array', of, len };
    }
    case 'func': {
      const ret = resolveType(cx, te.ret, 'cast');
      if (ret.t === 'array') cx.fail(te.params[0]?.range ?? rangeOfSpec(te.ret), 'a function cannot return an array');
      const params = te.params.map((p) => {
        const t = resolveType(cx, p.type, 'param');
        if (t.t === 'void') cx.fail(p.range, "a parameter cannot have type 'void'");
        // C11 6.7.6.3p7-8: array and function parameters are pointers.
        if (t.t === 'array') return ptrTo(t.of);
        if (t.t === 'func') return ptrTo(t);
        return t;
      });
      return { t: 'func', ret, params, variadic: te.variadic, unspecified: te.unspecified };
    }
  }
}

function typeNameOf(t: CType): string {
  return t.name ?? (t.t === 'struct' ? `${t.s.union ? 'union' : 'struct'} ${t.s.tag ?? ''}`.trim() : t.t);
}

function rangeOfSpec(te: TypeExpr): SrcRange {
  let cur = te;
  while (cur.k !== 'base') cur = cur.k === 'ptr' ? cur.to : cur.k === 'array' ? cur.of : cur.ret;
  return cur.spec.range;
}

export function constInt(cx: Checker, e: ReturnType<typeof checkExpr>, what: string): bigint {
  if (e.type.t !== 'int') cx.fail(e.range, `${what} must be an integer`);
  const v = foldInt(e);
  if (v === undefined) cx.fail(e.range, `${what} is not an integer constant expression`, 'not-constant');
  return v;
}

function resolveBase(cx: Checker, spec: BaseSpec): CType {
  switch (spec.k) {
    case 'prim': {
      const t = primType(spec.words);
      if (typeof t === 'string') cx.fail(spec.range, t, 'bad-type');
      return t;
    }
    case 'named': {
      const s = cx.lookup(spec.name);
      if (s?.k === 'typedef') return s.type;
      if (s) cx.fail(spec.range, `'${spec.name}' is not a type name`, 'bad-type');
      cx.fail(spec.range, `unknown type name '${spec.name}'`, 'unknown-type');
      break;
    }
    case 'struct':
      return { t: 'struct', s: structType(cx, spec) };
    case 'enum':
      return enumType(cx, spec);
  }
}

function structType(cx: Checker, spec: BaseSpec & { k: 'struct' }): StructInfo {
  const kw = spec.union ? 'union' : 'struct';
  const tags = cx.currentTags();
  if (!spec.fields) {
    if (spec.tag === undefined) cx.fail(spec.range, `an anonymous ${kw} needs a body`);
    const found = cx.lookupTag(spec.tag);
    if (found) {
      if (found.k !== 'struct' || found.s.union !== spec.union) cx.fail(spec.range, `'${spec.tag}' defined as the wrong kind of tag`);
      return found.s;
    }
    // A forward declaration: an incomplete type until its definition.
    const s = cx.newStruct(spec.tag, spec.union);
    cx.fileTags.set(spec.tag, { k: 'struct', s, range: spec.range });
    return s;
  }
  const existing = spec.tag !== undefined ? tags.get(spec.tag) : undefined;
  if (existing && (existing.k !== 'struct' || existing.s.union !== spec.union)) cx.fail(spec.range, `'${spec.tag}' defined as the wrong kind of tag`);
  let s: StructInfo;
  if (existing && existing.k === 'struct' && !existing.s.complete && existing.s.union === spec.union) s = existing.s;
  else s = cx.newStruct(spec.tag, spec.union);
  // The tag is declared from its `{` on, so that members can point to the struct itself.
  if (spec.tag !== undefined) tags.set(spec.tag, { k: 'struct', s, range: spec.range });
  const fields: { name?: string; type: CType }[] = [];
  const seen = new Map<string, SrcRange>();
  for (const f of spec.fields) {
    const t = cx.guard(() => {
      if (f.bitWidth) cx.fail(f.range, 'bit-fields are not supported', 'unsupported');
      const ft = resolveType(cx, f.type, 'field');
      if (ft.t === 'func') cx.fail(f.range, `field '${f.name ?? ''}' declared as a function`);
      if (ft.t === 'void') cx.fail(f.range, `field '${f.name ?? ''}' has type 'void'`);
      if (sizeOf(ft) === undefined && !(ft.t === 'array' && ft.len === undefined && f === spec.fields![spec.fields!.length - 1])) {
        cx.fail(f.range, `field '${f.name ?? ''}' has an incomplete type '${typeNameOf(ft)}'`);
      }
      if (f.name === undefined && ft.t !== 'struct') cx.fail(f.range, 'a declaration that declares nothing');
      return ft.t === 'array' && ft.len === undefined ? { ...ft, len: 0 } : ft;
    });
    if (!t) continue;
    for (const n of f.name !== undefined ? [f.name] : t.t === 'struct' ? memberNames(t.s) : []) {
      const prev = seen.get(n);
      if (prev) cx.error(f.range, `duplicate member '${n}'`, 'duplicate');
      seen.set(n, f.range);
    }
    fields.push({ name: f.name, type: t });
  }
  layoutStruct(s, fields);
  if (spec.tag !== undefined && existing && existing.k === 'struct' && existing.s !== s) {
    // Host code and scenario both include the same header: identical definitions are one type.
    tags.set(spec.tag, existing);
    if (sameLayout(existing.s, s)) return existing.s;
    cx.fail(spec.range, `redefinition of '${kw} ${spec.tag}'`, 'duplicate');
  }
  return s;
}

function memberNames(s: StructInfo): string[] {
  return s.fields.flatMap((f) => (f.name !== undefined ? [f.name] : f.type.t === 'struct' ? memberNames(f.type.s) : []));
}

function sameLayout(a: StructInfo, b: StructInfo): boolean {
  return a.union === b.union && a.size === b.size && a.fields.length === b.fields.length &&
    a.fields.every((f, i) => f.name === b.fields[i].name && f.offset === b.fields[i].offset && sameType(f.type, b.fields[i].type));
}

function enumType(cx: Checker, spec: BaseSpec & { k: 'enum' }): CType {
  const t: CType = { ...T.int, name: spec.tag ? `enum ${spec.tag}` : 'int' };
  if (!spec.values) {
    if (spec.tag === undefined) cx.fail(spec.range, 'an anonymous enum needs a body');
    const found = cx.lookupTag(spec.tag);
    if (found && found.k !== 'enum') cx.fail(spec.range, `'${spec.tag}' defined as the wrong kind of tag`);
    return found ? (found as Tag & { k: 'enum' }).type : t;
  }
  let next = 0n;
  for (const v of spec.values) {
    cx.guard(() => {
      if (v.value) next = constInt(cx, checkExpr(cx, v.value), 'enumerator value');
      declareName(cx, v.name, { k: 'enum', value: next, type: T.int }, v.range);
      next++;
    });
  }
  if (spec.tag !== undefined) cx.currentTags().set(spec.tag, { k: 'enum', type: t, range: spec.range });
  return t;
}

/** Declares an ordinary identifier in the current scope, reporting a clash in that scope. */
export function declareName(cx: Checker, name: string, s: ScopeSymbol, range: SrcRange): void {
  if (cx.scopes.length) {
    const names = cx.scopes[cx.scopes.length - 1].names;
    if (names.has(name)) cx.fail(range, `redefinition of '${name}'`, 'duplicate');
    names.set(name, s);
    return;
  }
  const g = cx.program.globalScope;
  const prev = g.get(name);
  if (prev) {
    const same = (prev.k === 'enum' && s.k === 'enum' && prev.value === s.value) || (prev.k === 'typedef' && s.k === 'typedef' && sameType(prev.type, s.type));
    if (same) return;
    cx.fail(range, `redefinition of '${name}'`, 'duplicate');
  }
  if (s.k === 'var') return; // globals are entered by program.ts with their GlobalVar
  g.set(name, s.k === 'enum' ? { k: 'enum', value: s.value, type: s.type } : s.k === 'typedef' ? { k: 'typedef', type: s.type } : { k: 'func', fn: s.fn });
}
