// Debugging without a launch.json: F5, the editor's Run/Debug buttons and "Debug Scenario" all
// end up here, and a missing `program` becomes the active scenario. The adapter runs inline in
// the extension host (no process is spawned, so restricted mode is honoured), with hooks that
// let the Granule Map follow the session.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RealmDebugSession } from '../debug';
import type { RunImpl } from '../run';
import { LANGUAGE_ID, type LiveScenarios } from './live';
import type { GranuleMapPanel } from './map-panel';
import { readWorkspaceFile } from './scenario-options';

export const DEBUG_TYPE = 'realm-lab';

export function scenarioLaunch(doc: vscode.TextDocument | vscode.Uri, stopOnEntry = true): vscode.DebugConfiguration {
  const uri = doc instanceof vscode.Uri ? doc : doc.uri;
  return { type: DEBUG_TYPE, request: 'launch', name: `Debug ${path.basename(uri.path)}`, program: uri.fsPath, stopOnEntry };
}

export class ScenarioDebugConfigurations implements vscode.DebugConfigurationProvider {
  constructor(private readonly live: LiveScenarios) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    const docs = vscode.workspace.textDocuments.filter((d) => d.languageId === LANGUAGE_ID && !d.isClosed);
    return docs.map((d) => scenarioLaunch(d));
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (!config.type && !config.request && !config.name) {
      const doc = this.live.activeScenario();
      if (doc) return scenarioLaunch(doc);
    }
    if (!config.program || typeof config.program !== 'string') {
      void vscode.window.showErrorMessage('Realm Lab: there is no scenario to debug. Open a *.realm.c file, or set "program" in the launch configuration.');
      return undefined;
    }
    return { stopOnEntry: true, ...config, type: DEBUG_TYPE, request: config.request ?? 'launch', name: config.name ?? 'Debug scenario' };
  }
}

/** Creates an inline adapter per session; when it stops, the map shows the session's machine. */
export class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly live: LiveScenarios, private readonly map: GranuleMapPanel) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    const key = `debug:${session.id}`;
    const file = path.basename(String(session.configuration.program ?? 'scenario'));
    const adapter = new RealmDebugSession({
      readFile: readWorkspaceFile,
      onStopped: (run: RunImpl, reason: string) => {
        const top = run.frames()[0];
        const at = run.finished ? `end of the debug session (${run.steps} statements)` : `stopped at ${path.basename(top?.range.file ?? file)}:${top?.range.line ?? '?'} on ${reason}, after ${run.steps} statements`;
        // Same key at every stop: the panel highlights what changed since the previous stop.
        this.live.debugView = { key, file, at, rmm: run.rmm, calls: run.calls };
        if (this.map.isOpen) this.map.show(this.live.debugView);
      },
      onTerminated: () => {
        if (this.live.debugView?.key === key) this.live.debugView = undefined;
        const doc = this.live.activeScenario();
        if (doc) this.live.showInMap(doc);
      },
    });
    return new vscode.DebugAdapterInlineImplementation(adapter as unknown as vscode.DebugAdapter);
  }
}

