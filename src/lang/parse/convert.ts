// tree-sitter's concrete C tree -> our AST (ast.ts): declarations and statements here,
// expressions and initialisers in convert-expr.ts, declarators in convert-types.ts. Syntax errors
// (ERROR and MISSING nodes) become diagnostics at their place; a top-level item containing one is
// dropped, so that the checker never sees half-parsed code. C's typedef-name ambiguity, which
// tree-sitter resolves without knowing typedefs, is resolved with the typedef names seen so far.
import { CError, type Diagnostic } from '../source';
import type { Expansion } from '../preprocess/expansion';
import type { Declaration, Expr, FunctionDef, Stmt, Storage, TopLevel, TranslationUnit, TypeExpr } from './ast';
import { expr, init } from './convert-expr';
import { baseSpec, declarator, hasConst, rangeOf, unsupported } from './convert-types';
import type { TsNode } from './treesitter';

export interface ConvertCtx {
  exp: Expansion;
  root: TsNode;
  /** Names declared by typedef so far (plus the ones tree-sitter knows as primitive types). */
  typedefs: Set<string>;
  diags: Diagnostic[];
  expr(n: TsNode): Expr;
}

const MAX_SYNTAX_ERRORS = 50;

/** Syntax diagnostics for every ERROR / MISSING node, in source order. */
export function syntaxErrors(exp: Expansion, root: TsNode): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (n: TsNode) => {
    if (out.length >= MAX_SYNTAX_ERRORS) return;
    if (n.isMissing) {
      const what = /^[a-z_]+$/.test(n.type) ? `an ${n.type.replace(/_/g, ' ')}` : `'${n.type}'`;
      out.push({ range: exp.range(n.startIndex, n.startIndex), severity: 'error', message: `expected ${what}`, code: 'syntax' });
      return;
    }
    if (n.isError) {
      // tree-sitter skips the last token of a line that lacks its ';' (`a = b + 1` NEWLINE `c++;`):
      // an error that ends a line is, almost always, that missing ';'.
      if (exp.text[n.endIndex] === '\n' && !n.text.includes('\n')) {
        out.push({ range: exp.range(n.endIndex, n.endIndex), severity: 'error', message: `expected ';' after '${n.text}'`, code: 'syntax' });
        return;
      }
      const first = exp.token(n.startIndex);
      const shown = first?.text ?? n.text.slice(0, 20);
      out.push({ range: exp.range(n.startIndex, Math.min(n.endIndex, n.startIndex + (first?.text.length ?? 1))), severity: 'error', message: `syntax error: unexpected '${shown}'`, code: 'syntax' });
      return;
    }
    for (const c of n.children) if (c && (c.hasError || c.isMissing)) visit(c);
  };
  if (root.hasError) visit(root);
  return out;
}

export function convertUnit(exp: Expansion, root: TsNode, file: string, typedefs: Set<string>, diags: Diagnostic[]): TranslationUnit {
  const ctx: ConvertCtx = { exp, root, typedefs, diags, expr: (n) => expr(ctx, n) };
  const items: TopLevel[] = [];
  for (const n of root.namedChildren) {
    if (!n || n.type === 'comment') continue;
    if (n.hasError) continue; // reported by syntaxErrors
    try {
      items.push(...topLevel(ctx, n));
    } catch (e) {
      if (!(e instanceof CError)) throw e;
      diags.push({ range: e.range, severity: 'error', message: e.message, code: e.code });
    }
  }
  return { file, items };
}

function topLevel(ctx: ConvertCtx, n: TsNode): TopLevel[] {
  switch (n.type) {
    case 'function_definition':
      return [functionDef(ctx, n)];
    case 'declaration':
    case 'type_definition':
      return [declaration(ctx, n)];
    case 'struct_specifier':
    case 'union_specifier':
    case 'enum_specifier':
      return [tagOnly(ctx, n)];
    case 'expression_statement':
      if (n.namedChildCount === 0) return []; // a stray ';'
      throw new CError(rangeOf(ctx, n), 'expected a declaration: statements belong inside a function', 'syntax');
    default:
      if (n.type.endsWith('_statement')) throw new CError(rangeOf(ctx, n), 'expected a declaration: statements belong inside a function', 'syntax');
      return unsupported(ctx, n, `'${n.type}' at file scope`);
  }
}

/** `struct s { ... };` on its own: tree-sitter gives the bare specifier. */
function tagOnly(ctx: ConvertCtx, n: TsNode): Declaration {
  return { k: 'decl', storage: undefined, inline: false, spec: baseSpec(ctx, n), decls: [], range: rangeOf(ctx, n) };
}

function storageOf(n: TsNode): { storage: Storage; inline: boolean } {
  let storage: Storage;
  let inline = false;
  for (const c of n.children) {
    if (c?.type !== 'storage_class_specifier') continue;
    const w = c.text;
    if (w === 'static' || w === 'extern') storage = w;
    else if (w === 'inline' || w === '__inline' || w === '__inline__') inline = true;
  }
  if (n.type === 'type_definition') storage = 'typedef';
  return { storage, inline };
}

function functionDef(ctx: ConvertCtx, n: TsNode): FunctionDef {
  const typeNode = n.childForFieldName('type');
  if (!typeNode) unsupported(ctx, n, 'a function without a return type (implicit int)');
  const base: TypeExpr = { k: 'base', spec: baseSpec(ctx, typeNode), isConst: hasConst(n) };
  const d = declarator(ctx, n.childForFieldName('declarator'), base);
  if (d.type.k !== 'func' || !d.name) throw new CError(rangeOf(ctx, n), 'expected a function declarator', 'syntax');
  const body = stmt(ctx, n.childForFieldName('body')!);
  if (body.k !== 'block') throw new CError(rangeOf(ctx, n), 'expected a function body', 'syntax');
  return { k: 'function', name: d.name, nameRange: d.nameRange!, ...storageOf(n), type: d.type, body, range: rangeOf(ctx, n) };
}

function declaration(ctx: ConvertCtx, n: TsNode): Declaration {
  const typeNode = n.childForFieldName('type');
  if (!typeNode) unsupported(ctx, n, 'a declaration without a type');
  const spec = baseSpec(ctx, typeNode);
  const base: TypeExpr = { k: 'base', spec, isConst: hasConst(n) };
  const { storage, inline } = storageOf(n);
  const decls = n.childrenForFieldName('declarator').filter((d): d is TsNode => !!d).map((d) => {
    const u = declarator(ctx, d, base);
    if (!u.name) throw new CError(rangeOf(ctx, d), 'expected a name in this declaration', 'syntax');
    if (storage === 'typedef') ctx.typedefs.add(u.name);
    const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
    return { name: u.name, type: u.type, init: value ? init(ctx, value) : undefined, range: rangeOf(ctx, d), nameRange: u.nameRange! };
  });
  return { k: 'decl', storage, inline, spec, decls, range: rangeOf(ctx, n) };
}

// ---- statements --------------------------------------------------------------------------------

function stmt(ctx: ConvertCtx, n: TsNode): Stmt {
  const range = rangeOf(ctx, n);
  const child = (f: string) => n.childForFieldName(f);
  switch (n.type) {
    case 'compound_statement': {
      const body: Stmt[] = [];
      for (const c of n.namedChildren) {
        if (!c || c.type === 'comment') continue;
        // One unsupported statement is reported and the rest of the block still converted.
        try {
          body.push(stmt(ctx, c));
        } catch (e) {
          if (!(e instanceof CError)) throw e;
          ctx.diags.push({ range: e.range, severity: 'error', message: e.message, code: e.code });
        }
      }
      const endIdx = Math.max(n.startIndex, n.endIndex - 1);
      return { k: 'block', body, range, end: ctx.exp.range(endIdx, n.endIndex) };
    }
    case 'expression_statement': {
      const e = n.namedChildren.find((c) => c && c.type !== 'comment');
      return { k: 'expr', expr: e ? expr(ctx, e) : undefined, range };
    }
    case 'declaration':
    case 'type_definition': {
      const { range: _r, ...d } = declaration(ctx, n);
      return { ...d, range };
    }
    case 'if_statement': {
      const alt = child('alternative');
      const altStmt = alt ? alt.namedChildren.find((c) => c && c.type !== 'comment') : undefined;
      return { k: 'if', test: expr(ctx, child('condition')!), then: stmt(ctx, child('consequence')!), else: altStmt ? stmt(ctx, altStmt) : undefined, range };
    }
    case 'while_statement':
      return { k: 'while', test: expr(ctx, child('condition')!), body: stmt(ctx, child('body')!), range };
    case 'do_statement':
      return { k: 'do', body: stmt(ctx, child('body')!), test: expr(ctx, child('condition')!), range };
    case 'for_statement': {
      const i = child('initializer');
      const c = child('condition');
      const u = child('update');
      let initStmt: Stmt | undefined;
      if (i) initStmt = i.type === 'declaration' ? stmt(ctx, i) : { k: 'expr', expr: expr(ctx, i), range: rangeOf(ctx, i) };
      return { k: 'for', init: initStmt, test: c ? expr(ctx, c) : undefined, update: u ? expr(ctx, u) : undefined, body: stmt(ctx, child('body')!), range };
    }
    case 'return_statement': {
      const e = n.namedChildren.find((c) => c && c.type !== 'comment');
      return { k: 'return', value: e ? expr(ctx, e) : undefined, range };
    }
    case 'break_statement':
      return { k: 'break', range };
    case 'continue_statement':
      return { k: 'continue', range };
    case 'goto_statement':
      return { k: 'goto', label: child('label')!.text, range };
    case 'labeled_statement': {
      const body = n.namedChildren.filter((c): c is TsNode => !!c && c.type !== 'statement_identifier' && c.type !== 'comment');
      const inner: Stmt = body.length ? stmt(ctx, body[body.length - 1]) : { k: 'expr', range };
      return { k: 'label', label: child('label')!.text, body: inner, range };
    }
    case 'switch_statement':
      return { k: 'switch', test: expr(ctx, child('condition')!), body: stmt(ctx, child('body')!), range };
    case 'case_statement': {
      const value = child('value');
      const body: Stmt[] = [];
      let labelEnd = value ? value.endIndex + 1 : n.startIndex + 'default:'.length;
      for (let i = 0; i < n.childCount; i++) {
        const c = n.child(i);
        if (!c) continue;
        if (c.type === ':' && labelEnd > c.endIndex) labelEnd = c.endIndex;
        if (!c.isNamed || c.type === 'comment' || (value && c.id === value.id)) continue;
        body.push(stmt(ctx, c));
      }
      return { k: 'case', value: value ? expr(ctx, value) : undefined, body, labelRange: ctx.exp.range(n.startIndex, Math.min(labelEnd, n.endIndex)), range };
    }
    case 'attributed_statement': {
      const s = n.namedChildren.find((c) => c && c.type !== 'attribute_declaration');
      return s ? stmt(ctx, s) : { k: 'expr', range };
    }
    case 'struct_specifier':
    case 'union_specifier':
    case 'enum_specifier': {
      const { range: _r, ...d } = tagOnly(ctx, n);
      return { ...d, range };
    }
    case 'function_definition':
      throw new CError(range, 'a function cannot be defined inside another function', 'syntax');
    default:
      return unsupported(ctx, n, `the statement '${n.type}'`);
  }
}
