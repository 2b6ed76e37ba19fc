// What the feature modules of the extension get at activation: the shared services.
import type * as vscode from 'vscode';
import type { LiveScenarios } from './live';
import type { GranuleMapPanel } from './map-panel';

export interface FeatureContext {
  context: vscode.ExtensionContext;
  live: LiveScenarios;
  map: GranuleMapPanel;
  output: vscode.OutputChannel;
}
