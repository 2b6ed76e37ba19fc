// Loads tree-sitter's C grammar through web-tree-sitter. Both .wasm files are supplied by the
// caller (bytes, or a path/URL web-tree-sitter can fetch), so this module runs in node, in a web
// worker and in tests alike and never touches the file system itself.
import type * as WebTreeSitter from 'web-tree-sitter';
import type { Language, Node, Tree } from 'web-tree-sitter';

export type { Node as TsNode, Tree as TsTree };

// A require() call, not an import: bundlers then take web-tree-sitter's CommonJS build, which
// finds its bearings without import.meta (undefined once an ES module is bundled into CommonJS).
declare const require: (id: string) => unknown;
const { Parser, Language: LanguageClass } = require('web-tree-sitter') as typeof WebTreeSitter;

export interface ParserAssets {
  /** web-tree-sitter's runtime, tree-sitter.wasm: its bytes, or its path/URL. */
  runtime: Uint8Array | string;
  /** The C grammar, tree-sitter-c.wasm: its bytes, or its path/URL. */
  grammar: Uint8Array | string;
}

export interface CParser {
  /** Parses C text; the caller must delete() the tree when done (it lives in wasm memory). */
  parse(text: string): Tree;
}

let runtimeReady: Promise<void> | undefined;
const grammars = new Map<Uint8Array | string, Promise<Language>>();

/** Creates a C parser; the runtime is initialised once per process, each grammar loaded once. */
export async function loadCParser(assets: ParserAssets): Promise<CParser> {
  runtimeReady ??= Parser.init(
    typeof assets.runtime === 'string'
      ? { locateFile: () => assets.runtime as string }
      : { wasmBinary: assets.runtime },
  ).catch((e: unknown) => {
    runtimeReady = undefined;
    throw new Error(`cannot load the tree-sitter runtime: ${e instanceof Error ? e.message : String(e)}`);
  });
  await runtimeReady;
  let lang = grammars.get(assets.grammar);
  if (!lang) {
    lang = LanguageClass.load(assets.grammar).catch((e: unknown) => {
      grammars.delete(assets.grammar);
      throw new Error(`cannot load the tree-sitter C grammar: ${e instanceof Error ? e.message : String(e)}`);
    });
    grammars.set(assets.grammar, lang);
  }
  const language = await lang;
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    parse(text: string): Tree {
      const tree = parser.parse(text);
      if (!tree) throw new Error('tree-sitter returned no tree');
      return tree;
    },
  };
}
