// Commands around the Granule Map: select a granule (from the realms tree), copy a granule's
// address and show its history (the map's right-click menu, the tree's context menu), and the
// exports. The exports write only where the user chose in a save dialog (or the Uri a caller
// passed), which is why they stay enabled in untrusted workspaces: nothing the workspace contains
// decides what is written or where.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { report } from '../../run';
import type { LiveScenarios } from '../live';
import type { GranuleMapPanel, MapView } from '../map-panel';
import { exportFileName, mapExport, pngBytes, pngSize } from './export-document';
import type { TreeNode } from './realm-tree-model';
import { SELECT_GRANULE_COMMAND } from './realms-tree';

export const COPY_ADDRESS_COMMAND = 'realmLab.copyGranuleAddress';
export const SHOW_HISTORY_COMMAND = 'realmLab.showGranuleHistory';
export const EXPORT_JSON_COMMAND = 'realmLab.exportGranuleMapJson';
export const EXPORT_PNG_COMMAND = 'realmLab.exportGranuleMapPng';

/** What `webview/context` menu commands receive: the webview's data-vscode-context (see map-input.ts). */
interface GranuleContext { webviewSection?: unknown; granuleIndex?: unknown; granulePa?: unknown }

/** A granule index from any of the argument shapes: a number, a tree node, a webview context. */
export function granuleArg(arg: unknown): number | undefined {
  if (typeof arg === 'number') return Number.isInteger(arg) && arg >= 0 ? arg : undefined;
  if (arg && typeof arg === 'object') {
    const a = arg as Partial<TreeNode> & GranuleContext;
    const i = a.granuleIndex ?? a.granule;
    if (typeof i === 'number' && Number.isInteger(i) && i >= 0) return i;
  }
  return undefined;
}

function paArg(arg: unknown): string | undefined {
  if (arg && typeof arg === 'object') {
    const a = arg as Partial<TreeNode> & GranuleContext;
    const pa = a.granulePa ?? a.pa;
    if (typeof pa === 'string' && /^0x[0-9a-f_]+$/i.test(pa)) return pa;
  }
  return undefined;
}

export function registerMapCommands(map: GranuleMapPanel, live: LiveScenarios): vscode.Disposable[] {
  /** Opens the map (on the active scenario or debug session) when closed, then selects the granule. */
  const select = async (arg: unknown): Promise<{ index: number; shown: boolean } | undefined> => {
    const index = granuleArg(arg);
    if (index === undefined) {
      void vscode.window.showErrorMessage('Realm Lab: no granule to show (expected a granule index).');
      return undefined;
    }
    if (!map.isOpen) await vscode.commands.executeCommand('realmLab.openGranuleMap');
    const count = map.current?.rmm.st.granules.count ?? 0;
    if (!map.isOpen || index >= count) {
      void vscode.window.showErrorMessage(map.isOpen
        ? `Realm Lab: the map has no granule ${index} (it has ${count}).`
        : 'Realm Lab: open a *.realm.c scenario to see its Granule Map.');
      return { index, shown: false };
    }
    return { index, shown: await map.select(index) };
  };

  return [
    vscode.commands.registerCommand(SELECT_GRANULE_COMMAND, select),
    vscode.commands.registerCommand(SHOW_HISTORY_COMMAND, select),

    vscode.commands.registerCommand(COPY_ADDRESS_COMMAND, async (arg?: unknown) => {
      const pa = paArg(arg);
      if (!pa) {
        void vscode.window.showErrorMessage('Realm Lab: right-click a granule in the Granule Map (or the Realms view) to copy its address.');
        return undefined;
      }
      await vscode.env.clipboard.writeText(pa);
      vscode.window.setStatusBarMessage(`Realm Lab: copied ${pa}`, 3000);
      return pa;
    }),

    vscode.commands.registerCommand(EXPORT_JSON_COMMAND, async (target?: unknown) => {
      const state = map.currentState();
      const view = map.current;
      if (!state || !view) {
        void vscode.window.showErrorMessage('Realm Lab: the Granule Map shows nothing to export. Open a scenario and its map first.');
        return undefined;
      }
      const uri = await targetUri(target, view, 'json');
      if (!uri) return undefined;
      const run = runOf(view, live);
      const doc = mapExport(state, run ? report(run.run, run.file) : undefined,
        view.key.startsWith('debug:') ? 'a debug session has no finished run: only the map is exported' : 'the scenario has no finished run');
      return write(uri, new TextEncoder().encode(JSON.stringify(doc, null, 1) + '\n'), `the Granule Map of ${view.file}`);
    }),

    vscode.commands.registerCommand(EXPORT_PNG_COMMAND, async (target?: unknown) => {
      const view = map.current;
      if (!map.isOpen || !view) {
        void vscode.window.showErrorMessage('Realm Lab: open the Granule Map first: the PNG is rendered by the map itself.');
        return undefined;
      }
      const uri = await targetUri(target, view, 'png');
      if (!uri) return undefined;
      let bytes: Uint8Array;
      try {
        bytes = pngBytes((await map.exportPng()).dataUrl);
      } catch (e) {
        void vscode.window.showErrorMessage(`Realm Lab: could not render the map as PNG: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
      const { width, height } = pngSize(bytes);
      return write(uri, bytes, `the Granule Map of ${view.file} (${width} x ${height} px, one pixel per granule)`);
    }),
  ];
}

/** The finished live run behind a view (the export's report); none for a debug session. */
function runOf(view: MapView, live: LiveScenarios): { run: NonNullable<ReturnType<LiveScenarios['lastRun']>>; file: string } | undefined {
  if (view.key.startsWith('debug:')) return undefined;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === view.key);
  const run = doc && live.result(doc)?.run;
  return doc && run ? { run, file: doc.uri.fsPath } : undefined;
}

/** The file Uri a caller passed (tests, other extensions), else the user's choice in a save dialog. */
async function targetUri(target: unknown, view: MapView, ext: 'json' | 'png'): Promise<vscode.Uri | undefined> {
  // Menus pass their own context (the editor title passes the active editor's resource): only a
  // Uri naming a .json/.png file is a target, anything else means "ask".
  if (target instanceof vscode.Uri && target.path.toLowerCase().endsWith(`.${ext}`)) return target;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = exportFileName(path.basename(view.file), ext);
  return vscode.window.showSaveDialog({
    title: ext === 'json' ? 'Export Granule Map as JSON' : 'Export Granule Map as PNG',
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: ext === 'json' ? { JSON: ['json'] } : { 'PNG image': ['png'] },
  });
}

async function write(uri: vscode.Uri, bytes: Uint8Array, what: string): Promise<vscode.Uri | undefined> {
  try {
    await vscode.workspace.fs.writeFile(uri, bytes);
  } catch (e) {
    void vscode.window.showErrorMessage(`Realm Lab: could not write ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  void vscode.window.showInformationMessage(`Realm Lab: saved ${what} to ${path.basename(uri.path)}.`);
  return uri;
}
