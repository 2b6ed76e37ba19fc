// Lint rules, chiefly the layer boundaries of DESIGN.md section 2: imports only point down the
// list rmm < lang < host < run < debug/cli < extension; protocol and webview stand apart.
import tseslint from 'typescript-eslint';

const ours = (layers) => layers.map((l) => ({ group: [`**/${l}/**`, `../${l}`, `../${l}/*`], message: `this layer may not import src/${l}` }));
const noVscode = { name: 'vscode', message: 'only src/extension may import vscode (DESIGN.md section 2)' };
const noDap = [{ name: '@vscode/debugadapter', message: 'only src/debug speaks DAP' }];
const rule = (paths, patterns) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });
const nodeBuiltins = ['fs', 'path', 'child_process', 'worker_threads', 'os', 'crypto', 'net', 'http']
  .flatMap((m) => [m, `node:${m}`])
  .map((name) => ({ name, message: 'pure layers run in node, web workers and tests alike: no node built-ins' }));

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  { files: ['src/rmm/**/*.ts'], rules: rule([noVscode, ...noDap, ...nodeBuiltins], ours(['lang', 'host', 'run', 'debug', 'protocol', 'webview', 'extension', 'cli'])) },
  { files: ['src/protocol/**/*.ts'], rules: rule([noVscode, ...noDap, ...nodeBuiltins], ours(['rmm', 'lang', 'host', 'run', 'debug', 'webview', 'extension', 'cli'])) },
  { files: ['src/lang/**/*.ts'], rules: rule([noVscode, ...noDap, ...nodeBuiltins], ours(['host', 'run', 'debug', 'protocol', 'webview', 'extension', 'cli'])) },
  { files: ['src/host/**/*.ts'], rules: rule([noVscode, ...noDap, ...nodeBuiltins], ours(['run', 'debug', 'protocol', 'webview', 'extension', 'cli'])) },
  { files: ['src/run/**/*.ts'], rules: rule([noVscode, ...noDap], ours(['debug', 'protocol', 'webview', 'extension', 'cli'])) },
  { files: ['src/debug/**/*.ts'], rules: rule([noVscode], ours(['webview', 'extension', 'cli'])) },
  { files: ['src/cli/**/*.ts'], rules: rule([noVscode, ...noDap], ours(['debug', 'protocol', 'webview', 'extension'])) },
  { files: ['src/webview/**/*.ts'], rules: rule([noVscode, ...noDap, ...nodeBuiltins], ours(['rmm', 'lang', 'host', 'run', 'debug', 'extension', 'cli'])) },
);
