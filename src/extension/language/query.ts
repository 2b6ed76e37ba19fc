// The question every language feature asks first: which symbol is at this position of this
// file? Answered from the compiled program's index when the text is what was compiled, else by
// resolving the name as C scoping would (the document changed since the last run).
import type { Program } from '../../lang';
import { occurrenceAt, resolveName, symbolIndex, type SymbolIndex, type Target, type TextOf } from './symbol-index';

export interface SymbolQuery {
  /** The last run's program (undefined when it did not get as far as checking). */
  program: Program | undefined;
  /** The files that program was compiled from, by path (Compiled.files). */
  files: ReadonlyMap<string, TextOf>;
  /** The path the program knows the document by (scenario path, realm-lab/host/..., a copy's path). */
  file: string;
  /** The document's current text. */
  text: string;
  /** 1-based position. */
  line: number;
  column: number;
  /** The scenario's path, to say "this scenario" in descriptions. */
  scenarioFile?: string;
}

export interface Word {
  name: string;
  column: number;
  endColumn: number;
}

const IDENT = /[A-Za-z0-9_]+/g;

/** The identifier under (or just before) a 1-based position of a text. */
export function wordAt(text: string, line: number, column: number): Word | undefined {
  const lineText = lineOf(text, line);
  if (lineText === undefined) return undefined;
  for (const m of lineText.matchAll(IDENT)) {
    const start = m.index + 1;
    const end = start + m[0].length;
    if (start <= column && column <= end) return /^[0-9]/.test(m[0]) ? undefined : { name: m[0], column: start, endColumn: end };
    if (start > column) break;
  }
  return undefined;
}

export function lineOf(text: string, line: number): string | undefined {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

/** Whether the document still reads as it was compiled (so the index's positions hold). */
export function isFresh(q: SymbolQuery): boolean {
  return q.files.get(q.file)?.text === q.text;
}

export function indexOf(q: SymbolQuery): SymbolIndex | undefined {
  return q.program ? symbolIndex(q.program, q.files) : undefined;
}

/** The symbol a word at the query's position names, or undefined. */
export function targetAt(q: SymbolQuery, word: Word | undefined = wordAt(q.text, q.line, q.column)): Target | undefined {
  if (!q.program || !word) return undefined;
  if (isFresh(q)) {
    const o = occurrenceAt(indexOf(q)!, q.file, q.line, word.column);
    if (o) return o.target;
    // Not a use the checker saw (a comment, a macro body, a dead #if branch): only file-scope
    // functions and variables are unambiguous there.
    const g = q.program.globalScope.get(word.name);
    if (g?.k === 'func') return { k: 'func', fn: g.fn };
    if (g?.k === 'var') return { k: 'var', sym: g.v.sym };
    return undefined;
  }
  return resolveName(q.program, q.file, q.line, word.name);
}
