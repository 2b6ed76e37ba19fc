// Realm Lab's VS Code wiring. Activation is implicit (the realm-c language, our commands and the
// map panel's serializer) plus onDebugResolve:realm-lab; nothing here runs at startup. Everything
// a scenario does happens inside the embedded emulator: no file is written and no process is
// spawned, which is why the extension supports untrusted workspaces.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerEditorFeatures } from './editor';
import { DEBUG_TYPE, InlineAdapterFactory, ScenarioDebugConfigurations } from './debug-config';
import { registerLanguageFeatures, registerNavigation } from './language-features';
import { LiveScenarios } from './live';
import { GranuleMapPanel, MAP_VIEW_TYPE } from './map-panel';
import { registerMapViews } from './map-views';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Realm Lab');
  const map = new GranuleMapPanel(context.extensionUri);
  const live = new LiveScenarios(map);
  const debugConfigs = new ScenarioDebugConfigurations(live);

  context.subscriptions.push(
    output, map, live,
    ...registerCommands(live, map, output),
    ...registerLanguageFeatures(live),
    ...registerNavigation(live),
    ...registerEditorFeatures({ context, live, map, output }),
    ...registerMapViews({ context, live, map, output }),
    vscode.window.registerWebviewPanelSerializer(MAP_VIEW_TYPE, {
      // After a reload VS Code hands back the panel; the webview shows its saved state at once
      // and asks for a fresh one with `ready`.
      deserializeWebviewPanel: async (panel) => {
        map.attach(panel);
        const doc = live.activeScenario();
        if (doc) live.showInMap(doc);
      },
    }),
    map.onReveal(async ({ file, line }) => {
      try {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
        const pos = new vscode.Position(Math.max(0, line - 1), 0);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
      } catch {
        void vscode.window.showInformationMessage(`Realm Lab: ${file}:${line} is in the embedded host code, not in the workspace.`);
      }
    }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, debugConfigs),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, debugConfigs, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineAdapterFactory(live, map)),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
