// Views around the Granule Map (issue 6): the Realms tree linked to the map, the map's context
// menu commands and the JSON/PNG exports. Registered at activation.
import * as vscode from 'vscode';
import type { FeatureContext } from '../features';
import { registerMapCommands } from './map-commands';
import { RealmsTree } from './realms-tree';
import { describeNodes } from './tree-probe';

/** Set once the extension is active: the Realms view is contributed with `when` on it, so it never activates the extension by itself. */
const READY_CONTEXT = 'realmLab.mapViewsReady';
/** Returns the Realms tree as plain data (for the extension-host tests and automation); not in the palette. */
export const DESCRIBE_TREE_COMMAND = 'realmLab.describeRealmsTree';

export function registerMapViews(f: FeatureContext): vscode.Disposable[] {
  const tree = new RealmsTree(f.map, f.live);
  void vscode.commands.executeCommand('setContext', READY_CONTEXT, true);
  return [
    tree,
    ...registerMapCommands(f.map, f.live),
    vscode.commands.registerCommand(DESCRIBE_TREE_COMMAND, (depth?: unknown) => {
      tree.refresh();
      const v = tree.shownView;
      return { file: v?.file, at: v?.at, key: v?.key, nodes: describeNodes(tree.roots(), typeof depth === 'number' ? depth : 3) };
    }),
  ];
}
