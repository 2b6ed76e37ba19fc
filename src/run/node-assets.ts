// Locates the tree-sitter .wasm files for node: next to the bundle (dist/ holds copies made by
// scripts/build.mjs), else in a dist/ or node_modules/ of an enclosing folder (tests run from out/).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ParserAssets } from '../lang';

const FILES = {
  runtime: { file: 'tree-sitter.wasm', pkg: 'web-tree-sitter' },
  grammar: { file: 'tree-sitter-c.wasm', pkg: 'tree-sitter-c' },
};

function find(file: string, pkg: string): string {
  const tried: string[] = [];
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    for (const p of [path.join(dir, file), path.join(dir, 'dist', file), path.join(dir, 'node_modules', pkg, file)]) {
      tried.push(p);
      if (fs.existsSync(p)) return p;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`cannot find ${file} (looked in ${tried.slice(0, 3).join(', ')} and their parent folders)`);
}

let cached: ParserAssets | undefined;

/** The parser's wasm files as bytes, read once per process. */
export function nodeParserAssets(): ParserAssets {
  cached ??= {
    runtime: fs.readFileSync(find(FILES.runtime.file, FILES.runtime.pkg)),
    grammar: fs.readFileSync(find(FILES.grammar.file, FILES.grammar.pkg)),
  };
  return cached;
}
