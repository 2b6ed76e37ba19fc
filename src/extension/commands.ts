// The commands of the "Realm Lab" category. Each one checks its input first and answers bad
// input (no editor, not a scenario, a file that does not exist) with a clear message: a command
// handler that throws would surface as an unexplained error in VS Code.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatRun } from '../cli/format';
import { formatDiagnostic, report } from '../run';
import { scenarioLaunch } from './debug-config';
import { LANGUAGE_ID, type LiveScenarios } from './live';
import type { GranuleMapPanel } from './map-panel';

const NO_SCENARIO = 'Realm Lab: open a *.realm.c scenario first (this command works on the scenario in the active editor).';

/** The scenario a command should work on: the URI it was invoked with (menus), else the active one. */
async function scenarioFor(live: LiveScenarios, arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) {
    try {
      const doc = await vscode.workspace.openTextDocument(arg);
      if (doc.languageId !== LANGUAGE_ID) {
        void vscode.window.showErrorMessage(`Realm Lab: ${path.basename(arg.path)} is not a scenario: scenarios are *.realm.c files.`);
        return undefined;
      }
      return doc;
    } catch (e) {
      void vscode.window.showErrorMessage(`Realm Lab: cannot open ${arg.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }
  const doc = live.activeScenario();
  if (!doc) {
    const active = vscode.window.activeTextEditor?.document;
    void vscode.window.showErrorMessage(active
      ? `Realm Lab: ${path.basename(active.uri.path)} is not a scenario: scenarios are *.realm.c files.`
      : NO_SCENARIO);
  }
  return doc;
}

export function registerCommands(live: LiveScenarios, map: GranuleMapPanel, output: vscode.OutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('realmLab.openGranuleMap', async (arg?: unknown) => {
      const doc = live.debugView ? live.activeScenario() : await scenarioFor(live, arg);
      if (!doc && !live.debugView) return;
      map.open();
      if (doc) live.showInMap(doc);
      else if (live.debugView) map.show(live.debugView);
    }),

    vscode.commands.registerCommand('realmLab.runScenario', async (arg?: unknown) => {
      const doc = await scenarioFor(live, arg);
      if (!doc) return;
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Realm Lab: running ${path.basename(doc.uri.path)}` },
        () => live.runNow(doc),
      );
      if (!run) return;
      output.clear();
      // The same report as `realm-lab run` prints, so the CLI and the editor never disagree.
      output.appendLine(run.diagnostics.some((d) => d.severity === 'error')
        ? run.diagnostics.map((d) => formatDiagnostic(d)).join('\n')
        : formatRun(report(run, doc.uri.fsPath)));
      output.show(true);
      const failed = run.diagnostics.some((d) => d.severity === 'error') || run.error || run.expectations.some((e) => !e.passed);
      const summary = `Realm Lab: ${path.basename(doc.uri.path)}: ${run.calls.length} RMI calls, ` +
        `${run.expectations.filter((e) => e.passed).length}/${run.expectations.length} expectations passed`;
      if (failed) void vscode.window.showWarningMessage(`${summary}. See Problems and the Realm Lab output.`);
      else void vscode.window.showInformationMessage(summary);
    }),

    vscode.commands.registerCommand('realmLab.debugScenario', async (arg?: unknown) => {
      const doc = await scenarioFor(live, arg);
      if (!doc) return;
      const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
      await vscode.debug.startDebugging(folder, scenarioLaunch(doc));
    }),
  ];
}
