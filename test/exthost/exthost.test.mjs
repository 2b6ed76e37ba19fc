// node:test wrapper for the extension-host tier: starts code-server, opens the workbench with a
// `payload` that loads this folder as the extension under development and
// out/test/exthost/suite/index.js as its tests, and waits for the workbench to call
// window.codeAutomationExit(code) (exposed by playwright). Each mocha test reported by the suite
// becomes a node:test subtest, so failures are named in `npm test`'s summary.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { describe, it } from 'node:test';
import { startCodeServer, workbenchUrl } from '../../scripts/code-server.mjs';
import { ROOT, copyExamplesWorkspace, launchBrowser, withTimeout, RESULTS } from '../e2e/fixtures.mjs';

const SUITE = path.join(ROOT, 'out', 'test', 'exthost', 'suite', 'index.js');
const RESULT_TAG = '[realm-lab-exthost] '; // written by suite/index.ts

describe('extension host (mocha with the real vscode API in code-server)', () => {
  it('runs the suite', { timeout: 180_000 }, async (t) => {
    assert.ok(fs.existsSync(SUITE), `${SUITE} missing: run \`npm run build\` first`);
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'extension.js')), 'dist/extension.js missing: run `npm run build` first');
    const ws = copyExamplesWorkspace();
    const server = await startCodeServer();
    let browser;
    const results = [];
    const lines = [];
    try {
      browser = await launchBrowser(path.join(server.base, 'chromium'));
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      let exit;
      const exited = new Promise((r) => (exit = r));
      // The workbench forwards the extension host's console here while tests run (printf-style args).
      await page.exposeFunction('codeAutomationLog', (type, args) => {
        const line = util.format(...(args || []));
        lines.push(line);
        if (line.startsWith(RESULT_TAG)) results.push(JSON.parse(line.slice(RESULT_TAG.length)));
        // The workbench asks the (unreachable) gallery about the dev extension: harmless noise.
        else if (process.env.EXTHOST_VERBOSE || (type === 'error' && !/ENOTFOUND open-vsx\.org/.test(line))) console.log(`[exthost ${type}] ${line}`);
      });
      await page.exposeFunction('codeAutomationExit', (code) => exit(code));
      const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
      const payload = [['extensionDevelopmentPath', remote(ROOT)], ['extensionTestsPath', remote(SUITE)]];
      await page.goto(workbenchUrl(server, ws.dir, payload));
      const code = await withTimeout(exited, 150_000, 'the extension-host tests to report codeAutomationExit');
      fs.mkdirSync(RESULTS, { recursive: true });
      fs.writeFileSync(path.join(RESULTS, 'exthost.log'), lines.join('\n') + '\n');

      for (const r of results) {
        await t.test(r.title, () => {
          if (r.state !== 'passed') throw new Error(r.error ?? 'failed');
        });
      }
      assert.ok(results.length > 0, `no extension-host test reported a result; log:\n${lines.join('\n')}`);
      assert.equal(code, 0, `the mocha run in the extension host exited with ${code}; see test-results/exthost.log`);
    } finally {
      await browser?.close();
      await server.stop();
      ws.cleanup();
    }
  });
});
