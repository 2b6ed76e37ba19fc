// The C preprocessor (C11 6.10): #include (embedded headers and workspace files through a
// resolver), #define/#undef, #if/#ifdef/#ifndef/#elif/#else/#endif, #error/#warning, #pragma once.
// It produces one token stream for the parser; every token keeps its origin (file and offsets).
import { SourceFile, type Diagnostic } from '../source';
import { lex, type PpToken } from './lexer';
import { Expander, Reader, type Macro } from './macros';
import { evalIfExpr, IfExprError } from './if-expr';

/** Finds an #include'd file: `quoted` for "name", false for <name>; `from` is the including file's path. */
export type IncludeResolver = (name: string, quoted: boolean, from: string) => { path: string; text: string } | undefined;

export interface PreprocessOptions {
  resolve: IncludeResolver;
  /** Headers included before the main file, as if by `-include` (e.g. the realm_lab.h prelude). */
  forceInclude?: string[];
  /** Object-like macros defined before anything else (name -> replacement text). */
  predefined?: Record<string, string>;
  /** Macros already defined (e.g. a unit's, to expand a debugger expression); copied, not changed. */
  macros?: ReadonlyMap<string, Macro>;
}

export interface PreprocessResult {
  tokens: PpToken[];
  diagnostics: Diagnostic[];
  macros: Map<string, Macro>;
  /** Every file read, by path (the main file included). */
  files: Map<string, SourceFile>;
}

interface Cond {
  /** Tokens of this group are being kept. */
  active: boolean;
  /** Some group of this #if chain was kept already. */
  taken: boolean;
  /** The enclosing group is active. */
  outer: boolean;
  sawElse: boolean;
  at: PpToken;
}

const MAX_INCLUDE_DEPTH = 40;

export function preprocess(main: SourceFile, opts: PreprocessOptions): PreprocessResult {
  const diagnostics: Diagnostic[] = [];
  const files = new Map<string, SourceFile>([[main.path, main]]);
  const macros = new Map<string, Macro>(opts.macros ?? []);
  const once = new Set<string>();
  const out: PpToken[] = [];
  const err = (t: PpToken, message: string, code = 'preprocessor', severity: Diagnostic['severity'] = 'error') =>
    diagnostics.push({ range: t.file.range(t.start, t.end), severity, message, code });
  const expander = new Expander(macros, (t, m) => err(t, m, 'macro'));

  const predef = new SourceFile('<built-in>', Object.entries(opts.predefined ?? {}).map(([k, v]) => `#define ${k} ${v}`).join('\n'));
  const builtin = (name: string, make: (at: PpToken) => PpToken) => {
    const def: PpToken = { kind: 'id', text: name, file: predef, start: 0, end: 0, bol: true, space: false };
    macros.set(name, { name, variadic: false, body: [], def, builtin: make });
  };
  builtin('__FILE__', (at) => ({ ...at, kind: 'str', text: JSON.stringify(at.file.path), exp: true }));
  builtin('__LINE__', (at) => ({ ...at, kind: 'num', text: String(at.file.position(at.start).line), exp: true }));

  const processFile = (file: SourceFile, depth: number): void => {
    const problems: { start: number; end: number; message: string }[] = [];
    const toks = lex(file, problems);
    for (const p of problems) diagnostics.push({ range: file.range(p.start, p.end), severity: 'error', message: p.message, code: 'syntax' });
    const r = new Reader(toks);
    const conds: Cond[] = [];
    const active = () => conds.length === 0 || conds[conds.length - 1].active;

    for (;;) {
      const fromSource = r.atSource;
      const t = r.next();
      if (!t) break;
      if (fromSource && t.bol && t.text === '#') {
        const line: PpToken[] = [];
        while (r.atSource && r.peek() && !r.peek()!.bol) line.push(r.next()!);
        directive(t, line, conds, file, depth);
        continue;
      }
      if (!active()) continue;
      expander.step(t, r, out);
    }
    for (const c of conds) err(c.at, `unterminated #${c.at.text === '#' ? 'if' : c.at.text}`, 'preprocessor');
  };

  const directive = (hash: PpToken, line: PpToken[], conds: Cond[], file: SourceFile, depth: number): void => {
    const name = line[0];
    if (!name) return; // the null directive
    const rest = line.slice(1);
    const top = conds[conds.length - 1];
    const active = !top || top.active;
    switch (name.text) {
      case 'ifdef':
      case 'ifndef': {
        if (!active) { conds.push({ active: false, taken: true, outer: false, sawElse: false, at: name }); return; }
        const id = rest[0];
        if (!id || id.kind !== 'id') { err(name, `macro name missing after #${name.text}`); }
        const defined = id ? macros.has(id.text) : false;
        const keep = name.text === 'ifdef' ? defined : !defined;
        conds.push({ active: keep, taken: keep, outer: true, sawElse: false, at: name });
        return;
      }
      case 'if': {
        if (!active) { conds.push({ active: false, taken: true, outer: false, sawElse: false, at: name }); return; }
        const keep = condition(name, rest);
        conds.push({ active: keep, taken: keep, outer: true, sawElse: false, at: name });
        return;
      }
      case 'elif': {
        if (!top) { err(name, '#elif without #if'); return; }
        if (top.sawElse) err(name, '#elif after #else');
        if (!top.outer || top.taken) { top.active = false; return; }
        const keep = condition(name, rest);
        top.active = keep;
        top.taken = keep;
        return;
      }
      case 'else':
        if (!top) { err(name, '#else without #if'); return; }
        if (top.sawElse) err(name, '#else after #else');
        top.sawElse = true;
        top.active = top.outer && !top.taken;
        top.taken = true;
        return;
      case 'endif':
        if (!top) { err(name, '#endif without #if'); return; }
        conds.pop();
        return;
    }
    if (!active) return;
    switch (name.text) {
      case 'define': define(name, rest); return;
      case 'undef':
        if (rest[0]?.kind !== 'id') err(name, 'macro name missing after #undef');
        else macros.delete(rest[0].text);
        return;
      case 'include': include(name, rest, file, depth); return;
      case 'pragma':
        if (rest[0]?.text === 'once') once.add(file.path);
        return;
      case 'error':
        err(name, `#error ${rest.map((t) => t.text).join(' ')}`.trim(), 'error-directive');
        return;
      case 'warning':
        err(name, `#warning ${rest.map((t) => t.text).join(' ')}`.trim(), 'warning-directive', 'warning');
        return;
      case 'line':
        return;
      default:
        err(name.kind === 'id' ? name : hash, `invalid preprocessing directive #${name.text}`);
    }
  };

  const condition = (at: PpToken, toks: PpToken[]): boolean => {
    const resolved: PpToken[] = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (t.kind === 'id' && t.text === 'defined') {
        let id = toks[i + 1];
        let skip = 1;
        if (id?.text === '(') {
          id = toks[i + 2];
          if (toks[i + 3]?.text !== ')') { err(t, "missing ')' after 'defined'"); return false; }
          skip = 3;
        }
        if (!id || id.kind !== 'id') { err(t, "operator 'defined' requires an identifier"); return false; }
        resolved.push({ ...t, kind: 'num', text: macros.has(id.text) ? '1' : '0' });
        i += skip;
        continue;
      }
      resolved.push(t);
    }
    try {
      return evalIfExpr(expander.expandList(resolved), at) !== 0n;
    } catch (e) {
      if (!(e instanceof IfExprError)) throw e;
      err(e.tok ?? at, e.message);
      return false;
    }
  };

  const define = (at: PpToken, toks: PpToken[]): void => {
    const nameTok = toks[0];
    if (!nameTok || nameTok.kind !== 'id') { err(at, 'macro name missing after #define'); return; }
    if (nameTok.text === 'defined') { err(nameTok, "'defined' cannot be used as a macro name"); return; }
    let body = toks.slice(1);
    let params: string[] | undefined;
    let variadic = false;
    if (toks[1]?.text === '(' && !toks[1].space) {
      params = [];
      let i = 2;
      for (;;) {
        const p = toks[i];
        if (!p) { err(nameTok, `missing ')' in the parameter list of macro '${nameTok.text}'`); return; }
        if (p.text === ')' && params.length === 0) { i++; break; }
        if (p.text === '...') { params.push('__VA_ARGS__'); variadic = true; i++; }
        else if (p.kind === 'id') {
          if (params.includes(p.text)) { err(p, `duplicate macro parameter '${p.text}'`); return; }
          params.push(p.text);
          i++;
          if (toks[i]?.text === '...') { variadic = true; i++; }
        } else { err(p, `expected a parameter name in macro '${nameTok.text}', found '${p.text}'`); return; }
        if (toks[i]?.text === ')') { i++; break; }
        if (toks[i]?.text !== ',' || variadic) { err(toks[i] ?? p, `expected ',' or ')' in the parameter list of macro '${nameTok.text}'`); return; }
        i++;
      }
      body = toks.slice(i);
    }
    if (body[0]?.text === '##' || (body.length && body[body.length - 1].text === '##')) {
      err(body[0].text === '##' ? body[0] : body[body.length - 1], "'##' cannot appear at either end of a macro expansion");
      return;
    }
    const old = macros.get(nameTok.text);
    if (old && !old.builtin && !sameDefinition(old, params, body)) {
      err(nameTok, `'${nameTok.text}' redefined (previous definition at ${old.def.file.path}:${old.def.file.position(old.def.start).line})`, 'macro-redefined', 'warning');
    }
    macros.set(nameTok.text, { name: nameTok.text, params, variadic, body, def: nameTok });
  };

  const include = (at: PpToken, toks: PpToken[], file: SourceFile, depth: number): void => {
    let spec = toks;
    if (spec[0] && spec[0].kind !== 'str' && spec[0].text !== '<') spec = expander.expandList(toks);
    let name: string | undefined;
    let quoted = false;
    if (spec[0]?.kind === 'str') {
      name = spec[0].text.slice(1, -1);
      quoted = true;
    } else if (spec[0]?.text === '<') {
      const close = spec.findIndex((t) => t.text === '>');
      if (close > 0) name = spec.slice(1, close).map((t) => (t.space && t !== spec[1] ? ' ' : '') + t.text).join('');
    }
    if (!name) { err(at, '#include expects "FILENAME" or <FILENAME>'); return; }
    if (depth >= MAX_INCLUDE_DEPTH) { err(at, `#include nested too deeply (${MAX_INCLUDE_DEPTH} levels)`); return; }
    let found: { path: string; text: string } | undefined;
    try {
      found = opts.resolve(name, quoted, file.path);
    } catch {
      found = undefined;
    }
    const where = toks[0] ?? at;
    if (!found) {
      diagnostics.push({ range: where.file.range(where.start, toks[toks.length - 1]?.end ?? at.end), severity: 'error', message: `'${name}' file not found`, code: 'include-not-found' });
      return;
    }
    if (once.has(found.path)) return;
    let sf = files.get(found.path);
    if (!sf || sf.text !== found.text) {
      sf = new SourceFile(found.path, found.text);
      files.set(found.path, sf);
    }
    processFile(sf, depth + 1);
  };

  processFile(predef, 0);
  for (const h of opts.forceInclude ?? []) {
    const t: PpToken = { kind: 'str', text: JSON.stringify(h), file: main, start: 0, end: 0, bol: false, space: true };
    include({ ...t, kind: 'id', text: 'include' }, [t], main, 0);
  }
  processFile(main, 0);
  return { tokens: out, diagnostics, macros, files };
}

function sameDefinition(m: Macro, params: string[] | undefined, body: PpToken[]): boolean {
  if ((m.params === undefined) !== (params === undefined)) return false;
  if (m.params && params && m.params.join(',') !== params.join(',')) return false;
  if (m.body.length !== body.length) return false;
  return m.body.every((t, i) => t.text === body[i].text && (i === 0 || t.space === body[i].space));
}
