// The "Fault Sweep" tree: the last sweep's points, those with problems first, each with its
// leaks, WARNs, failed expectations, misuse findings and runtime error as children. Clicking a
// point debugs the scenario with that point's fault injected, stopped on entry.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PointResult, SweepResult } from '../../run';

export const SWEEP_VIEW_ID = 'realmLab.sweepView';
export const DEBUG_POINT_COMMAND = 'realmLab.debugSweepPoint';

type Kind = 'summary' | 'point' | 'leak' | 'warn' | 'expectation' | 'finding' | 'error';

export interface SweepNode {
  kind: Kind;
  label: string;
  description?: string;
  tooltip?: string;
  icon: string;
  /** Problem points only: id of the point, for the debug command. */
  pointId?: number;
  /** Where a detail happened, when it is a file that can be opened. */
  location?: { file: string; line: number };
  children: SweepNode[];
}

/** A point's problems, in words: "2 leaks, 1 WARN". */
export function describePoint(p: PointResult): string {
  const parts: string[] = [];
  const n = (k: number, one: string, many = `${one}s`) => { if (k) parts.push(`${k} ${k === 1 ? one : many}`); };
  if (p.error) parts.push('runtime error');
  n(p.failedExpectations.length, 'failed expectation');
  n(p.leaks.length, 'leak');
  n(p.warnings.length, 'WARN');
  n(p.findings.length, 'misuse finding');
  if (!parts.length) parts.push(p.fired ? 'ok' : 'ok (the fault never fired)');
  return parts.join(', ');
}

const isProblem = (p: PointResult) => !p.ok || p.warnings.length > 0 || p.findings.length > 0;

function pointIcon(p: PointResult): string {
  if (p.error || p.failedExpectations.length) return 'error';
  if (isProblem(p)) return 'warning';
  return 'pass';
}

function pointNode(p: PointResult): SweepNode {
  const at = (file: string, line: number) => ({ file, line });
  const children: SweepNode[] = [
    ...(p.error ? [{ kind: 'error' as const, label: p.error.message, description: `${path.basename(p.error.file)}:${p.error.line}`, icon: 'error', location: at(p.error.file, p.error.line), children: [] }] : []),
    ...p.failedExpectations.map((e) => ({ kind: 'expectation' as const, label: e.message, description: `${path.basename(e.file)}:${e.line}`, icon: 'close', location: at(e.file, e.line), children: [] })),
    ...p.leaks.map((l) => ({ kind: 'leak' as const, label: `leak: ${l.message}`, description: l.kind === 'host' ? 'host lost the page' : 'DELEGATED, unused', icon: 'debug-disconnect', location: l.cause ? at(l.cause.file, l.cause.line) : undefined, children: [] })),
    ...p.warnings.map((w) => ({ kind: 'warn' as const, label: w.text, description: `${path.basename(w.file)}:${w.line}`, icon: 'warning', location: at(w.file, w.line), children: [] })),
    ...p.findings.map((f) => ({ kind: 'finding' as const, label: f.message, description: `call #${f.seq}`, icon: 'search', children: [] })),
  ];
  return {
    kind: 'point', label: p.label, description: describePoint(p), icon: pointIcon(p), pointId: p.id,
    tooltip: `${p.label}\nFault: ${p.fault.command} (call ${p.fault.nth}${p.fault.afterGranules === undefined ? '' : `, after ${p.fault.afterGranules} granules`}) -> ${p.fault.status}\nat ${path.basename(p.call.file)}:${p.call.line}\nClick to debug the scenario with this fault, stopped on entry.`,
    children,
  };
}

/** The tree of a sweep: a summary line, then problem points, then the points that passed. */
export function sweepNodes(r: SweepResult): SweepNode[] {
  const problems = r.points.filter(isProblem).length;
  const clean = r.clean;
  const summary: SweepNode = {
    kind: 'summary',
    label: `${path.basename(r.file)}: ${r.points.length}${r.cancelled ? ` of ${r.totalPoints}` : ''} points, ${problems} with problems`,
    description: `RMM ${r.profile} · host ${r.hostVariant}${r.cancelled ? ' · cancelled' : ''}`,
    icon: !clean.compiled || clean.error ? 'error' : problems ? 'warning' : 'pass',
    tooltip: !clean.compiled ? 'The scenario does not compile: no point was run.' : clean.error ? `The clean run failed: ${clean.error.message}` : 'The clean run and every point of the sweep.',
    children: [],
  };
  const points = [...r.points].sort((a, b) => Number(isProblem(b)) - Number(isProblem(a)) || a.id - b.id);
  return [summary, ...points.map(pointNode)];
}

/** The tree as plain data (what the Sweep Faults command returns). */
export interface SweepSnapshot {
  file: string;
  nodes: SweepNode[];
}

export class SweepTree implements vscode.TreeDataProvider<SweepNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SweepNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: SweepNode[] = [];
  /** The last sweep and the document it ran on. */
  result: { uri: vscode.Uri; sweep: SweepResult } | undefined;

  set(uri: vscode.Uri, sweep: SweepResult): void {
    this.result = { uri, sweep };
    this.nodes = sweepNodes(sweep);
    this.changed.fire(undefined);
  }

  snapshot(): SweepSnapshot | undefined {
    return this.result ? { file: this.result.sweep.file, nodes: this.nodes } : undefined;
  }

  getChildren(node?: SweepNode): SweepNode[] {
    return node ? node.children : this.nodes;
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(node: SweepNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.description = node.description;
    item.tooltip = node.tooltip ?? node.label;
    const color = node.icon === 'error' ? 'problemsErrorIcon.foreground' : node.icon === 'warning' ? 'problemsWarningIcon.foreground' : node.icon === 'pass' ? 'testing.iconPassed' : undefined;
    item.iconPath = new vscode.ThemeIcon(node.icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = node.kind;
    if (node.kind === 'point' && node.pointId !== undefined) {
      item.command = { command: DEBUG_POINT_COMMAND, title: 'Debug with this fault', arguments: [node.pointId] };
    } else if (node.location && path.isAbsolute(node.location.file)) {
      const line = Math.max(0, node.location.line - 1);
      item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(node.location.file), { selection: new vscode.Range(line, 0, line, 0) }] };
    }
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
