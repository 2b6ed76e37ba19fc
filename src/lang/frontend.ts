// The front end for one source unit: preprocess, parse with tree-sitter, convert to our AST.
import { convertUnit, syntaxErrors } from './parse/convert';
import type { TranslationUnit } from './parse/ast';
import type { CParser } from './parse/treesitter';
import { Expansion } from './preprocess/expansion';
import type { Macro } from './preprocess/macros';
import { preprocess, type IncludeResolver } from './preprocess/preprocessor';
import { SourceFile, type Diagnostic } from './source';

export interface ParsedUnit {
  unit: TranslationUnit;
  diagnostics: Diagnostic[];
  /** Every file that took part (the unit's own and its #includes), by path. */
  files: Map<string, SourceFile>;
  /** The preprocessed text, for tests and troubleshooting. */
  expanded: string;
  /** Macros defined at the end of the unit, and its typedef names (to read debugger expressions). */
  macros: Map<string, Macro>;
  typedefs: Set<string>;
}

export interface FrontendOptions {
  resolve: IncludeResolver;
  forceInclude?: string[];
  predefined?: Record<string, string>;
}

/** Typedef names tree-sitter reads as primitive types, and so are type names from the start. */
const BUILTIN_TYPEDEFS = ['size_t', 'ssize_t', 'uintptr_t', 'intptr_t', 'ptrdiff_t', 'int8_t', 'int16_t', 'int32_t', 'int64_t', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'char16_t', 'char32_t'];

export function parseUnit(parser: CParser, path: string, text: string, opts: FrontendOptions): ParsedUnit {
  const main = new SourceFile(path, text);
  const pp = preprocess(main, opts);
  const exp = new Expansion(pp.tokens);
  const tree = parser.parse(exp.text);
  try {
    const root = tree.rootNode;
    const syntax = syntaxErrors(exp, root);
    const diagnostics = [...pp.diagnostics, ...syntax];
    const convDiags: Diagnostic[] = [];
    const typedefs = new Set(BUILTIN_TYPEDEFS);
    const unit = convertUnit(exp, root, path, typedefs, convDiags);
    // With syntax errors the tree is partial; conversion problems would mostly be echoes of them.
    if (syntax.length === 0) diagnostics.push(...convDiags);
    return { unit, diagnostics, files: pp.files, expanded: exp.text, macros: pp.macros, typedefs };
  } finally {
    tree.delete();
  }
}
