// UI end-to-end test of the debugger: the packaged extension in code-server, driven as a user
// would. Open the seed example, start debugging from the editor title's Run/Debug button, step
// with F10 and F11 into the embedded host code (realm_ensure_created -> realm_create_rd, opened as
// read-only sources), read the CALL STACK and VARIABLES views, step out with Shift+F11, stop.
// Screenshots go to test-results/debug-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { ROOT } from './fixtures.mjs';
import { workbenchSession } from './session.mjs';

const SEED = 'seed-partial-delegate.realm.c';
const HOST_RMI = path.join(ROOT, 'src/host/c/kvm/rmi.c');

/** 1-based line of the first line containing `needle` at or after line `from`. */
function lineIn(file, needle, from = 1) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l, k) => k + 1 >= from && l.includes(needle));
  assert.ok(i >= 0, `${path.basename(file)} has a line with ${needle}`);
  return i + 1;
}

describe('Realm Lab debugger in code-server (UI, from the VSIX)', { timeout: 240_000 }, () => {
  const session = workbenchSession(SEED);
  let wb;
  before(() => { ({ wb } = session); });

  /** The top row of the CALL STACK view as "name file:line". */
  const topFrame = async () => {
    const top = wb.stackFrames().first();
    const [name, file, line] = await Promise.all(['.label', '.file-name', '.line-number'].map((s) => top.locator(s).innerText()));
    return { name: name.trim(), file: file.trim(), line: Number(/\d+/.exec(line)?.[0]) };
  };
  /**
   * The frame names of the CALL STACK view once they are `want`. VS Code loads the top frame
   * first and the rest a moment later (delayed stack trace loading), so this polls.
   */
  const expectFrames = async (want, what) => {
    let names = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await wb.page.waitForTimeout(100)) {
      names = (await wb.stackFrames().locator('.label').allInnerTexts()).map((s) => s.trim());
      if (JSON.stringify(names) === JSON.stringify(want)) return;
    }
    assert.deepEqual(names, want, what);
  };

  /** Presses `key` and waits until the top frame is somewhere else (a step ends with a new stop). */
  const press = async (key) => {
    const before = await topFrame();
    await wb.page.keyboard.press(key);
    await wb.page.waitForFunction((was) => {
      const row = document.querySelector('.debug-call-stack .monaco-list-row .stack-frame');
      if (!row) return false;
      const text = (s) => row.querySelector(s)?.textContent?.trim() ?? '';
      // .line-number reads "line:column"; compare the line only.
      return text('.label') !== '' && `${text('.label')}:${/\d+/.exec(text('.line-number'))?.[0]}` !== was;
    }, `${before.name}:${before.line}`, { timeout: 15_000 });
    const now = await topFrame();
    if (process.env.E2E_TRACE) console.log(`${key}: ${before.name}:${before.line} -> ${now.name}:${now.line}`);
    return now;
  };

  /** F10 until the top frame stands at `line` of `name` (at most `max` presses). */
  const stepOverTo = async (name, line, max = 30) => {
    let f = await topFrame();
    for (let i = 0; i < max && !(f.name === name && f.line === line); i++) f = await press('F10');
    assert.deepEqual([f.name, f.line], [name, line], `F10 reached ${name}:${line}`);
  };

  /** The VARIABLES view row of `name` (optionally under the scope or variable row `under`, expanded first). */
  const variable = (name) => wb.page.locator('.debug-variables .monaco-list-row').filter({
    has: wb.page.locator('.monaco-tl-contents > .expression .name', { hasText: new RegExp(`^${name}\\s*[:=]?\\s*$`) }),
  }).first();
  const valueOf = async (name) => (await variable(name).locator('.value').innerText()).trim();
  const expandScope = async (scope) => {
    const row = wb.page.locator('.debug-variables .monaco-list-row', { hasText: new RegExp(`^${scope}$`) }).first();
    await row.waitFor({ timeout: 10_000 });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  };

  it('starts from the Debug Scenario button, steps into realm_create_rd, reads the call stack and variables, steps out', async () => {
    try {
      await wb.explorerRow(SEED).dblclick();
      await wb.tab(SEED).waitFor({ timeout: 15_000 });

      // The editor title's Run/Debug button: a split button whose default is "Run Scenario"; its
      // chevron ("Run or Debug...") opens a menu with "Debug Scenario".
      const runButton = wb.page.locator('.editor-group-container.active .editor-actions .monaco-dropdown-with-default');
      await runButton.locator('a.action-label[aria-label="Run Scenario"]').waitFor({ timeout: 30_000 });
      await runButton.locator('.dropdown-action-container a.action-label[aria-label="Run or Debug..."]').click();
      await wb.page.getByRole('menuitem', { name: 'Debug Scenario' }).click();
      await wb.page.locator('.debug-toolbar').waitFor({ timeout: 30_000 });

      // Stopped on entry, at the scenario's first statement.
      await wb.stackFrames().first().locator('.label', { hasText: /^scenario$/ }).waitFor({ timeout: 30_000 });
      const scenarioPath = path.join(ROOT, 'examples', SEED);
      assert.deepEqual(await topFrame(), { name: 'scenario', file: SEED, line: lineIn(scenarioPath, 'struct kvm *kvm = kvm_create_vm(') });
      await wb.screenshot('debug-seed-entry');

      // F10 over the scenario's lines up to the call into the host code; pgd now holds the PGD's PA
      // (the view refreshes after the call stack: wait for the value, not the row).
      const ensureLine = lineIn(scenarioPath, 'expect(realm_ensure_created(kvm) == -ENXIO);');
      await stepOverTo('scenario', ensureLine);
      await variable('pgd').waitFor({ timeout: 10_000 });
      await wb.page.waitForFunction(() => [...document.querySelectorAll('.debug-variables .monaco-list-row')]
        .some((r) => /^pgd\b/.test(r.querySelector('.name')?.textContent ?? '') && /^0x[1-9a-f][0-9a-f]*$/.test(r.querySelector('.value')?.textContent?.trim() ?? '')), null, { timeout: 10_000 });
      const pgd = await valueOf('pgd');
      assert.match(pgd, /^0x[0-9a-f]+$/, 'the local pgd holds a physical address');
      assert.ok(BigInt(pgd) >= 0x8000_0000n && BigInt(pgd) % 4096n === 0n, `a granule-aligned PA in DRAM: ${pgd}`);

      // F11 into realm_ensure_created: embedded host code, opened read-only from the adapter.
      let f = await press('F11');
      assert.deepEqual([f.name, f.file], ['realm_ensure_created', 'rmi.c']);
      assert.ok(f.line > lineIn(HOST_RMI, 'int realm_ensure_created(struct kvm *kvm)'), `inside realm_ensure_created (line ${f.line})`);
      await wb.tab('rmi.c').waitFor({ timeout: 15_000 });
      await expectFrames(['realm_ensure_created', 'scenario'], 'the call stack: scenario -> realm_ensure_created');
      // The embedded file is read-only: typing into it is refused.
      await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
      await wb.page.keyboard.type('x');
      await wb.page.locator('.monaco-editor-overlaymessage', { hasText: /read-only/i }).waitFor({ timeout: 10_000 });
      await wb.screenshot('debug-seed-read-only-host-code');
      await wb.page.keyboard.press('Escape');

      const createLine = lineIn(HOST_RMI, 'ret = realm_create_rd(kvm);');
      await stepOverTo('realm_ensure_created', createLine);
      f = await press('F11');
      const v14 = lineIn(HOST_RMI, 'static int realm_create_rd(struct kvm *kvm)', lineIn(HOST_RMI, '/* v14 as reviewed'));
      assert.equal(f.name, 'realm_create_rd');
      assert.ok(f.line > v14 && f.line < v14 + 10, `at the first statement of the v14 realm_create_rd (line ${f.line})`);
      await expectFrames(['realm_create_rd', 'realm_ensure_created', 'scenario'], 'scenario -> host functions');
      // The editor shows the embedded file read-only, with the current line marked.
      await wb.page.locator('.monaco-editor .debug-top-stack-frame-line').first().waitFor({ timeout: 10_000 });
      await wb.screenshot('debug-seed-in-realm-create-rd');

      // F10 over the range delegation, which the scenario makes fail: X0 decodes the status.
      const rangeLine = lineIn(HOST_RMI, 'if (rmi_delegate_range(kvm->arch.mmu.pgd_phys, pgd_size)) {', v14);
      await stepOverTo('realm_create_rd', rangeLine);
      f = await press('F10');
      assert.equal(f.line, rangeLine + 1, 'the failing call takes the error branch');
      await expandScope('Registers');
      await variable('X0').waitFor({ timeout: 10_000 });
      await wb.page.waitForFunction(() => [...document.querySelectorAll('.debug-variables .monaco-list-row')]
        .some((r) => /^X0\b/.test(r.querySelector('.name')?.textContent ?? '') && /RMI_ERROR_INPUT/.test(r.querySelector('.value')?.textContent ?? '')), null, { timeout: 10_000 });
      assert.equal(await valueOf('X0'), '0x1 (RMI_ERROR_INPUT)', 'X0 with its status decoded');
      assert.match(await valueOf('command'), /^RMI_GRANULE_RANGE_DELEGATE /);
      assert.match(await valueOf('rd_phys'), /^0x[0-9a-f]+$/, 'a local of realm_create_rd');
      await wb.screenshot('debug-seed-range-delegate-failed');

      // Shift+F11 runs the error path to the end of realm_create_rd and returns to its caller.
      f = await press('Shift+F11');
      // The call's statement completes: the caller stands at `return ret;` with ret = -ENXIO.
      assert.deepEqual([f.name, f.line], ['realm_ensure_created', lineIn(HOST_RMI, 'return ret;', createLine)]);
      await wb.page.waitForFunction(() => [...document.querySelectorAll('.debug-variables .monaco-list-row')]
        .some((r) => /^ret\b/.test(r.querySelector('.name')?.textContent ?? '') && r.querySelector('.value')?.textContent?.trim() === '-6'), null, { timeout: 10_000 });
      await expectFrames(['realm_ensure_created', 'scenario'], 'back in the caller');
      await wb.screenshot('debug-seed-stepped-out');

      await wb.page.locator('.debug-toolbar .action-label.codicon-debug-stop').click();
      await wb.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 15_000 });
    } catch (e) {
      await wb?.screenshot('FAILED-debug-seed').catch(() => {});
      throw e;
    }
  });
});
