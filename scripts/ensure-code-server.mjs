#!/usr/bin/env node
// Installs code-server (a real VS Code: 4.100.3 = VS Code 1.100.3, the last line that runs on
// Node 20) into .vscode-test/ once, and prints the path of its binary. The e2e and
// extension-host tests and `npm start` run the extension inside it. VS Code desktop and Electron
// cannot be downloaded on our offline machines; code-server comes from the npm registry.
//
// It is not a devDependency on purpose: its install needs root-only env settings and a
// pre-seeded ripgrep download, adds ~300 MB and ~40 s, and would drag its whole dependency tree
// into our lockfile. Installing on demand keeps `npm ci` fast, like test-electron's own cache.
//
// Usage: node scripts/ensure-code-server.mjs        (prints the binary path on stdout)
//        import { ensureCodeServer } from './ensure-code-server.mjs'
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION || '4.100.3';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_BIN = process.env.CODE_SERVER_BIN || path.join(DIR, 'node_modules', '.bin', 'code-server');
const DONE = path.join(DIR, '.installed');
const log = (...a) => console.error('[ensure-code-server]', ...a);

export const APT_HINT = 'apt-get update && apt-get install -y chromium libkrb5-dev ripgrep';

/** Returns the code-server binary, installing it first if needed. Throws with the fix on failure. */
export function ensureCodeServer() {
  if (fs.existsSync(CODE_SERVER_BIN) && (process.env.CODE_SERVER_BIN || fs.existsSync(DONE))) return CODE_SERVER_BIN;
  if (Number(process.versions.node.split('.')[0]) !== 20) log(`WARNING: code-server ${CODE_SERVER_VERSION} expects Node 20, this is ${process.version}`);
  // code-server's kerberos native module is compiled during install and needs the GSSAPI headers.
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h')) {
    throw new Error(`GSSAPI headers missing (code-server's kerberos module cannot build). Install them: ${APT_HINT}`);
  }
  const t0 = Date.now();
  fs.rmSync(DIR, { recursive: true, force: true });
  const TMP = path.join(DIR, 'tmp');
  fs.mkdirSync(TMP, { recursive: true });
  fs.writeFileSync(path.join(DIR, 'package.json'), JSON.stringify({
    name: 'code-server-host', private: true, allowScripts: { 'code-server': true, argon2: true },
  }, null, 2));
  const env = {
    ...process.env,
    TMPDIR: TMP, // keeps npm's and the postinstalls' temp files (and the ripgrep cache) in our folder
    npm_config_unsafe_perm: 'true', // code-server's postinstall refuses to run as root without it
    npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`; machines set yes=false
    npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false',
  };
  // node-gyp must build against the installed Node's headers: downloading them is not possible here.
  if (!process.env.npm_config_nodedir && fs.existsSync('/usr/include/node/node.h') && process.execPath === '/usr/bin/node') {
    env.npm_config_nodedir = '/usr';
  }
  const run = (cmd, args, cwd = DIR) => execFileSync(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

  // 1. Fetch the tarball and find which @vscode/ripgrep its VS Code will install.
  const tgz = run('npm', ['pack', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`, '--pack-destination', DIR]).trim().split('\n').pop();
  const shrink = JSON.parse(run('tar', ['-xzOf', tgz, 'package/lib/vscode/npm-shrinkwrap.json']));
  const rgVer = shrink.packages['node_modules/@vscode/ripgrep']?.version;
  if (rgVer) {
    // 2. @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable. It first
    //    looks in $TMPDIR/vscode-ripgrep-cache-<ver>/ for the archive: put Debian's rg there.
    const rgTgz = run('npm', ['pack', '--loglevel=error', `@vscode/ripgrep@${rgVer}`, '--pack-destination', TMP], TMP).trim().split('\n').pop();
    const postinstall = run('tar', ['-xzOf', path.join(TMP, rgTgz), 'package/lib/postinstall.js']);
    const rgTag = /const VERSION = '([^']+)'/.exec(postinstall)?.[1];
    if (!rgTag) throw new Error(`cannot find the ripgrep release tag in @vscode/ripgrep@${rgVer}`);
    const cacheDir = path.join(TMP, `vscode-ripgrep-cache-${rgVer}`);
    const stage = path.join(TMP, 'rg-stage');
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.mkdirSync(stage, { recursive: true });
    const systemRg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((p) => fs.existsSync(p));
    if (systemRg) fs.copyFileSync(systemRg, path.join(stage, 'rg'));
    else {
      log(`WARNING: no rg found; using a stub, so workspace search in code-server will not work (${APT_HINT})`);
      fs.writeFileSync(path.join(stage, 'rg'), '#!/bin/sh\nexit 1\n');
    }
    fs.chmodSync(path.join(stage, 'rg'), 0o755);
    run('tar', ['-czf', path.join(cacheDir, `ripgrep-${rgTag}-x86_64-unknown-linux-musl.tar.gz`), '-C', stage, 'rg']);
  }

  // 3. Install. code-server's postinstall runs `npm install --omit=dev` in lib/vscode and compiles
  //    kerberos, node-pty, @vscode/spdlog ... with node-gyp.
  log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(ROOT, DIR)} (about 40 s, once) ...`);
  try {
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--loglevel=error', tgz],
      { cwd: DIR, env, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (${e.message}). System packages needed: ${APT_HINT}`);
  }
  fs.rmSync(TMP, { recursive: true, force: true });
  fs.rmSync(path.join(DIR, tgz), { force: true });
  if (!fs.existsSync(CODE_SERVER_BIN)) throw new Error(`code-server installed but ${CODE_SERVER_BIN} is missing`);
  fs.writeFileSync(DONE, new Date().toISOString() + '\n');
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return CODE_SERVER_BIN;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureCodeServer());
  } catch (e) {
    log(`ERROR: ${e.message}`);
    process.exit(1);
  }
}
