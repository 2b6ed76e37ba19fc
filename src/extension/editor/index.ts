// Editor features (issue 7): commands (New Scenario, Sweep Faults, Copy Host Code, Show RMI
// Reference, Export Trace), the Fault Sweep view, code lenses, the profile / host status bar
// item with its per-document override, and semantic highlighting. Snippets are contributed
// statically (snippets/realm-c.json). Registered at activation.
import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../live';
import type { FeatureContext } from '../features';
import { ScenarioCodeLenses } from './code-lens';
import { registerCopyHostCode } from './copy-host';
import { registerExportTrace } from './export-trace';
import { registerLaunchOverrides } from './launch-overrides';
import { registerNewScenario } from './new-scenario';
import { initOverrides } from './overrides';
import { registerReference } from './reference-doc';
import { registerSemanticTokens } from './semantic-tokens';
import { ScenarioStatusBar } from './status-bar';
import { registerSweepCommands } from './sweep-command';
import { SWEEP_VIEW_ID, SweepTree } from './sweep-tree';

export { overrideFor } from './overrides';

export function registerEditorFeatures(f: FeatureContext): vscode.Disposable[] {
  const tree = new SweepTree();
  const view = vscode.window.createTreeView(SWEEP_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const lenses = new ScenarioCodeLenses(f.live);
  return [
    initOverrides(f.context.workspaceState),
    tree, view, lenses,
    vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, lenses),
    new ScenarioStatusBar(f.live),
    registerLaunchOverrides(),
    registerNewScenario(),
    ...registerSweepCommands(f.live, tree, view),
    registerCopyHostCode(f.live),
    ...registerReference(f.live),
    registerExportTrace(f.live),
    registerSemanticTokens(),
  ];
}
