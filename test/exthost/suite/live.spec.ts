// Extension-host tests of the live flow: diagnostics that follow the text as it is edited (no
// save needed), Run Scenario's report, and the debug configuration that needs no launch.json.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { lineOf, ours, until, workspaceFile } from './helpers';

const FAILING = 'undelegate-live-rd-1.0.realm.c';
const PASSING = 'raw-rmi-1.0.realm.c';




describe('Realm Lab live diagnostics', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('reports the failed expectations of a scenario on their lines, as warnings', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile(FAILING));
    await vscode.window.showTextDocument(doc);
    const diags = await until('diagnostics on the failing example', () => {
      const d = ours(doc.uri).filter((x) => x.code === 'expectation');
      return d.length >= 2 && d;
    });
    const wrong = lineOf(doc, '/* Wrong: the realm still uses rd. */');
    const lines = diags.map((d) => d.range.start.line).sort((a, b) => a - b);
    assert.ok(lines.every((l) => l > wrong), `the failed expectations are after the wrong undelegate (lines ${lines.map((l) => l + 1)})`);
    assert.ok(diags.every((d) => d.severity === vscode.DiagnosticSeverity.Warning));
    assert.ok(diags.some((d) => /UNDELEGATED/.test(d.message)), `a message names the expected state: ${diags.map((d) => d.message).join(' | ')}`);
  });

  it('shows a syntax error while typing and clears it when the text is fixed, without saving', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile(PASSING));
    const editor = await vscode.window.showTextDocument(doc);
    await until('the example to run clean', () => ours(doc.uri).length === 0 || undefined, 15_000).catch(() => undefined);
    assert.deepEqual(ours(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message), []);
    const line = lineOf(doc, 'ret = rmi_call(RMI_GRANULE_DELEGATE, rd);');
    await editor.edit((e) => e.insert(new vscode.Position(line, 0), '\tret = = 1;\n'));
    const err = await until('a syntax error diagnostic', () => ours(doc.uri).find((d) => d.severity === vscode.DiagnosticSeverity.Error));
    assert.equal(err.range.start.line, line, `the error is on the inserted line ${line + 1}: ${err.message}`);
    assert.ok(doc.isDirty, 'nothing was saved');
    await vscode.commands.executeCommand('undo');
    await until('the error to clear', () => !ours(doc.uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error));
  });

  it('Run Scenario runs the active scenario and leaves its results as diagnostics', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile(FAILING));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('realmLab.runScenario');
    assert.ok(ours(doc.uri).some((d) => d.code === 'expectation'), 'failed expectations are reported after the run');
  });

  it('Run Scenario on a file that is not a scenario reports it instead of throwing', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'not a scenario' });
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('realmLab.runScenario');
    await vscode.commands.executeCommand('realmLab.debugScenario');
    assert.equal(vscode.debug.activeDebugSession, undefined, 'no debug session was started');
  });

  it('Run Scenario on a file that does not exist reports it instead of throwing', async () => {
    await vscode.commands.executeCommand('realmLab.runScenario', workspaceFile('no-such-scenario.realm.c'));
    await vscode.commands.executeCommand('realmLab.openGranuleMap', workspaceFile('no-such-scenario.realm.c'));
  });

  it('an untitled scenario (not saved anywhere) runs from its buffer and gets diagnostics', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'realm-c', content: 'void scenario(void)\n{\n\texpect(1 == 2);\n}\n' });
    await vscode.window.showTextDocument(doc);
    const d = await until('the failed expectation on the untitled scenario', () => ours(doc.uri).find((x) => x.code === 'expectation'));
    assert.equal(d.range.start.line, 2);
  });
});
