// tree-sitter declarators and type specifiers -> our TypeExpr (declarators are read inside out).
import { CError, type SrcRange } from '../source';
import type { BaseSpec, EnumValue, FieldDecl, Param, TypeExpr } from './ast';
import type { TsNode } from './treesitter';
import type { ConvertCtx } from './convert';

const PRIM_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'signed', 'unsigned', '_Bool', 'bool', 'float', 'double', '__int128']);
const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict', '__restrict__', '_Atomic', '__volatile__', '__const']);

export function rangeOf(ctx: ConvertCtx, n: TsNode): SrcRange {
  return ctx.exp.range(n.startIndex, n.endIndex);
}

export function unsupported(ctx: ConvertCtx, n: TsNode, what: string): never {
  throw new CError(rangeOf(ctx, n), `${what} is not supported`, 'unsupported');
}

/** The base specifier of a declaration, parameter, field or type name. */
export function baseSpec(ctx: ConvertCtx, n: TsNode): BaseSpec {
  const range = rangeOf(ctx, n);
  switch (n.type) {
    case 'primitive_type':
      return PRIM_WORDS.has(n.text) ? { k: 'prim', words: [n.text], range } : { k: 'named', name: n.text, range };
    case 'sized_type_specifier': {
      const words = n.text.split(/\s+/).filter((w) => w && !QUALIFIERS.has(w));
      const last = words[words.length - 1];
      if (last && !PRIM_WORDS.has(last)) throw new CError(range, `'${words.join(' ')}' is not a valid type`, 'bad-type');
      return { k: 'prim', words, range };
    }
    case 'type_identifier':
      return { k: 'named', name: n.text, range };
    case 'struct_specifier':
    case 'union_specifier': {
      const name = n.childForFieldName('name');
      const body = n.childForFieldName('body');
      return { k: 'struct', union: n.type === 'union_specifier', tag: name?.text, fields: body ? fields(ctx, body) : undefined, range };
    }
    case 'enum_specifier': {
      const name = n.childForFieldName('name');
      const body = n.childForFieldName('body');
      let values: EnumValue[] | undefined;
      if (body) {
        values = [];
        for (const e of body.namedChildren) {
          if (!e || e.type !== 'enumerator') continue;
          const v = e.childForFieldName('value');
          values.push({ name: e.childForFieldName('name')!.text, value: v ? ctx.expr(v) : undefined, range: rangeOf(ctx, e) });
        }
      }
      return { k: 'enum', tag: name?.text, values, range };
    }
    default:
      return unsupported(ctx, n, `the type specifier '${n.type}'`);
  }
}

function fields(ctx: ConvertCtx, list: TsNode): FieldDecl[] {
  const out: FieldDecl[] = [];
  for (const f of list.namedChildren) {
    if (!f || f.type === 'comment') continue;
    if (f.type !== 'field_declaration') unsupported(ctx, f, `'${f.type}' in a struct`);
    const typeNode = f.childForFieldName('type');
    if (!typeNode) unsupported(ctx, f, 'a field without a type');
    const base: TypeExpr = { k: 'base', spec: baseSpec(ctx, typeNode), isConst: hasConst(f) };
    const decls = f.childrenForFieldName('declarator').filter((d): d is TsNode => !!d);
    const bits = f.namedChildren.find((c) => c?.type === 'bitfield_clause');
    const bitWidth = bits?.namedChildren[0] ? ctx.expr(bits.namedChildren[0]) : undefined;
    if (decls.length === 0) out.push({ type: base, range: rangeOf(ctx, f), bitWidth });
    for (const d of decls) {
      const u = declarator(ctx, d, base);
      out.push({ name: u.name, type: u.type, range: u.nameRange ?? rangeOf(ctx, d), bitWidth });
    }
  }
  return out;
}

export function hasConst(n: TsNode): boolean {
  for (const c of n.children) if (c?.type === 'type_qualifier' && c.text === 'const') return true;
  return false;
}

export interface Unwrapped {
  name?: string;
  nameRange?: SrcRange;
  type: TypeExpr;
}

/** Applies a declarator to a base type: `*p[3]` on int gives p: array of 3 pointers to int. */
export function declarator(ctx: ConvertCtx, n: TsNode | null, base: TypeExpr): Unwrapped {
  let type = base;
  let cur = n;
  for (;;) {
    if (!cur) return { type };
    switch (cur.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
      case 'primitive_type':
        return { name: cur.text, nameRange: rangeOf(ctx, cur), type };
      case 'pointer_declarator':
      case 'abstract_pointer_declarator':
        type = { k: 'ptr', to: type };
        cur = cur.childForFieldName('declarator');
        continue;
      case 'array_declarator':
      case 'abstract_array_declarator': {
        const size = cur.childForFieldName('size');
        type = { k: 'array', of: type, size: size && size.type !== '*' ? ctx.expr(size) : undefined, range: rangeOf(ctx, cur) };
        cur = cur.childForFieldName('declarator');
        continue;
      }
      case 'function_declarator':
      case 'abstract_function_declarator': {
        const ps = cur.childForFieldName('parameters');
        type = { ...params(ctx, ps), ret: type };
        cur = cur.childForFieldName('declarator');
        continue;
      }
      case 'parenthesized_declarator':
      case 'abstract_parenthesized_declarator':
      case 'attributed_declarator':
        cur = cur.namedChildren.find((c) => c && c.type !== 'attribute_declaration' && c.type !== 'ms_call_modifier') ?? null;
        continue;
      case 'init_declarator':
        cur = cur.childForFieldName('declarator');
        continue;
      default:
        return unsupported(ctx, cur, `the declarator '${cur.type}'`);
    }
  }
}

function params(ctx: ConvertCtx, list: TsNode | null): TypeExpr & { k: 'func' } {
  const ps: Param[] = [];
  let variadic = false;
  const children = list ? list.namedChildren.filter((c): c is TsNode => !!c && c.type !== 'comment') : [];
  for (const p of children) {
    if (p.type === 'variadic_parameter') { variadic = true; continue; }
    if (p.type !== 'parameter_declaration') unsupported(ctx, p, 'an old-style (K&R) parameter list');
    const typeNode = p.childForFieldName('type');
    if (!typeNode) unsupported(ctx, p, 'a parameter without a type');
    const base: TypeExpr = { k: 'base', spec: baseSpec(ctx, typeNode), isConst: hasConst(p) };
    const u = declarator(ctx, p.childForFieldName('declarator'), base);
    ps.push({ name: u.name, type: u.type, range: u.nameRange ?? rangeOf(ctx, p) });
  }
  // `(void)` declares no parameters.
  const isVoid = ps.length === 1 && !ps[0].name && ps[0].type.k === 'base' && ps[0].type.spec.k === 'prim' && ps[0].type.spec.words.join(' ') === 'void';
  if (isVoid) ps.length = 0;
  return { k: 'func', ret: { k: 'base', spec: { k: 'prim', words: ['void'], range: rangeOf(ctx, list ?? ctx.root) }, isConst: false }, params: ps, variadic, unspecified: children.length === 0 };
}

/** A type name as in a cast or sizeof: `unsigned long`, `struct s *`. */
export function typeDescriptor(ctx: ConvertCtx, n: TsNode): TypeExpr {
  const t = n.childForFieldName('type');
  if (!t) unsupported(ctx, n, 'a type name without a type');
  const base: TypeExpr = { k: 'base', spec: baseSpec(ctx, t), isConst: hasConst(n) };
  return declarator(ctx, n.childForFieldName('declarator'), base).type;
}
