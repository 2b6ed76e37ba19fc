// Extension-host tests of the editor features (issue 7) with the real vscode API: New Scenario
// and its templates, completion, hover, code lenses, semantic tokens, the status bar override,
// Sweep Faults and its tree, debugging a sweep point, Copy Host Code, Show RMI Reference and
// Export Trace. The file name sorts after extension.spec.ts on purpose: that spec must see the
// extension before anything activated it.
//
// Dialogs (quick picks, input boxes, modal questions, save dialogs) are answered by replacing
// the window function for one call: the tests share the extension's `vscode` API object.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { lineOf, ours, until, workspaceFile } from './helpers';

const SEED = 'sweep-seed.realm.c';
const RAW = 'raw-rmi-1.0.realm.c';
const TEMPLATE_IDS = ['raw-rmi-1.0', 'realm-lifecycle-1.0', 'realm-lifecycle-2.0', 'seed-partial-delegate', 'sweep'];



/** Replaces a window function until the returned restore is called. */
function answer<K extends keyof typeof vscode.window>(name: K, impl: (...args: any[]) => unknown): () => void {
  const w = vscode.window as unknown as Record<string, unknown>;
  const original = w[name];
  w[name] = impl;
  return () => { w[name] = original; };
}

const errors = (uri: vscode.Uri) => ours(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
const posOf = (doc: vscode.TextDocument, needle: string) => {
  const l = lineOf(doc, needle);
  return new vscode.Position(l, doc.lineAt(l).text.indexOf(needle) + 1);
};

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  // Run Scenario awaits the run: afterwards its diagnostics and results are published.
  await vscode.commands.executeCommand('realmLab.runScenario', uri);
  return editor;
}

describe('Realm Lab editor features', function () {
  this.timeout(60_000);
  let restoreMessages: () => void = () => {};

  before(async () => {
    // Run Scenario and Sweep Faults end with a notification; keep them from piling up.
    const quiet = answer('showInformationMessage', async () => undefined);
    const quietWarn = answer('showWarningMessage', async () => undefined);
    restoreMessages = () => { quiet(); quietWarn(); };
    await open(workspaceFile(RAW));
  });
  after(async () => {
    restoreMessages();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('registers the editor commands', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of ['realmLab.newScenario', 'realmLab.sweepFaults', 'realmLab.debugSweepPoint', 'realmLab.copyHostCode',
      'realmLab.showRmiReference', 'realmLab.exportTrace', 'realmLab.chooseProfileAndHost']) assert.ok(all.has(id), id);
  });

  it('New Scenario offers the five templates and writes none when the pick is cancelled', async () => {
    let offered: string[] = [];
    const restore = answer('showQuickPick', async (items: vscode.QuickPickItem[]) => { offered = (await items).map((i) => i.label); return undefined; });
    try {
      assert.equal(await vscode.commands.executeCommand('realmLab.newScenario'), undefined);
    } finally { restore(); }
    assert.equal(offered.length, 5, offered.join(' | '));
    assert.ok(offered.some((l) => /Raw RMI/.test(l)) && offered.some((l) => /1\.0/.test(l)) && offered.some((l) => /2\.0/.test(l)));
    assert.ok(offered.some((l) => /partial delegation/.test(l)) && offered.some((l) => /sweep/i.test(l)));
  });

  for (const id of TEMPLATE_IDS) {
    it(`template ${id}: written under the accepted name, compiles and runs without errors or failed expectations`, async () => {
      const name = `new-${id}.realm.c`;
      let proposed = '';
      const restore = answer('showInputBox', async (o: vscode.InputBoxOptions) => { proposed = o.value ?? ''; return name; });
      let uri: vscode.Uri | undefined;
      try {
        uri = await vscode.commands.executeCommand<vscode.Uri>('realmLab.newScenario', id);
      } finally { restore(); }
      assert.ok(uri, 'the command returns the new scenario');
      assert.match(proposed, /\.realm\.c$/, 'a file name is offered');
      assert.equal(uri.fsPath, workspaceFile(name).fsPath);
      assert.ok(fs.existsSync(uri.fsPath), 'the file was written');
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'and opened');
      await vscode.commands.executeCommand('realmLab.runScenario', uri);
      assert.deepEqual(errors(uri).map((d) => d.message), []);
      assert.deepEqual(ours(uri).filter((d) => d.code === 'expectation').map((d) => d.message), []);
    });
  }

  it('New Scenario never overwrites: an existing name is refused by the input box', async () => {
    const existing = workspaceFile(RAW);
    const before = fs.readFileSync(existing.fsPath, 'utf8');
    let refusal: unknown;
    const restore = answer('showInputBox', async (o: vscode.InputBoxOptions) => {
      refusal = await o.validateInput?.(RAW);
      return RAW; // even if the box let it through, the command checks again
    });
    const err = answer('showErrorMessage', async () => undefined);
    try {
      assert.equal(await vscode.commands.executeCommand('realmLab.newScenario', 'sweep'), undefined);
    } finally { restore(); err(); }
    assert.match(String(refusal), /exists already/);
    assert.equal(fs.readFileSync(existing.fsPath, 'utf8'), before, 'the existing file is untouched');
  });

  it('diagnostics appear when a template is broken and clear when it is fixed', async () => {
    const editor = await open(workspaceFile('new-raw-rmi-1.0.realm.c'));
    const doc = editor.document;
    const line = lineOf(doc, 'expect_no_leaks();');
    await editor.edit((e) => e.insert(new vscode.Position(line, 0), '\tundefined_function(1);\n'));
    const err = await until('an error diagnostic', () => errors(doc.uri)[0]);
    assert.equal(err.range.start.line, line);
    assert.match(err.message, /undefined_function/);
    await vscode.commands.executeCommand('undo');
    await until('the error to clear', () => errors(doc.uri).length === 0);
  });

  it('completion offers RMI commands with documentation, and the snippets', async () => {
    const editor = await open(workspaceFile(RAW));
    // The empty line inside scenario() after the first expect_granule: every name is offered.
    const blank = lineOf(editor.document, 'expect_granule(rd, RMI_GRANULE_DELEGATED);') + 1;
    assert.equal(editor.document.lineAt(blank).text.trim(), '');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, new vscode.Position(blank, 0));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('RMI_REALM_CREATE'), 'the command under the cursor');
    assert.ok(labels.includes('RMI_GRANULE_DELEGATE'));
    const item = list.items.find((i) => i.label === 'RMI_REALM_CREATE');
    const doc = item?.documentation;
    assert.match(typeof doc === 'string' ? doc : doc?.value ?? '', /FID/);
    const snippets = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const p of ['delegate-create-realm', 'populate-loop', 'teardown', 'fault-inject']) assert.ok(snippets.includes(p), `snippet ${p} in ${snippets.join(', ')}`);
  });

  it('hover on an RMI command shows its FID, registers and failure conditions', async () => {
    const editor = await open(workspaceFile(RAW));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, posOf(editor.document, 'RMI_REALM_CREATE'));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*RMI_REALM_CREATE\*\*: FID `0x/);
    assert.match(text, /Inputs: X1 PA of the RD/);
    assert.match(text, /Failure conditions/);
  });

  it('code lenses Run | Debug | Sweep sit on the line of void scenario(void)', async () => {
    const editor = await open(workspaceFile(RAW));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    const ours = lenses.filter((l) => l.command?.command.startsWith('realmLab.'));
    assert.deepEqual(ours.map((l) => l.command?.title.replace(/^\$\([a-z-]+\) /, '')), ['Run', 'Debug', 'Sweep']);
    assert.deepEqual(ours.map((l) => l.command?.command), ['realmLab.runScenario', 'realmLab.debugScenario', 'realmLab.sweepFaults']);
    const entry = lineOf(editor.document, 'void scenario(void)');
    assert.ok(ours.every((l) => l.range.start.line === entry), `on line ${entry + 1}`);
  });

  it('semantic tokens mark RMI commands, rmi_* calls and intrinsics, not words in comments', async () => {
    const editor = await open(workspaceFile(RAW));
    const doc = editor.document;
    const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', doc.uri);
    const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', doc.uri);
    assert.ok(legend && tokens, 'a provider answers');
    const found: { text: string; type: string; line: number }[] = [];
    let line = 0, ch = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      line += tokens.data[i];
      ch = tokens.data[i] ? tokens.data[i + 1] : ch + tokens.data[i + 1];
      found.push({ text: doc.getText(new vscode.Range(line, ch, line, ch + tokens.data[i + 2])), type: legend.tokenTypes[tokens.data[i + 3]], line });
    }
    const typeOf = (t: string) => new Set(found.filter((f) => f.text === t).map((f) => f.type));
    assert.deepEqual([...typeOf('RMI_REALM_CREATE')], ['rmiCommand']);
    assert.deepEqual([...typeOf('RMI_SUCCESS')], ['rmiConstant']);
    assert.deepEqual([...typeOf('rmi_call')], ['rmiFunction']);
    assert.deepEqual([...typeOf('expect_granule')], ['intrinsic']);
    const commentLine = lineOf(doc, 'raw-rmi-1.0.realm.c: create and destroy a realm with raw RMI calls');
    assert.equal(found.filter((f) => f.line <= commentLine + 6).length, 0, 'nothing in the header comment');
  });

  it('the status bar override switches the profile of live runs and debug launches, and clears', async () => {
    const editor = await open(workspaceFile(RAW));
    const uri = editor.document.uri;
    assert.deepEqual(ours(uri).filter((d) => d.code === 'expectation').map((d) => d.message), [], 'runs clean on its declared 1.0');
    // The quick pick: four combinations and a clear entry.
    let offered: string[] = [];
    const pick = answer('showQuickPick', async (items: vscode.QuickPickItem[]) => { offered = (await items).map((i) => i.label); return undefined; });
    try {
      assert.match(String(await vscode.commands.executeCommand('realmLab.chooseProfileAndHost')), /RMM 1\.0 · host v14$/);
    } finally { pick(); }
    assert.equal(offered.length, 5);
    const text = await vscode.commands.executeCommand<string>('realmLab.chooseProfileAndHost', { profile: '2.0', hostVariant: 'fixed' });
    assert.match(text, /RMM 2\.0 · host fixed \(override\)/);
    // RMM 2.0 has no RMI_GRANULE_DELEGATE: the 1.0 scenario's expectations now fail.
    assert.ok(ours(uri).some((d) => d.code === 'expectation'), 'the live run used the override');
    let launched: vscode.DebugConfiguration | undefined;
    const tracker = vscode.debug.onDidStartDebugSession((s) => { launched = s.configuration; });
    try {
      assert.ok(await vscode.debug.startDebugging(undefined, { type: 'realm-lab', request: 'launch', name: 'override test', program: uri.fsPath, stopOnEntry: true }));
      await until('the session', () => launched);
      assert.equal(launched?.profile, '2.0');
      assert.equal(launched?.hostVariant, 'fixed');
      await vscode.debug.stopDebugging();
    } finally { tracker.dispose(); }
    const cleared = await vscode.commands.executeCommand<string>('realmLab.chooseProfileAndHost', 'clear');
    assert.match(cleared, /RMM 1\.0 · host v14$/);
    assert.deepEqual(ours(uri).filter((d) => d.code === 'expectation').map((d) => d.message), []);
  });

  it(`Sweep Faults on ${SEED}: the tree lists the seed points first, with their leaks and WARNs`, async function () {
    this.timeout(180_000);
    const editor = await open(workspaceFile(SEED));
    const snap = await vscode.commands.executeCommand<{ file: string; nodes: { kind: string; label: string; description?: string; icon: string; pointId?: number; children: { kind: string; label: string }[] }[] }>('realmLab.sweepFaults', editor.document.uri);
    assert.ok(snap, 'the sweep ran');
    const [summary, ...points] = snap.nodes;
    assert.equal(summary.kind, 'summary');
    assert.match(summary.label, /sweep-seed\.realm\.c: \d+ points, \d+ with problems/);
    assert.match(summary.description ?? '', /RMM 2\.0 · host v14/);
    // The root RTT range is the second RANGE_DELEGATE (the first is the RD page): the call with 16 k.
    const range = points.filter((p) => /^#\d+ RMI_GRANULE_RANGE_DELEGATE k=\d+ -> RMI_ERROR_INPUT$/.test(p.label));
    const seqOf = (p: { label: string }) => p.label.split(' ')[0];
    const count = (q: string) => range.filter((p) => seqOf(p) === q).length;
    const seedSeq = [...new Set(range.map(seqOf))].sort((a, b) => count(b) - count(a))[0];
    const seed = range.filter((p) => seqOf(p) === seedSeq);
    assert.equal(seed.length, 16, 'every k of the 16-granule root RTT range');
    // Problem points first: the first 16 points include all seed points.
    const firstOk = points.findIndex((p) => p.icon === 'pass');
    assert.ok(firstOk === -1 || points.slice(firstOk).every((p) => p.icon === 'pass'), 'passing points come last');
    for (const p of seed) {
      assert.notEqual(p.icon, 'pass', p.label);
      assert.match(p.description ?? '', /leak.*WARN/);
      assert.ok(p.children.some((c) => c.kind === 'leak'));
      assert.ok(p.children.some((c) => c.kind === 'warn' && /WARN_ON\(rmi_undelegate_range/.test(c.label)));
    }
    assert.ok(points.some((p) => p.icon === 'pass'), 'some points handle their fault');

    // Clicking a point debugs the scenario with that fault, stopped where the fault fires.
    const k3 = seed.find((p) => p.label.includes('k=3'));
    let launched: vscode.DebugConfiguration | undefined;
    const started = vscode.debug.onDidStartDebugSession((s) => { launched = s.configuration; });
    const stops: { reason?: string; text?: string }[] = [];
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('realm-lab', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: { type?: string; event?: string; body?: { reason?: string; text?: string } }) => {
          if (m.type === 'event' && m.event === 'stopped' && m.body) stops.push(m.body);
        },
      }),
    });
    try {
      assert.equal(await vscode.commands.executeCommand('realmLab.debugSweepPoint', k3?.pointId), true);
      await until('the debug session', () => launched);
      assert.deepEqual(launched?.faults, [{ command: 'RMI_GRANULE_RANGE_DELEGATE', nth: 2, status: 'RMI_ERROR_INPUT', afterGranules: 3 }]);
      assert.equal(launched?.stopOnFault, true);
      const stop = await until('the stop at the injected fault', () => stops[0]);
      assert.equal(stop.reason, 'exception');
      assert.match(stop.text ?? '', /injected fault: RMI_GRANULE_RANGE_DELEGATE/);
      await vscode.debug.stopDebugging();
    } finally { started.dispose(); tracker.dispose(); }
  });

  it('Copy Host Code asks first, writes realm-lab-host/ next to the scenario and keeps files that exist', async () => {
    const dir = workspaceFile('copy-test');
    fs.mkdirSync(path.join(dir.fsPath, 'realm-lab-host', 'kvm'), { recursive: true });
    fs.copyFileSync(workspaceFile(RAW).fsPath, path.join(dir.fsPath, RAW));
    const mine = '/* my own kvm/rmi.c */\n';
    fs.writeFileSync(path.join(dir.fsPath, 'realm-lab-host', 'kvm', 'rmi.c'), mine);
    await open(vscode.Uri.joinPath(dir, RAW));
    const questions: string[] = [];
    const no = answer('showInformationMessage', async (m: string) => { questions.push(m); return undefined; });
    try {
      assert.equal(await vscode.commands.executeCommand('realmLab.copyHostCode'), undefined);
    } finally { no(); }
    assert.match(questions[0] ?? '', /Copy the \d+ embedded host C files/);
    assert.ok(!fs.existsSync(path.join(dir.fsPath, 'realm-lab-host', 'kvm', 'arm.c')), 'declining writes nothing');

    const yes = answer('showInformationMessage', async (_m: string, ...items: unknown[]) => (items.includes('Copy') ? 'Copy' : undefined));
    let result: { written: string[]; skipped: string[] } | undefined;
    try {
      result = await vscode.commands.executeCommand('realmLab.copyHostCode');
    } finally { yes(); }
    assert.ok(result);
    assert.deepEqual(result.skipped, ['kvm/rmi.c']);
    assert.ok(result.written.includes('kernel/rmi.c') && result.written.includes('include/rmi_smc.h'));
    assert.equal(fs.readFileSync(path.join(dir.fsPath, 'realm-lab-host', 'kvm', 'rmi.c'), 'utf8'), mine, 'an existing file is never overwritten');
    assert.match(fs.readFileSync(path.join(dir.fsPath, 'realm-lab-host', 'kvm', 'arm.c'), 'utf8'), /kvm_create_vm/);
  });

  it('Show RMI Reference opens the reference of the name under the cursor, or of every command', async () => {
    const editor = await open(workspaceFile(RAW));
    editor.selection = new vscode.Selection(posOf(editor.document, 'RMI_REALM_DESTROY'), posOf(editor.document, 'RMI_REALM_DESTROY'));
    const uri = await vscode.commands.executeCommand<vscode.Uri>('realmLab.showRmiReference');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'markdown');
    assert.match(doc.getText(), /^# RMI_REALM_DESTROY/);
    assert.match(doc.getText(), /FID `0x/);
    await vscode.window.showTextDocument(editor.document);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const all = await vscode.workspace.openTextDocument(await vscode.commands.executeCommand<vscode.Uri>('realmLab.showRmiReference'));
    for (const n of ['RMI_GRANULE_DELEGATE', 'RMI_REALM_CREATE', 'RMI_RTT_CREATE', 'RMI_OP_CONTINUE']) assert.match(all.getText(), new RegExp(`## ${n}\\b`));
  });

  it('Export Trace saves the run report JSON where the save dialog says', async () => {
    await open(workspaceFile(RAW));
    const target = workspaceFile('raw.trace.json');
    const restore = answer('showSaveDialog', async () => target);
    try {
      assert.equal((await vscode.commands.executeCommand<vscode.Uri>('realmLab.exportTrace'))?.toString(), target.toString());
    } finally { restore(); }
    const trace = JSON.parse(fs.readFileSync(target.fsPath, 'utf8'));
    assert.equal(trace.ok, true);
    assert.equal(trace.profile, '1.0');
    assert.deepEqual(trace.rmiCalls.map((c: { name: string }) => c.name), ['RMI_GRANULE_DELEGATE', 'RMI_GRANULE_DELEGATE', 'RMI_REALM_CREATE', 'RMI_REALM_DESTROY', 'RMI_GRANULE_UNDELEGATE', 'RMI_GRANULE_UNDELEGATE']);
  });
});
