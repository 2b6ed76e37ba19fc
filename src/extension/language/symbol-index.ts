// Every place the compiled program names a symbol: declarations (functions, globals, locals and
// parameters) and uses (variables, function designators, struct members), taken from the
// checker's typed tree, so that hover, go to definition and references agree with what actually
// ran (the preprocessor's choices, the scenario's overrides of host functions) without reading C
// a second time. No vscode here: the editor providers, unit tests and benchmarks share it.
import type { FuncSym, Program, SrcRange, StructInfo, TExpr, VarSym } from '../../lang';
import type { CType } from '../../lang';

/** A field of a struct or union type, by the struct's identity and the field's name. */
export interface FieldTarget {
  k: 'field';
  struct: StructInfo;
  name: string;
  type: CType;
}

export type Target =
  | { k: 'var'; sym: VarSym; /** The function a local or parameter belongs to. */ owner?: FuncSym }
  | { k: 'func'; fn: FuncSym }
  | FieldTarget;

export interface Occurrence {
  file: string;
  line: number;
  /** 1-based, UTF-16 columns; end exclusive. */
  column: number;
  endColumn: number;
  target: Target;
  /** The declaration itself (the name in a definition or prototype), not a use. */
  decl: boolean;
}

/** What an index needs of a source file: its text and where a line starts (lang's SourceFile). */
export interface TextOf {
  text: string;
  lineStart(line: number): number;
}

export interface SymbolIndex {
  program: Program;
  byFile: Map<string, Occurrence[]>;
  /** Occurrences by target identity (the VarSym, FuncSym, or a field key). */
  byTarget: Map<unknown, Occurrence[]>;
}

/** A stable identity for a target: the symbol object, or `<struct id>.<field>` for a member. */
export function targetKey(t: Target): unknown {
  return t.k === 'var' ? t.sym : t.k === 'func' ? t.fn : `${t.struct.id}.${t.name}`;
}

export function targetName(t: Target): string {
  return t.k === 'var' ? t.sym.name : t.k === 'func' ? t.fn.name : t.name;
}

/** Keys of tree nodes that are not sub-expressions to walk (types may be cyclic; symbols lead elsewhere). */
const SKIP = new Set(['type', 'opType', 'range', 'sym', 'fn', 'text', 'end', 'image']);

const cache = new WeakMap<Program, SymbolIndex>();

/**
 * Builds (once per program) the index. `files` gives the text the program was compiled from:
 * an occurrence is kept only where that text spells the name, which drops uses that came out
 * of a macro expansion (their range is the macro's invocation, not the name).
 */
export function symbolIndex(program: Program, files: ReadonlyMap<string, TextOf>): SymbolIndex {
  const hit = cache.get(program);
  if (hit) return hit;
  const index: SymbolIndex = { program, byFile: new Map(), byTarget: new Map() };
  const add = (r: SrcRange, target: Target, decl: boolean, startColumn = r.column) => {
    const name = targetName(target);
    if (r.line !== r.endLine || r.endColumn - startColumn !== name.length) return;
    const f = files.get(r.file);
    if (!f || f.text.substr(f.lineStart(r.line) + startColumn - 1, name.length) !== name) return;
    const o: Occurrence = { file: r.file, line: r.line, column: startColumn, endColumn: r.endColumn, target, decl };
    push(index.byFile, r.file, o);
    push(index.byTarget, targetKey(target), o);
  };
  for (const g of program.globals) add(g.sym.range, { k: 'var', sym: g.sym }, true);
  const owners = new Map<VarSym, FuncSym>();
  for (const fn of program.functions) {
    if (!fn) continue;
    add(fn.range, { k: 'func', fn }, true);
    if (!fn.body) continue;
    for (const v of new Set([...fn.params, ...fn.locals])) {
      owners.set(v, fn);
      add(v.range, { k: 'var', sym: v, owner: fn }, true);
    }
  }
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const x = node as Record<string, unknown>;
    if (typeof x.e === 'string') use(x as unknown as TExpr);
    for (const k in x) if (!SKIP.has(k)) visit(x[k]);
  };
  const use = (e: TExpr): void => {
    if (e.e === 'var') add(e.range, { k: 'var', sym: e.sym, owner: owners.get(e.sym) }, false);
    else if (e.e === 'func') add(e.range, { k: 'func', fn: e.fn }, false);
    else if (e.e === 'member') {
      // The member expression spans `base->field`; the field's name is its last characters.
      const s = structOf(e.base.type);
      if (s) add(e.range, { k: 'field', struct: s, name: e.field, type: e.type }, false, e.range.endColumn - e.field.length);
    }
  };
  for (const fn of program.functions) if (fn?.body) visit(fn.body.body);
  for (const list of index.byFile.values()) list.sort((a, b) => a.line - b.line || a.column - b.column);
  cache.set(program, index);
  return index;
}

function push<K>(m: Map<K, Occurrence[]>, k: K, o: Occurrence): void {
  const list = m.get(k);
  if (list) list.push(o);
  else m.set(k, [o]);
}

/** The struct a member access reads from: `s.f` on a struct, `p->f` arrives here as a deref. */
export function structOf(t: CType): StructInfo | undefined {
  return t.t === 'struct' ? t.s : undefined;
}

/** The occurrence under a 1-based position (the cursor just after a name counts too). */
export function occurrenceAt(index: SymbolIndex, file: string, line: number, column: number): Occurrence | undefined {
  const list = index.byFile.get(file);
  if (!list) return undefined;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].line < line) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < list.length && list[i].line === line; i++) {
    const o = list[i];
    if (o.column <= column && column <= o.endColumn) return o;
  }
  return undefined;
}

/** Every occurrence of a target (declarations first, then uses in file and line order). */
export function occurrencesOf(index: SymbolIndex, target: Target): Occurrence[] {
  const list = index.byTarget.get(targetKey(target)) ?? [];
  return [...list].sort((a, b) => Number(b.decl) - Number(a.decl) || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/** The function whose body holds a position, for names the index does not know (edited text). */
export function enclosingFunction(program: Program, file: string, line: number): FuncSym | undefined {
  return program.functions.find((fn) => fn?.body && fn.body.range.file === file && fn.body.range.line <= line && line <= fn.body.range.endLine);
}

/**
 * A name resolved as C scoping would, without the typed tree: a local or parameter of the
 * enclosing function declared at or before the line (the innermost, i.e. latest, one), then the
 * file-scope symbol. Used when the text changed since the program was compiled.
 */
export function resolveName(program: Program, file: string, line: number, name: string): Target | undefined {
  const fn = enclosingFunction(program, file, line);
  if (fn) {
    let best: VarSym | undefined;
    for (const v of new Set([...fn.params, ...fn.locals])) {
      if (v.name === name && v.range.line <= line && (!best || v.range.line >= best.range.line)) best = v;
    }
    if (best) return { k: 'var', sym: best, owner: fn };
  }
  const g = program.globalScope.get(name);
  if (g?.k === 'var') return { k: 'var', sym: g.v.sym };
  if (g?.k === 'func') return { k: 'func', fn: g.fn };
  return undefined;
}
