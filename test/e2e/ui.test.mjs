// UI end-to-end tests: the packaged extension (realm-lab.vsix from `npm run package`) installed
// into a real VS Code (code-server), driven through the workbench by playwright-core in Debian's
// chromium, as a user would: command palette, the Granule Map webview, the debugger.
// Screenshots go to test-results/ (git-ignored).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { EXAMPLE, EXAMPLE_ENTRY, ROOT } from './fixtures.mjs';
import { workbenchSession } from './session.mjs';
import { functionSpan, parseSummary } from './scenario-facts.mjs';

describe('Realm Lab in code-server (UI, from the VSIX)', { timeout: 240_000 }, () => {
  const session = workbenchSession(EXAMPLE);
  let wb;
  before(() => { ({ wb } = session); });

  const shot = session.shot;

  it('Open Granule Map without a scenario open shows an error notification', shot('map-no-editor', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('Realm Lab: Open Granule Map');
    const toast = wb.page.locator('.notifications-toasts .notification-list-item', { has: wb.page.locator('.codicon-error') });
    await toast.first().waitFor({ timeout: 15_000 });
    assert.match(await toast.first().locator('.notification-list-item-message').innerText(), /\S/, 'the error says something');
    await wb.page.waitForTimeout(400); // let the toast finish sliding in, for the screenshot only
    await wb.screenshot('map-no-editor');
    await wb.dismissNotifications();
  }));

  /** The map's text summary parsed, once it matches `want` (a RegExp on the summary text). */
  const mapSummary = async (want = /\d+ granules:/) => {
    const summary = wb.webview().locator('#summary');
    await summary.filter({ hasText: want }).waitFor({ timeout: 30_000 });
    return parseSummary(await summary.innerText());
  };
  const mapAt = () => wb.webview().locator('#at').innerText();
  const lineOfText = (needle) => {
    const i = fs.readFileSync(path.join(ROOT, 'examples', EXAMPLE), 'utf8').split('\n').findIndex((l) => l.includes(needle));
    assert.ok(i >= 0, `the example has a line with ${needle}`);
    return i + 1;
  };

  it('opens the example as a Realm C scenario and shows its granules in the Granule Map', shot('granule-map', async () => {
    await wb.explorerRow(EXAMPLE).dblclick();
    await wb.tab(EXAMPLE).waitFor({ timeout: 15_000 });
    // The language contributed by the VSIX is active for *.realm.c (status bar language picker).
    await wb.page.locator('#status\\.editor\\.mode', { hasText: /realm/i }).waitFor({ timeout: 15_000 });

    await wb.runCommand('Realm Lab: Open Granule Map');
    await wb.tab('Granule Map').waitFor({ timeout: 15_000 });
    const view = wb.webview();
    // The cursor is on line 1, outside scenario(): the map shows the end of the run, where the
    // example has given every granule back.
    const end = await mapSummary();
    assert.equal(end.total, 262_144, '1 GiB of DRAM by default: 262,144 granules of 4 KiB');
    assert.deepEqual(end.byState, { UNDELEGATED: 262_144 }, 'the example cleans up after itself');
    assert.match(await mapAt(), /end of run/);

    // With the cursor after RMI_REALM_CREATE, the map shows the realm: its RD and its root RTT.
    await wb.runCommand('View: Focus First Editor Group');
    await wb.goToLine(lineOfText('expect_granule(rtt, RMI_GRANULE_RTT);'));
    const live = await mapSummary(/ RD\b/);
    assert.equal(live.byState.RD, 1, 'one realm descriptor');
    assert.equal(live.byState.RTT, 1, 'one starting-level RTT');
    assert.equal(Object.values(live.byState).reduce((a, b) => a + b, 0), live.total, 'states add up to the total');
    assert.match(await mapAt(), /after line \d+/);
    // The legend shows the same counts as the text summary, state by state.
    const legend = {};
    for (const li of await view.locator('#legend li[data-state]').all()) {
      legend[await li.getAttribute('data-state')] = Number((await li.locator('.count').innerText()).replace(/[^\d]/g, ''));
    }
    for (const [state, n] of Object.entries(live.byState)) assert.equal(legend[state], n, `legend count of ${state}`);
    const canvas = view.locator('canvas#map');
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 10, `the map canvas is drawn at a useful size (${JSON.stringify(box)})`);
    await wb.screenshot('granule-map');
  }));

  it('follows edits as the user types: a new delegation appears, a syntax error marks the map stale', shot('granule-map-edit', async () => {
    const view = wb.webview();
    const before = await mapSummary(/ RD\b/);
    await wb.runCommand('View: Focus First Editor Group');
    await wb.goToLine(lineOfText('expect_granule(rtt, RMI_GRANULE_RTT);'));
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.type('rmi_call(RMI_GRANULE_DELEGATE, rd - 0x200000);', { delay: 5 });
    // Not saved: the map follows the buffer. One more granule is DELEGATED after this line.
    const after = await mapSummary(new RegExp(`${(before.byState.DELEGATED ?? 0) + 1} DELEGATED`));
    assert.equal(after.byState.RD, 1);
    await wb.screenshot('granule-map-after-edit');

    await wb.page.keyboard.type(' = =', { delay: 5 });
    const stale = view.locator('#stale');
    await stale.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await stale.innerText(), /\S/, 'the stale marker says why');
    const kept = parseSummary(await view.locator('#summary').innerText());
    assert.deepEqual(kept, after, 'the last good map is kept while the scenario does not compile');
    await wb.screenshot('granule-map-stale');

    // Take the typed line out again (Delete Line; code-server may auto-save, so no revert).
    await wb.runCommand('Delete Line');
    const lines = wb.page.locator('.editor-group-container.active .monaco-editor .view-lines');
    assert.doesNotMatch(await lines.innerText(), /0x200000|= =/, 'the typed line is gone');
    await stale.waitFor({ state: 'hidden', timeout: 15_000 });
    assert.deepEqual(await mapSummary(/ RD\b/), before, 'the map is back to what the saved file does');
  }));

  it('hovering a granule shows its address and state', shot('granule-map-hover', async () => {
    const canvas = wb.webview().locator('canvas#map');
    const box = await canvas.boundingBox();
    assert.ok(box);
    // A point inside the drawing area, right of the address gutter.
    await canvas.hover({ position: { x: Math.min(box.width - 5, 140), y: Math.min(box.height - 5, 40) } });
    const tip = wb.webview().locator('#tooltip');
    await tip.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await tip.innerText();
    const pa = /0x([0-9a-f_]+)/i.exec(text);
    assert.ok(pa, `the tooltip names the granule's PA: ${text}`);
    const n = BigInt('0x' + pa[1].replace(/_/g, ''));
    assert.ok(n >= 0x8000_0000n && n < 0xc000_0000n && n % 4096n === 0n, `a granule-aligned PA inside DRAM: ${pa[0]}`);
    assert.match(text, /UNDELEGATED|DELEGATED|RD|RTT/, 'and its state');
    await wb.screenshot('granule-map-hover');
  }));

  it('debugs the example: stops on entry in the entry function, and F10 moves the current line', shot('debug', async () => {
    const source = fs.readFileSync(path.join(ROOT, 'examples', EXAMPLE), 'utf8');
    const entry = functionSpan(source, EXAMPLE_ENTRY);
    // Focus the scenario's editor, not the webview: keys typed there do not reach the workbench.
    // The map usually sits beside the editor, so the first group still shows the scenario.
    await wb.runCommand('View: Focus First Editor Group');
    const activeTab = wb.page.locator('.editor-group-container.active .tab.active', { hasText: EXAMPLE });
    if (!(await activeTab.count())) await wb.explorerRow(EXAMPLE).dblclick();
    await activeTab.waitFor({ timeout: 10_000 });
    await wb.runCommand('Realm Lab: Debug Scenario');
    await wb.page.locator('.debug-toolbar').waitFor({ timeout: 30_000 });

    const top = wb.stackFrames().first();
    await top.locator('.label', { hasText: new RegExp(`^${entry.name}$`) }).waitFor({ timeout: 30_000 });
    assert.equal((await top.locator('.file-name').innerText()).trim(), EXAMPLE);
    const lineOf = async () => Number(/\d+/.exec(await top.locator('.line-number').innerText())[0]);
    const first = await lineOf();
    assert.ok(first > entry.openLine && first < entry.closeLine,
      `stopped at line ${first}, inside ${entry.name} (lines ${entry.openLine}-${entry.closeLine})`);
    await wb.page.locator('.monaco-editor .debug-top-stack-frame-line').first().waitFor({ timeout: 10_000 });
    await wb.screenshot('debug-stopped-on-entry');

    await wb.page.keyboard.press('F10');
    await wb.page.waitForFunction(
      ([sel, before]) => { const el = document.querySelector(sel); return el && Number(/\d+/.exec(el.textContent)?.[0]) !== before; },
      ['.debug-call-stack .monaco-list-row .stack-frame .line-number', first], { timeout: 15_000 });
    const second = await lineOf();
    assert.ok(second > first && second < entry.closeLine, `F10 moved from line ${first} to ${second}, still in ${entry.name}`);
    await wb.screenshot('debug-after-step');

    await wb.page.locator('.debug-toolbar .action-label.codicon-debug-stop').click();
    await wb.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 15_000 });
  }));
});
