#!/usr/bin/env node
// Builds every bundle with esbuild. `--watch` rebuilds on change.
//   dist/extension.js      the VS Code extension (node, `vscode` external)
//   dist/debugAdapter.js   the debug adapter as a standalone DAP-over-stdio process
//   dist/webview/*.js      the granule map (browser)
//   dist/rmm.js, dist/run.js  the pure libraries (node, CommonJS) used by the CLI and tests
//   dist/cli.js            the `realm-lab` command line
//   out/test/**, out/bench/**  tests and benchmarks (not packaged)
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const exists = (p) => fs.existsSync(path.join(root, p));

const node = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20',
  sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root,
  // The embedded host realm code is C (src/host/c/*.c, *.h), bundled as text.
  loader: { '.c': 'text', '.h': 'text' },
};

const configs = [];
const add = (entry, cfg) => { if (exists(entry)) configs.push({ entryPoints: [entry], ...cfg }); };

add('src/extension/extension.ts', { ...node, outfile: 'dist/extension.js', external: ['vscode'] });
add('src/debug/adapterMain.ts', { ...node, outfile: 'dist/debugAdapter.js' });
add('src/rmm/index.ts', { ...node, outfile: 'dist/rmm.js' });
add('src/run/index.ts', { ...node, outfile: 'dist/run.js' });
add('src/cli/main.ts', { ...node, outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
add('src/webview/main.ts', {
  bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: !production,
  minify: production, logLevel: 'warning', absWorkingDir: root, outfile: 'dist/webview/main.js',
});

// Tests and benchmarks: one output file per entry, dependencies from node_modules stay external.
const listTs = (dir, suffix) => exists(dir)
  ? fs.readdirSync(path.join(root, dir), { recursive: true }).map(String)
      .filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f))
  : [];
const testEntries = [
  ...listTs('test/unit', '.test.ts'), ...listTs('test/dap', '.test.ts'),
  ...listTs('test/exthost/suite', '.ts'), ...listTs('test/bench', '.ts'),
];
if (testEntries.length) {
  // Never minified, even for --production: failing tests should point at readable code.
  configs.push({
    ...node, entryPoints: testEntries, outdir: 'out', outbase: '.', packages: 'external',
    external: ['vscode'], minify: false, sourcemap: true,
  });
}

// The C parser's wasm files (tree-sitter runtime and C grammar) ship next to the bundles that load them.
const wasm = [['node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm'], ['node_modules/tree-sitter-c/tree-sitter-c.wasm', 'dist/tree-sitter-c.wasm']];
fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
for (const [from, to] of wasm) if (exists(from)) fs.copyFileSync(path.join(root, from), path.join(root, to));

if (watch) {
  for (const c of configs) (await esbuild.context(c)).watch();
  console.log(`[build] watching ${configs.length} bundles`);
} else {
  const t0 = Date.now();
  await Promise.all(configs.map((c) => esbuild.build(c)));
  if (exists('dist/cli.js')) fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
  console.log(`[build] ${configs.length} bundles in ${Date.now() - t0} ms`);
}
