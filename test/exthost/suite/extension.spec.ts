// Extension-host tests: mocha inside code-server's real extension host, using the real `vscode`
// API against a throw-away copy of examples/ (the workspace folder). The order matters: the
// first tests see the extension before anything activated it.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until, workspaceFile } from './helpers';

const EXTENSION_ID = 'realm-lab.realm-lab';
const EXAMPLE = 'raw-rmi-1.0.realm.c';
/** The example's entry function: debugging stops on entry at its first statement. */
const EXAMPLE_ENTRY = 'scenario';
const COMMANDS = ['realmLab.openGranuleMap', 'realmLab.runScenario', 'realmLab.debugScenario'];

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed in the extension host`);
  return ext;
}



function granuleMapTabs(): vscode.Tab[] {
  // A webview tab's viewType carries a VS Code prefix (mainThreadWebview-<viewType>).
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('realmLab.granuleMap'));
}

describe('Realm Lab in the extension host', () => {
  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('declares that it supports untrusted workspaces (scenarios only run inside the emulator)', () => {
    const caps = (extension().packageJSON as { capabilities?: { untrustedWorkspaces?: { supported?: unknown } } }).capabilities;
    assert.equal(caps?.untrustedWorkspaces?.supported, true);
  });

  it('stays inactive until a scenario is opened (no `*` activation)', () => {
    assert.equal(extension().isActive, false);
  });

  it('activates when a *.realm.c file is opened, as language realm-c', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile(EXAMPLE));
    assert.equal(doc.languageId, 'realm-c');
    await vscode.window.showTextDocument(doc);
    await until('the extension to activate', () => extension().isActive);
  });

  it('registers its commands', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of COMMANDS) assert.ok(all.has(id), `command ${id} is registered`);
  });

  it('Open Granule Map with no active editor reports an error instead of throwing', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('all editors to close', () => vscode.window.activeTextEditor === undefined);
    // executeCommand rejects if the command's handler throws.
    await vscode.commands.executeCommand('realmLab.openGranuleMap');
    assert.equal(granuleMapTabs().length, 0, 'no map panel without a scenario');
  });

  it('Open Granule Map on the example opens the "Granule Map" panel', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile(EXAMPLE));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('realmLab.openGranuleMap');
    const tab = await until('the granule map tab', () => granuleMapTabs()[0]);
    assert.equal(tab.label, 'Granule Map');
  });

  it('debugging the example stops on entry in its entry function, and next moves on', async () => {
    const program = workspaceFile(EXAMPLE).fsPath;
    const stopped: { threadId: number; reason: string }[] = [];
    let wake = () => {};
    // A tracker sees the adapter's events as VS Code receives them.
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('realm-lab', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: { type?: string; event?: string; body?: { threadId: number; reason: string } }) => {
          if (m.type === 'event' && m.event === 'stopped' && m.body) { stopped.push(m.body); wake(); }
        },
      }),
    });
    const nextStop = (n: number) => new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no stopped event #${n} within 15 s`)), 15_000);
      wake = () => { if (stopped.length >= n) { clearTimeout(t); resolve(); } };
      wake();
    });
    try {
      const started = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0],
        { type: 'realm-lab', request: 'launch', name: 'exthost test', program, stopOnEntry: true });
      assert.ok(started, 'the realm-lab debug session started');
      const session = await until('the active debug session', () => vscode.debug.activeDebugSession);
      await nextStop(1);
      assert.equal(stopped[0].reason, 'entry');
      const top = async () => (await session.customRequest('stackTrace', { threadId: stopped[0].threadId })).stackFrames[0] as
        { name: string; line: number; source?: { path?: string } };
      const first = await top();
      assert.equal(first.name, EXAMPLE_ENTRY);
      // In code-server's remote extension host, paths in DAP messages come back as vscode-remote: URIs.
      assert.ok(first.source?.path?.endsWith(`/examples/${EXAMPLE}`), `frame source ${first.source?.path}`);
      await session.customRequest('next', { threadId: stopped[0].threadId });
      await nextStop(2);
      const second = await top();
      assert.equal(second.name, EXAMPLE_ENTRY);
      assert.ok(second.line > first.line, `next moved from line ${first.line} to ${second.line}`);
      await vscode.debug.stopDebugging(session);
    } finally {
      tracker.dispose();
    }
  });
});
