// UI end-to-end test of the editor features (issue 7), from the packaged VSIX in code-server, as
// a user works: New Scenario from a template (quick pick, file name), a typo that shows a
// diagnostic, the fix that clears it, the Run code lens, the status bar's profile, and the
// Sweep code lens that fills the Fault Sweep view. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { EXAMPLE } from './fixtures.mjs';
import { workbenchSession } from './session.mjs';

const NEW_FILE = 'raw-rmi.realm.c';

describe('Realm Lab editor features in code-server (UI, from the VSIX)', { timeout: 240_000 }, () => {
  const session = workbenchSession(EXAMPLE);
  let wb, ws;
  before(() => { ({ wb, ws } = session); });

  const shot = session.shot;
  const editor = () => wb.page.locator('.editor-group-container.active .monaco-editor').first();
  const lens = (title) => editor().locator('.codelens-decoration a', { hasText: new RegExp(`^\\W*${title}\\s*$`) });

  it('creates a scenario from a template, sees a typo reported and cleared, runs it and sweeps it', shot('editor-flow', async () => {
    const page = wb.page;
    // New Scenario: pick the raw RMI template, accept the offered file name.
    await wb.runCommand('Realm Lab: New Scenario...');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Raw RMI calls (RMM 1.0)' });
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    const input = page.locator('.quick-input-widget input');
    await page.waitForFunction((name) => document.querySelector('.quick-input-widget input')?.value === name, NEW_FILE, { timeout: 10_000 });
    await input.press('Enter');
    await wb.tab(NEW_FILE).waitFor({ timeout: 15_000 });
    assert.ok(fs.existsSync(path.join(ws.dir, NEW_FILE)), 'the scenario was written into the workspace folder');
    await wb.explorerRow(NEW_FILE).waitFor({ timeout: 15_000 });

    // The code lenses appear once the first live run compiled it.
    await lens('Run').waitFor({ timeout: 30_000 });
    await wb.screenshot('editor-new-scenario');

    // A typo: an undefined function on a new line, reported as an error while typing.
    const lines = fs.readFileSync(path.join(ws.dir, NEW_FILE), 'utf8').split('\n');
    await wb.goToLine(lines.findIndex((l) => l.includes('expect_no_leaks();')) + 1);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('undefined_function(1);', { delay: 5 });
    const squiggle = editor().locator('.squiggly-error');
    await squiggle.first().waitFor({ timeout: 20_000 });
    await wb.screenshot('editor-diagnostic');

    // The fix: delete the line; the error goes away.
    await wb.runCommand('Delete Line');
    await squiggle.first().waitFor({ state: 'detached', timeout: 20_000 });

    // Run (the code lens): the summary notification, and the status bar shows the machine.
    const entryLine = lines.findIndex((l) => l.includes('void scenario(void)')) + 1;
    await wb.goToLine(entryLine);
    await lens('Run').click();
    await wb.notification(/raw-rmi\.realm\.c: 6 RMI calls, 10\/10 expectations passed/).waitFor({ timeout: 30_000 });
    const status = page.locator('.statusbar-item', { hasText: 'RMM 1.0 · host v14' });
    await status.first().waitFor({ timeout: 15_000 });
    await wb.dismissNotifications();

    // Sweep (the code lens): the Fault Sweep view opens with the sweep's points.
    await wb.runCommand('View: Focus First Editor Group');
    await wb.goToLine(entryLine);
    await lens('Sweep').click();
    const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /Fault Sweep/i }) });
    const rows = pane.locator('.monaco-list-row');
    await rows.filter({ hasText: /raw-rmi\.realm\.c: \d+ points/ }).waitFor({ timeout: 60_000 });
    const point = rows.filter({ hasText: /#1 RMI_GRANULE_DELEGATE -> RMI_ERROR_INPUT/ });
    await point.first().waitFor({ timeout: 10_000 });
    const texts = await rows.allInnerTexts();
    assert.ok(texts.length >= 4, `the view lists the points: ${texts.join(' | ')}`);
    assert.ok(texts.some((t) => /failed expectation|leak/.test(t)), `a point with a problem: ${texts.join(' | ')}`);
    await wb.screenshot('editor-sweep-view');
  }));
});
