// Shared set-up for the tests that run a real VS Code: paths, a throw-away copy of the examples
// workspace, the packaged VSIX, and Debian's chromium (checked loudly: a missing browser must
// fail the run with the fix, never skip the tier).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { APT_HINT } from '../../scripts/ensure-code-server.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS = path.join(ROOT, 'test-results');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const VSIX = path.join(ROOT, 'realm-lab.vsix');
export const EXAMPLE = 'raw-rmi-1.0.realm.c';
/** The example's entry function: debugging stops on entry at its first statement. */
export const EXAMPLE_ENTRY = 'scenario';

/**
 * Copies examples/ to a fresh temp folder (tests may write files; the checked-in examples must
 * stay untouched) and returns { dir, cleanup }.
 */
export function copyExamplesWorkspace() {
  const src = path.join(ROOT, 'examples');
  if (!fs.existsSync(path.join(src, EXAMPLE))) throw new Error(`missing ${path.join('examples', EXAMPLE)}: the tests open it`);
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'realm-lab-ws-'));
  const dir = path.join(parent, 'examples');
  fs.cpSync(src, dir, { recursive: true });
  return { dir, cleanup: () => { if (!process.env.KEEP_E2E_TMP) fs.rmSync(parent, { recursive: true, force: true }); } };
}

const newestMtime = (p) => {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
};

/**
 * The VSIX that `npm run package` builds. Reused when newer than everything it packs (`npm test`
 * packages it just before the tests run); otherwise rebuilt, so `npm run test:e2e` alone is
 * never testing a stale package.
 */
export function packagedVsix() {
  const inputs = ['dist', 'package.json', 'README.md', 'media', 'syntaxes', 'language-configuration.json', '.vscodeignore']
    .map((p) => path.join(ROOT, p)).filter((p) => fs.existsSync(p));
  if (!fs.existsSync(VSIX) || fs.statSync(VSIX).mtimeMs < Math.max(...inputs.map(newestMtime))) {
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  return VSIX;
}

/** Launches headless Debian chromium; its profile and crash folders go to `home`, not ~. */
export async function launchBrowser(home) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: ${APT_HINT}`);
  fs.mkdirSync(home, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home, HOME: home },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Races `promise` against a timeout, and clears the timer either way (a live timer keeps node:test waiting). */
export async function withTimeout(promise, ms, what) {
  let timer;
  try {
    return await Promise.race([promise, new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
