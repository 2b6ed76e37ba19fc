#!/usr/bin/env node
// `npm start`: try Realm Lab in a real VS Code in the browser, from a fresh clone.
// Installs what is missing (apt packages when root, node_modules, code-server), builds and
// packages the extension, starts code-server on 127.0.0.1 with the VSIX installed and the
// examples/ folder open, prints the URL and runs until Ctrl-C.
//
//   npm start                  port 8080, or a free port when 8080 is taken
//   PORT=9000 npm start        a chosen port
//
// The VS Code profile (settings, installed extensions) is throw-away: a new one every start, so
// the extension you see is always the one just built. Edits to examples/ are real files and stay.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer, portIsFree, freePort, workbenchUrl } from './code-server.mjs';
import { APT_PACKAGES, ensureAptPackages, ensureNodeModules } from './ensure-deps.mjs';
import { ensureCodeServer } from './ensure-code-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (...a) => console.error('[start]', ...a);

async function main() {
  ensureAptPackages(APT_PACKAGES.start);
  ensureNodeModules();
  log('building and packaging the extension ...');
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const vsix = path.join(ROOT, 'realm-lab.vsix');
  ensureCodeServer();

  const wanted = Number(process.env.PORT || 8080);
  const port = (await portIsFree(wanted)) ? wanted : await freePort();
  if (port !== wanted) log(`port ${wanted} is taken; using ${port}`);
  const server = await startCodeServer({ vsix, port });
  const examples = path.join(ROOT, 'examples');
  const folder = fs.existsSync(examples) ? examples : ROOT;

  console.log(`\nRealm Lab is running in VS Code (code-server) at:\n\n    ${workbenchUrl(server, folder)}\n`);
  console.log('Open a *.realm.c file, then run "Realm Lab: Open Granule Map" or "Realm Lab: Debug Scenario"');
  console.log('from the command palette (F1). From another machine: ssh -L ' + `${port}:127.0.0.1:${port} <this host>`);
  console.log(`Server log: ${server.logFile}. Press Ctrl-C to stop.\n`);

  let stopping = false;
  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    log('stopping code-server ...');
    await server.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // If code-server dies on its own, say so instead of leaving a dead URL on screen.
  const watch = setInterval(async () => {
    try {
      await fetch(`${server.url}/healthz`);
    } catch {
      if (stopping) return;
      clearInterval(watch);
      log(`code-server stopped unexpectedly; last lines of ${server.logFile}:`);
      try { console.error(fs.readFileSync(server.logFile, 'utf8').split('\n').slice(-20).join('\n')); } catch { /* removed */ }
      await shutdown(1);
    }
  }, 2000);
}

main().catch((e) => {
  log(`ERROR: ${e.message}`);
  process.exit(1);
});
