// A small page object over code-server's workbench (VS Code 1.100.3), driven by playwright-core.
// The selectors are VS Code's own DOM classes; vscode-e2e.md section 5 records which ones work.
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS } from './fixtures.mjs';

export class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
  }

  /** Opens the workbench URL and waits until the explorer lists `fileName`. */
  async open(url, fileName) {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
    await this.explorerRow(fileName).waitFor({ timeout: 30_000 });
  }

  explorerRow(name) {
    return this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });
  }

  /**
   * Runs a command from the palette by its exact label. Contributed commands show up only once
   * the extension host is running, so this retries; Enter is never used because it picks the
   * top-ranked row, which is not always the exact match.
   */
  async runCommand(label, timeoutMs = 30_000) {
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const input = this.page.locator('.quick-input-widget input');
    const row = this.page.locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.page.keyboard.press('F1');
      await input.waitFor({ timeout: 5_000 });
      await input.fill('>' + label);
      try {
        await row.waitFor({ timeout: 1_500 });
        await row.click();
        return;
      } catch (e) {
        await this.page.keyboard.press('Escape');
        if (Date.now() > deadline) throw new Error(`command "${label}" never appeared in the palette: ${e.message}`);
      }
    }
  }

  /** A toast whose message matches `text` (string or RegExp). */
  notification(text) {
    return this.page.locator('.notifications-toasts .notification-list-item', {
      has: this.page.locator('.notification-list-item-message', { hasText: text }),
    });
  }

  async dismissNotifications() {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** The document inside the (single) webview panel: two iframes deep. */
  webview() {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  tab(label) {
    return this.page.locator('.tabs-container .tab', { has: this.page.locator('.label-name', { hasText: label }) });
  }

  /** Rows of the CALL STACK view: `.label` is the frame name, `.line-number` its line. */
  stackFrames() {
    return this.page.locator('.debug-call-stack .monaco-list-row .stack-frame');
  }

  async screenshot(name) {
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Moves the cursor of the active editor to a 1-based line (quick open's `:line`). */
  async goToLine(line) {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 5_000 });
    await input.fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 });
  }
}
