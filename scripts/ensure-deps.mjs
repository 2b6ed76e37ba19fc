#!/usr/bin/env node
// Installs what a fresh Debian machine lacks before `npm start` or `npm test` can run: the apt
// packages (only when running as root; otherwise it prints the command) and node_modules
// (`npm ci` when the folder is missing). Uses node built-ins only, since it runs before `npm ci`.
//
//   node scripts/ensure-deps.mjs test    chromium (UI tests), libkrb5-dev (code-server build), ripgrep
//   node scripts/ensure-deps.mjs start   libkrb5-dev, ripgrep
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (...a) => console.error('[ensure-deps]', ...a);

export const APT_PACKAGES = {
  test: ['chromium', 'libkrb5-dev', 'ripgrep'],
  start: ['libkrb5-dev', 'ripgrep'],
};

function aptInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** apt-get installs the missing packages when root; otherwise says what to run. */
export function ensureAptPackages(pkgs) {
  if (spawnSync('dpkg-query', ['--version']).status !== 0) {
    log(`not a Debian system: make sure these are installed: ${pkgs.join(' ')}`);
    return;
  }
  const missing = pkgs.filter((p) => !aptInstalled(p));
  if (missing.length === 0) return;
  const cmd = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    log(`missing system packages: ${missing.join(' ')}. Install them as root: ${cmd}`);
    return;
  }
  log(`installing ${missing.join(' ')} with apt-get ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

/** `npm ci` when node_modules is missing (a fresh clone). */
export function ensureNodeModules() {
  if (fs.existsSync(path.join(ROOT, 'node_modules', '.package-lock.json'))) return;
  log('node_modules missing: npm ci ...');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const purpose = process.argv[2] ?? 'test';
  if (!APT_PACKAGES[purpose]) { log(`usage: ensure-deps.mjs ${Object.keys(APT_PACKAGES).join('|')}`); process.exit(2); }
  try {
    ensureAptPackages(APT_PACKAGES[purpose]);
    ensureNodeModules();
  } catch (e) {
    log(`ERROR: ${e.message}`);
    process.exit(1);
  }
}
