// One code-server with the packaged VSIX, one chromium page on a throw-away copy of examples/,
// for the describe() that calls workbenchSession(): its before/after hooks start and stop them.
// `shot(name, fn)` wraps a test body and keeps a screenshot of the page when it fails.
import path from 'node:path';
import { after, before } from 'node:test';
import { startCodeServer, workbenchUrl } from '../../scripts/code-server.mjs';
import { copyExamplesWorkspace, launchBrowser, packagedVsix } from './fixtures.mjs';
import { Workbench } from './workbench.mjs';

/** @param {string} openFile a file the explorer must list before the tests start */
export function workbenchSession(openFile, viewport = { width: 1400, height: 900 }) {
  const s = { server: undefined, browser: undefined, ws: undefined, /** @type {Workbench} */ wb: undefined };
  before(async () => {
    s.ws = copyExamplesWorkspace();
    s.server = await startCodeServer({ vsix: packagedVsix() });
    s.browser = await launchBrowser(path.join(s.server.base, 'chromium'));
    s.wb = new Workbench(await s.browser.newPage({ viewport }));
    await s.wb.open(workbenchUrl(s.server, s.ws.dir), openFile);
  });
  after(async () => {
    await s.browser?.close();
    await s.server?.stop();
    s.ws?.cleanup();
  });
  s.shot = (name, fn) => async () => {
    try {
      await fn();
    } catch (e) {
      await s.wb?.screenshot(`FAILED-${name}`).catch(() => {});
      throw e;
    }
  };
  return s;
}
