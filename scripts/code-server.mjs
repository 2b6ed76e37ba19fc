// Starts code-server (a real VS Code) on 127.0.0.1 with throw-away user data, extensions, XDG and
// temp folders, optionally with our VSIX installed. Used by `npm start` and by the e2e and
// extension-host tests.
//
// Why every folder is redirected: on its first start code-server writes
// ~/.config/code-server/config.yaml with *password* auth and ~/.local/share/code-server, and
// the VS Code server leaves vscode-ipc-*.sock files in $TMPDIR. A run must not depend on, or
// leave anything in, the user's home.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureCodeServer } from './ensure-code-server.mjs';

/** Settings that keep a fresh profile quiet: no welcome page, no trust prompt, no network. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

export function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function waitHealthy(url, child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      // /healthz answers as soon as the server listens, before any client connects.
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '';
  throw new Error(`code-server did not become healthy at ${url} (exit code ${child.exitCode})\n${tail}`);
}

/**
 * @param {object} o
 * @param {string} [o.vsix] VSIX to install before starting
 * @param {number} [o.port] port to bind (default: a free one)
 * @param {Record<string,string>} [o.env] extra environment for the server and extension host
 * @param {boolean} [o.inheritOutput] print the server's output (for `npm start`)
 * @returns {Promise<{url: string, port: number, base: string, userData: string, logFile: string, stop: () => Promise<void>}>}
 */
export async function startCodeServer(o = {}) {
  const bin = ensureCodeServer();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'realm-lab-cs-'));
  const dirs = {
    userData: path.join(base, 'user-data'), extensions: path.join(base, 'extensions'),
    xdgConfig: path.join(base, 'xdg-config'), xdgData: path.join(base, 'xdg-data'), tmp: path.join(base, 'tmp'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  const port = o.port ?? await freePort();
  const config = path.join(base, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = {
    ...process.env, ...o.env,
    XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, TMPDIR: dirs.tmp,
  };
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  if (o.vsix) {
    const r = spawnSync(bin, [...common, '--install-extension', o.vsix], { env, encoding: 'utf8' });
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
      throw new Error(`installing ${o.vsix} into code-server failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
  }

  const logFile = path.join(base, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(bin, [
    ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--disable-proxy', '--ignore-last-opened',
  ], { env, stdio: ['ignore', o.inheritOutput ? 'inherit' : out, o.inheritOutput ? 'inherit' : out] });
  fs.closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((r) => child.once('exit', r));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // SIGTERM to code-server's wrapper process takes its entry process and extension host down.
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    if (!process.env.KEEP_E2E_TMP) fs.rmSync(base, { recursive: true, force: true });
    else console.error(`[code-server] kept ${base} (logs under user-data/logs/)`);
  };
  try {
    await waitHealthy(url, child, logFile, 30_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, base, userData: dirs.userData, logFile, stop };
}

/** The workbench URL that opens `folder`, optionally with a workbench payload. */
export function workbenchUrl(server, folder, payload) {
  let u = `${server.url}/?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`; // readable slashes
  if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return u;
}
