// Views around the Granule Map (issue 6): the realms tree, map and trace export. Registered at activation.
import type * as vscode from 'vscode';
import type { FeatureContext } from '../features';

export function registerMapViews(_f: FeatureContext): vscode.Disposable[] {
  return [];
}
