// tree-sitter expressions and initialisers -> our AST, with the typedef-name ambiguities fixed:
// `(T)(x)` read as a call, `(T)-x` read as a subtraction, `(x) - 1` read as a cast, `sizeof(T)`
// read as sizeof of a parenthesised name.
import { CError, type SrcRange } from '../source';
import type { Designator, Expr, Init, InitItem, InitList, TypeExpr } from './ast';
import type { ConvertCtx } from './convert';
import { rangeOf, typeDescriptor, unsupported } from './convert-types';
import type { TsNode } from './treesitter';

export function init(ctx: ConvertCtx, n: TsNode): Init {
  if (n.type === 'initializer_list') return initList(ctx, n);
  return { k: 'expr', expr: expr(ctx, n), range: rangeOf(ctx, n) };
}

function initList(ctx: ConvertCtx, n: TsNode): InitList {
  const items: InitItem[] = [];
  for (const c of n.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'initializer_pair') {
      const designators: Designator[] = c.childrenForFieldName('designator').filter((d): d is TsNode => !!d).map((d) => {
        if (d.type === 'field_designator') return { k: 'field', name: d.namedChildren[0]!.text, range: rangeOf(ctx, d) };
        if (d.type === 'field_identifier') return { k: 'field', name: d.text, range: rangeOf(ctx, d) };
        if (d.type === 'subscript_designator') return { k: 'index', index: expr(ctx, d.namedChildren[0]!), range: rangeOf(ctx, d) };
        return unsupported(ctx, d, 'a range designator ([a ... b])');
      });
      items.push({ designators, value: init(ctx, c.childForFieldName('value')!), range: rangeOf(ctx, c) });
    } else {
      items.push({ designators: [], value: init(ctx, c), range: rangeOf(ctx, c) });
    }
  }
  return { k: 'list', items, range: rangeOf(ctx, n) };
}

/** Applies `wrap` to the leftmost operand of a chain of binary operators (re-associating a cast). */
function castInto(e: Expr, start: SrcRange, wrap: (operand: Expr) => Expr): Expr {
  const from = (r: SrcRange): SrcRange => ({ ...r, file: start.file, line: start.line, column: start.column });
  if (e.k === 'binary') return { ...e, left: castInto(e.left, start, wrap), range: from(e.range) };
  if (e.k === 'cond') return { ...e, test: castInto(e.test, start, wrap), range: from(e.range) };
  return wrap(e);
}

/** A bare `(name)` in cast position that names no type is a parenthesised variable. */
function bareNonType(ctx: ConvertCtx, td: TsNode): string | undefined {
  if (td.type !== 'type_descriptor' || td.childForFieldName('declarator')) return undefined;
  const t = td.childForFieldName('type');
  if (t?.type !== 'type_identifier' || ctx.typedefs.has(t.text)) return undefined;
  for (const c of td.children) if (c?.type === 'type_qualifier') return undefined;
  return t.text;
}

export function expr(ctx: ConvertCtx, n: TsNode): Expr {
  const range: SrcRange = rangeOf(ctx, n);
  const f = (name: string) => n.childForFieldName(name);
  const op = () => f('operator')!.text;
  switch (n.type) {
    case 'number_literal':
      return { k: 'int', text: n.text, range };
    case 'char_literal':
      return { k: 'char', text: n.text, range };
    case 'string_literal':
      return { k: 'string', parts: [n.text], range };
    case 'concatenated_string': {
      const parts: string[] = [];
      for (const c of n.namedChildren) {
        if (!c) continue;
        if (c.type !== 'string_literal') throw new CError(rangeOf(ctx, c), `expected a string literal, found '${c.text}'`, 'syntax');
        parts.push(c.text);
      }
      return { k: 'string', parts, range };
    }
    case 'true':
    case 'false':
      return { k: 'bool', value: n.type === 'true', range };
    case 'null':
      return { k: 'null', range };
    case 'identifier':
      return { k: 'ident', name: n.text, range };
    case 'parenthesized_expression': {
      const inner = n.namedChildren.find((c) => c && c.type !== 'comment');
      if (!inner) throw new CError(range, 'expected an expression', 'syntax');
      if (inner.type === 'compound_statement') unsupported(ctx, n, 'a statement expression ({ ... })');
      return expr(ctx, inner);
    }
    case 'unary_expression':
      return { k: 'unary', op: op() as '-' | '+' | '!' | '~', arg: expr(ctx, f('argument')!), range };
    case 'pointer_expression':
      return op() === '*' ? { k: 'deref', arg: expr(ctx, f('argument')!), range } : { k: 'addr', arg: expr(ctx, f('argument')!), range };
    case 'binary_expression': {
      const o = op();
      const left = f('left')!;
      // `(T)-x`, `(T)*p`, `(T)&v` with T a typedef: tree-sitter, not knowing T is a type, reads a
      // binary operator; it is a cast of a unary expression, which binds tighter than any binary one.
      const castType = left.type === 'parenthesized_expression' && left.namedChildCount === 1 && left.namedChildren[0]?.type === 'identifier' &&
        ctx.typedefs.has(left.namedChildren[0].text) ? left.namedChildren[0] : undefined;
      if (castType && (o === '-' || o === '+' || o === '*' || o === '&')) {
        const type: TypeExpr = { k: 'base', spec: { k: 'named', name: castType.text, range: rangeOf(ctx, castType) }, isConst: false };
        return castInto(expr(ctx, f('right')!), range, (operand) => {
          const r = { ...operand.range, file: range.file, line: range.line, column: range.column };
          const un: Expr = o === '*' ? { k: 'deref', arg: operand, range: r } : o === '&' ? { k: 'addr', arg: operand, range: r } : { k: 'unary', op: o as '-' | '+', arg: operand, range: r };
          return { k: 'cast', type, arg: un, range: r };
        });
      }
      return { k: 'binary', op: o, left: expr(ctx, left), right: expr(ctx, f('right')!), range };
    }
    case 'assignment_expression':
      return { k: 'assign', op: op(), left: expr(ctx, f('left')!), right: expr(ctx, f('right')!), range };
    case 'update_expression': {
      const prefix = n.child(0)?.type === '++' || n.child(0)?.type === '--';
      return { k: 'update', op: op() as '++' | '--', prefix, arg: expr(ctx, f('argument')!), range };
    }
    case 'call_expression': {
      const fn = f('function')!;
      const args = (f('arguments')?.namedChildren ?? []).filter((c): c is TsNode => !!c && c.type !== 'comment');
      // `(T)(x)`: tree-sitter reads a cast to a typedef name as a call.
      if (fn.type === 'parenthesized_expression' && args.length === 1) {
        const inner = fn.namedChildren[0];
        if (inner?.type === 'identifier' && ctx.typedefs.has(inner.text)) {
          return { k: 'cast', type: { k: 'base', spec: { k: 'named', name: inner.text, range: rangeOf(ctx, inner) }, isConst: false }, arg: expr(ctx, args[0]), range };
        }
      }
      return { k: 'call', callee: expr(ctx, fn), args: args.map((a) => expr(ctx, a)), range };
    }
    case 'field_expression': {
      const field = f('field')!;
      return { k: 'member', obj: expr(ctx, f('argument')!), field: field.text, arrow: op() === '->', fieldRange: rangeOf(ctx, field), range };
    }
    case 'subscript_expression':
      return { k: 'index', arr: expr(ctx, f('argument')!), index: expr(ctx, f('index')!), range };
    case 'cast_expression': {
      const td = f('type')!;
      const value = f('value')!;
      const name = bareNonType(ctx, td);
      if (name !== undefined) {
        // `(x) - 1` read as a cast of -1 to type x: it is a subtraction.
        const left: Expr = { k: 'ident', name, range: rangeOf(ctx, td.childForFieldName('type')!) };
        if (value.type === 'unary_expression' && (value.child(0)?.type === '-' || value.child(0)?.type === '+')) {
          return { k: 'binary', op: value.child(0)!.type, left, right: expr(ctx, value.childForFieldName('argument')!), range };
        }
        if (value.type === 'pointer_expression') {
          return { k: 'binary', op: value.child(0)!.type, left, right: expr(ctx, value.childForFieldName('argument')!), range };
        }
      }
      return { k: 'cast', type: typeDescriptor(ctx, td), arg: expr(ctx, value), range };
    }
    case 'sizeof_expression': {
      const td = f('type');
      if (td) {
        const name = bareNonType(ctx, td);
        if (name !== undefined) return { k: 'sizeofExpr', arg: { k: 'ident', name, range: rangeOf(ctx, td) }, range };
        return { k: 'sizeofType', type: typeDescriptor(ctx, td), range };
      }
      const v = f('value')!;
      // `sizeof(T)` with T a typedef name tree-sitter does not know: a parenthesised "identifier".
      const inner = v.type === 'parenthesized_expression' && v.namedChildCount === 1 ? v.namedChildren[0] : null;
      if (inner?.type === 'identifier' && ctx.typedefs.has(inner.text)) {
        return { k: 'sizeofType', type: { k: 'base', spec: { k: 'named', name: inner.text, range: rangeOf(ctx, inner) }, isConst: false }, range };
      }
      return { k: 'sizeofExpr', arg: expr(ctx, v), range };
    }
    case 'alignof_expression':
      return { k: 'alignof', type: typeDescriptor(ctx, f('type')!), range };
    case 'offsetof_expression':
      return { k: 'offsetof', type: typeDescriptor(ctx, f('type')!), member: f('member')!.text, range };
    case 'conditional_expression': {
      const then = f('consequence');
      if (!then) unsupported(ctx, n, "the GNU 'a ?: b' operator");
      return { k: 'cond', test: expr(ctx, f('condition')!), then: expr(ctx, then), else: expr(ctx, f('alternative')!), range };
    }
    case 'comma_expression':
      return { k: 'comma', left: expr(ctx, f('left')!), right: expr(ctx, f('right')!), range };
    case 'compound_literal_expression':
      return { k: 'compound', type: typeDescriptor(ctx, f('type')!), init: initList(ctx, f('value')!), range };
    case 'extension_expression':
      return expr(ctx, n.namedChildren[0]!);
    case 'initializer_list':
      throw new CError(range, 'a brace-enclosed initializer is only allowed in a declaration or a compound literal', 'syntax');
    default:
      return unsupported(ctx, n, `the expression '${n.type.replace(/_/g, ' ')}'`);
  }
}
