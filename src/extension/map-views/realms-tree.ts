// The "Realms" view: the realms, RECs, RTTs and DATA granules of the machine the Granule Map
// shows (realm-tree-model.ts builds the nodes). It follows the map: whenever the map shows a new
// view (live run, cursor line, debug stop) the tree is rebuilt, debounced, and VS Code keeps the
// nodes the user had open because ids are stable. Clicking a node selects its granule in the map.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LiveScenarios } from '../live';
import type { GranuleMapPanel, MapView } from '../map-panel';
import { RealmTreeModel, type NodeIcon, type TreeNode } from './realm-tree-model';

export const REALMS_VIEW_ID = 'realmLab.realms';
export const SELECT_GRANULE_COMMAND = 'realmLab.selectGranule';
/** A rebuild per cursor move would be wasted while the user holds an arrow key. */
const REFRESH_DELAY_MS = 120;

const ICONS: Record<NodeIcon, string> = {
  realm: 'vm', rec: 'debug-stackframe', rtt: 'list-tree', entry: 'symbol-field', data: 'file-binary', group: 'folder', page: 'ellipsis', aux: 'symbol-constant',
};

/** What the tree shows: the map's view, else (map never opened) the end of the active scenario's last run. */
export function treeSource(map: GranuleMapPanel, live: LiveScenarios): MapView | undefined {
  if (map.current) return map.current;
  if (live.debugView) return live.debugView;
  const doc = live.activeScenario();
  const r = doc && live.result(doc);
  if (!doc || !r) return undefined;
  return { key: doc.uri.toString(), file: path.basename(doc.uri.path), at: 'end of run', rmm: r.run.rmm, calls: r.run.calls };
}

export class RealmsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<TreeNode>;
  private model: RealmTreeModel | undefined;
  private source: MapView | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dirty = true;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly map: GranuleMapPanel, private readonly live: LiveScenarios) {
    this.view = vscode.window.createTreeView(REALMS_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view, this.changed,
      map.onDidShow(() => this.refreshSoon()),
      vscode.window.onDidChangeActiveTextEditor(() => { if (!map.current) this.refreshSoon(); }),
      // A hidden tree is not rebuilt; it catches up when it is shown again.
      this.view.onDidChangeVisibility((e) => { if (e.visible && this.dirty) this.refresh(); }),
    );
  }

  /** The top-level nodes as the tree shows them now (tests and the export read this). */
  roots(): TreeNode[] {
    this.ensureModel();
    return this.model?.roots() ?? [];
  }

  /** Which view the tree was last built from. */
  get shownView(): MapView | undefined {
    return this.source;
  }

  refreshSoon(): void {
    this.dirty = true;
    if (!this.view.visible) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; this.refresh(); }, REFRESH_DELAY_MS);
  }

  refresh(): void {
    this.dirty = true;
    this.model = undefined;
    this.ensureModel();
    this.changed.fire(undefined);
  }

  private ensureModel(): void {
    if (this.model && !this.dirty) return;
    this.dirty = false;
    const v = treeSource(this.map, this.live);
    this.source = v;
    this.model = v ? new RealmTreeModel({ rmm: v.rmm, states: v.arrays?.states }) : undefined;
    const realms = this.model?.realms().length ?? 0;
    this.view.description = v ? `${v.file}: ${v.at}` : undefined;
    if (!v) this.view.message = 'Open a *.realm.c scenario (and the Granule Map) to see its realms.';
    else if (realms === 0) this.view.message = `No realm exists ${v.arrays ? v.at : `at the ${v.at}`}.`;
    else if (v.arrays) this.view.message = `Objects present ${v.at}; their details are those at the end of the run.`;
    else this.view.message = undefined;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.roots();
    return node.children?.() ?? [];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state = !node.children ? vscode.TreeItemCollapsibleState.None
      : node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(ICONS[node.icon]);
    if (node.granule !== undefined) {
      item.contextValue = 'granule';
      item.command = { command: SELECT_GRANULE_COMMAND, title: 'Show in Granule Map', arguments: [node.granule] };
      item.accessibilityInformation = { label: `${node.label}, ${node.description ?? ''}. Press Enter to show it in the Granule Map.` };
    }
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
