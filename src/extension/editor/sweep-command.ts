// "Sweep Faults": the active scenario's fault sweep with a cancellable progress notification,
// its points in the Fault Sweep view; and the command behind a point, which debugs the
// scenario with that one fault injected (launch attribute `faults`), stopped where the fault fires
// (`stopOnFault`).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { scenarioLaunch } from '../debug-config';
import { LANGUAGE_ID, type LiveScenarios } from '../live';
import { withOverride } from './launch-overrides';
import { SweepError, sweepInProcess, sweepOptionsFor } from './sweep-run';
import { DEBUG_POINT_COMMAND, SWEEP_VIEW_ID, type SweepSnapshot, type SweepTree } from './sweep-tree';

export const SWEEP_COMMAND = 'realmLab.sweepFaults';

async function scenarioDoc(live: LiveScenarios, arg: unknown): Promise<vscode.TextDocument | undefined> {
  const doc = arg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(arg).then((d) => d, () => undefined) : live.activeScenario();
  if (!doc || doc.languageId !== LANGUAGE_ID) {
    void vscode.window.showErrorMessage('Realm Lab: open a *.realm.c scenario to sweep its faults.');
    return undefined;
  }
  return doc;
}

export function registerSweepCommands(live: LiveScenarios, tree: SweepTree, view: vscode.TreeView<unknown>): vscode.Disposable[] {
  let running = false;
  return [
    /** Resolves with what the view shows (undefined when nothing ran). */
    vscode.commands.registerCommand(SWEEP_COMMAND, async (arg?: unknown): Promise<SweepSnapshot | undefined> => {
      const doc = await scenarioDoc(live, arg);
      if (!doc) return undefined;
      if (running) {
        void vscode.window.showInformationMessage('Realm Lab: a sweep is already running; cancel it from its notification first.');
        return undefined;
      }
      const name = path.basename(doc.uri.path);
      running = true;
      try {
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Realm Lab: sweeping ${name}`, cancellable: true },
          async (progress, token) => {
            progress.report({ message: 'clean run…' });
            let shown = 0;
            return sweepInProcess(sweepOptionsFor(doc, live), token, {
              report(done, total, last) {
                const pct = Math.floor((100 * done) / Math.max(1, total));
                progress.report({ increment: pct - shown, message: `${done}/${total}: ${last.label}` });
                shown = pct;
              },
            });
          },
        );
        tree.set(doc.uri, result);
        await vscode.commands.executeCommand(`${SWEEP_VIEW_ID}.focus`);
        const problems = result.points.filter((p) => !p.ok).length;
        if (!result.clean.compiled) {
          void vscode.window.showErrorMessage(`Realm Lab: ${name} does not compile, so no fault was injected. See Problems.`);
        } else if (result.clean.error) {
          void vscode.window.showErrorMessage(`Realm Lab: the clean run of ${name} fails (${result.clean.error.message}), so no fault was injected.`);
        } else {
          const msg = `Realm Lab: ${name}: ${result.points.length}${result.cancelled ? ` of ${result.totalPoints}` : ''} fault points, ${problems} with leaks, failed expectations or errors.`;
          void (problems ? vscode.window.showWarningMessage(msg) : vscode.window.showInformationMessage(msg));
        }
        view.message = result.cancelled ? `Cancelled: ${result.points.length} of ${result.totalPoints} points were run.` : undefined;
        return tree.snapshot();
      } catch (e) {
        // A sweep too big, or a bad status setting: the sweep layer says what to change.
        const message = e instanceof SweepError || e instanceof Error ? e.message : String(e);
        void vscode.window.showErrorMessage(`Realm Lab: cannot sweep ${name}: ${message}`);
        return undefined;
      } finally {
        running = false;
      }
    }),

    vscode.commands.registerCommand(DEBUG_POINT_COMMAND, async (id?: unknown): Promise<boolean> => {
      const last = tree.result;
      const point = last?.sweep.points.find((p) => p.id === id);
      if (!last || !point) {
        void vscode.window.showErrorMessage('Realm Lab: that sweep point is gone; run Sweep Faults again.');
        return false;
      }
      if (last.uri.scheme !== 'file') {
        void vscode.window.showErrorMessage('Realm Lab: save the scenario to a file to debug a sweep point (the debugger reads it from disk or its open editor).');
        return false;
      }
      const config = withOverride({
        ...scenarioLaunch(last.uri, false),
        name: `Debug ${path.basename(last.uri.path)}: ${point.label}`,
        faults: [{ ...point.fault }],
        // Stop where the injected fault decides the call: the moment the sweep point is about.
        stopOnFault: true,
        // The sweep's own machine: the point must replay exactly what the sweep ran.
        profile: last.sweep.profile,
        hostVariant: last.sweep.hostVariant,
      });
      return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(last.uri), config);
    }),
  ];
}
