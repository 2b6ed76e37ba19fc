// Go to definition and find references over everything a run compiled: the scenario, the host
// code (embedded or the workspace copy) and the prelude. Locations are in the program's file
// names; the editor turns them into URIs (src/extension/host-documents.ts).
import type { CParser, SrcRange } from '../../lang';
import { indexOf, targetAt, type SymbolQuery } from './query';
import { occurrencesOf, type Occurrence, type Target } from './symbol-index';
import { memberDeclaration } from './type-outline';

export interface Place {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

const place = (o: Occurrence): Place => ({ file: o.file, line: o.line, column: o.column, endLine: o.line, endColumn: o.endColumn });

/** Where the symbol at the position is declared: a function's definition, a variable's declarator, a member's line. */
export function definitionAt(q: SymbolQuery, parser?: CParser): Place | undefined {
  const t = targetAt(q);
  return t && definitionOf(q, t, parser);
}

export function definitionOf(q: SymbolQuery, t: Target, parser?: CParser): Place | undefined {
  if (t.k === 'func') return t.fn.range;
  if (t.k === 'var') return t.sym.range;
  // Members: the checker keeps no positions for them; tree-sitter finds the declaration in the
  // file that defines the struct.
  const tag = t.struct.tag;
  const def = tag !== undefined ? q.program?.tags.get(tag) : undefined;
  const text = def && q.files.get(def.range.file)?.text;
  if (!parser || !def || def.k !== 'struct' || def.s.id !== t.struct.id || text === undefined) return undefined;
  return memberDeclaration(parser, def.range.file, text, tag!, t.name);
}

/** Every use of the symbol at the position that resolves to the same symbol, in every compiled file. */
export function referencesAt(q: SymbolQuery, includeDeclaration: boolean): Place[] {
  const t = targetAt(q);
  const index = indexOf(q);
  if (!t || !index) return [];
  return occurrencesOf(index, t).filter((o) => includeDeclaration || !o.decl).map(place);
}

export type { SrcRange };
