// "Export Trace": the active scenario's run report (the JSON of `realm-lab run --json` and the
// golden traces: every RMI call with its checks and granule changes, leaks, WARNs,
// expectations) saved where the user picks in a save dialog.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { report, reportJson } from '../../run';
import { LANGUAGE_ID, type LiveScenarios } from '../live';

export const EXPORT_TRACE_COMMAND = 'realmLab.exportTrace';

export function registerExportTrace(live: LiveScenarios): vscode.Disposable {
  return vscode.commands.registerCommand(EXPORT_TRACE_COMMAND, async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const doc = arg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(arg).then((d) => d, () => undefined) : live.activeScenario();
    if (!doc || doc.languageId !== LANGUAGE_ID) {
      void vscode.window.showErrorMessage('Realm Lab: open a *.realm.c scenario to export the trace of its run.');
      return undefined;
    }
    // The trace of what the editor shows: a fresh run when the text changed since the last one.
    const result = live.result(doc);
    const run = result && result.version === doc.version && live.lastRun(doc) === result.run ? result.run : await live.runNow(doc);
    if (!run) {
      void vscode.window.showErrorMessage('Realm Lab: the scenario did not finish running, so there is no trace to export.');
      return undefined;
    }
    const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
    const base = path.basename(doc.uri.path).replace(/\.realm\.c$|\.c$/, '') || 'scenario';
    const folder = doc.uri.scheme === 'file' ? vscode.Uri.joinPath(doc.uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Realm Lab: export the run trace',
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}.trace.json`) : undefined,
      filters: { 'Realm Lab trace (JSON)': ['json'] },
      saveLabel: 'Export Trace',
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(reportJson(report(run, file))));
    void vscode.window.showInformationMessage(`Realm Lab: trace of ${path.basename(doc.uri.path)} (${run.calls.length} RMI calls) saved to ${path.basename(target.path)}.`);
    return target;
  });
}
