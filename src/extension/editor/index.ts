// Editor features (issue 7): commands, code lenses, status bar, snippets. Registered at activation.
import type * as vscode from 'vscode';
import type { FeatureContext } from '../features';

export function registerEditorFeatures(_f: FeatureContext): vscode.Disposable[] {
  return [];
}
