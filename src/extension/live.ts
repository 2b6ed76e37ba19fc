// The live flow: while the user edits a *.realm.c scenario, re-run it (debounced, the previous
// run cancelled), publish what it found as diagnostics, decorate each line that made RMI calls
// with their statuses, and keep the Granule Map following the active scenario: at the end of
// the run, or after the line under the cursor. When an edit stops compiling, the last good map
// stays, marked stale.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Run, RunImpl } from '../run';
import { CallDecorations } from './call-decorations';
import { runDiagnostics, SOURCE } from './diagnostics';
import type { GranuleMapPanel, MapView } from './map-panel';
import { arraysAfterCalls, callsUpToLine } from './map-state';
import { runToEnd } from './scenario-run';
import { readWorkspaceFile, runOptionsFor, scenarioFileOf } from './scenario-options';

export const LANGUAGE_ID = 'realm-c';

/** The last run of a document that compiled, with the document version it ran. */
export interface LiveResult {
  run: Run & RunImpl;
  version: number;
  /** Lines (1-based) of the entry function's body, for the map at the cursor. */
  entry?: { line: number; endLine: number };
}

export class LiveScenarios implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('realm-lab');
  private readonly decorations = new CallDecorations();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly tokens = new Map<string, vscode.CancellationTokenSource>();
  private readonly results = new Map<string, LiveResult>();
  /** The latest finished run of each document, compiled or not (for Run Scenario's report). */
  private readonly lastRuns = new Map<string, Run & RunImpl>();
  private readonly disposables: vscode.Disposable[] = [];
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;
  /** While a debug session runs the map follows it (its last stop), not the editor. */
  debugView: MapView | undefined;

  constructor(private readonly map: GranuleMapPanel) {
    this.disposables.push(
      this.diagnostics, this.decorations,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) this.schedule(e.document); }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d)),
      vscode.window.onDidChangeActiveTextEditor((e) => { if (e) this.showInMap(e.document); }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.redecorate()),
      vscode.window.onDidChangeTextEditorSelection((e) => this.cursorMoved(e.textEditor)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('realmLab')) for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** The scenario the map should show: the active editor's, else a visible one. */
  activeScenario(): vscode.TextDocument | undefined {
    const active = vscode.window.activeTextEditor?.document;
    if (active?.languageId === LANGUAGE_ID) return active;
    return vscode.window.visibleTextEditors.map((e) => e.document).find((d) => d.languageId === LANGUAGE_ID);
  }

  /** Runs a document now (no debounce); resolves when its run has finished (or was superseded). */
  async runNow(doc: vscode.TextDocument): Promise<(Run & RunImpl) | undefined> {
    this.clearTimer(doc);
    await this.runDocument(doc);
    return this.lastRuns.get(doc.uri.toString());
  }

  lastRun(doc: vscode.TextDocument): (Run & RunImpl) | undefined {
    return this.lastRuns.get(doc.uri.toString());
  }

  result(doc: vscode.TextDocument): LiveResult | undefined {
    return this.results.get(doc.uri.toString());
  }

  /** Puts the document's latest result (or its stale marker) into the map, when the map is open. */
  showInMap(doc: vscode.TextDocument): void {
    if (!this.map.isOpen) return;
    if (this.debugView) {
      this.map.show(this.debugView);
      return;
    }
    if (doc.languageId !== LANGUAGE_ID) return;
    const r = this.results.get(doc.uri.toString());
    if (!r) {
      void this.runNow(doc);
      return;
    }
    this.map.show(this.viewOf(doc, r));
    if (r.version !== doc.version) this.schedule(doc, 0);
  }

  /** The map for a result: after the cursor's line when it is inside scenario(), else the end of the run. */
  private viewOf(doc: vscode.TextDocument, r: LiveResult): MapView {
    const base = { key: doc.uri.toString(), file: path.basename(doc.uri.path), rmm: r.run.rmm, calls: r.run.calls };
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const followCursor = vscode.workspace.getConfiguration('realmLab', doc.uri).get<boolean>('map.followCursor', true);
    const line = editor ? editor.selection.active.line + 1 : 0;
    if (followCursor && r.entry && line > r.entry.line && line < r.entry.endLine) {
      const n = callsUpToLine(r.run.calls, line);
      return { ...base, calls: r.run.calls.slice(0, n), at: `after line ${line} (${n} of ${r.run.calls.length} RMI calls)`, arrays: arraysAfterCalls(r.run.rmm, r.run.calls, n) };
    }
    return { ...base, at: r.run.error ? `stopped by an error at line ${r.run.error.range.line}` : 'end of run' };
  }

  private cursorMoved(editor: vscode.TextEditor): void {
    if (editor.document.languageId !== LANGUAGE_ID || editor !== vscode.window.activeTextEditor) return;
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => this.showInMap(editor.document), 60);
  }

  private schedule(doc: vscode.TextDocument, delay?: number): void {
    if (doc.languageId !== LANGUAGE_ID) return;
    const ms = delay ?? vscode.workspace.getConfiguration('realmLab').get<number>('live.delayMs', 300);
    this.clearTimer(doc);
    this.tokens.get(doc.uri.toString())?.cancel();
    this.timers.set(doc.uri.toString(), setTimeout(() => {
      this.timers.delete(doc.uri.toString());
      void this.runDocument(doc);
    }, ms));
  }

  private clearTimer(doc: vscode.TextDocument): void {
    const t = this.timers.get(doc.uri.toString());
    if (t) clearTimeout(t);
    this.timers.delete(doc.uri.toString());
  }

  private async runDocument(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    this.tokens.get(key)?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.tokens.set(key, cts);
    const version = doc.version;
    let run: (Run & RunImpl) | undefined;
    try {
      run = await runToEnd(runOptionsFor(doc, readWorkspaceFile), cts.token);
    } catch (e) {
      // A failure inside the emulator or interpreter must never take the extension host down.
      const message = e instanceof Error ? e.message : String(e);
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `Realm Lab could not run this scenario: ${message}`, vscode.DiagnosticSeverity.Error);
      d.source = SOURCE;
      this.diagnostics.set(doc.uri, [d]);
      this.map.markStale(key, message);
      return;
    } finally {
      if (this.tokens.get(key) === cts) this.tokens.delete(key);
      cts.dispose();
    }
    if (!run || doc.isClosed || doc.version !== version) return; // cancelled or outdated
    this.lastRuns.set(key, run);
    this.publish(doc, run);
    const firstError = run.diagnostics.find((d) => d.severity === 'error');
    if (firstError) {
      this.map.markStale(key, `line ${firstError.range.line}: ${firstError.message}`);
      return;
    }
    const entrySym = run.program?.globalScope.get('scenario');
    const body = entrySym?.k === 'func' ? entrySym.fn.body?.range : undefined;
    const entry = body ? { line: body.line, endLine: body.endLine } : undefined;
    const result: LiveResult = { run, version, entry };
    this.results.set(key, result);
    this.decorations.set(doc, result);
    if (this.activeScenario() === doc) this.showInMap(doc);
  }

  private publish(doc: vscode.TextDocument, run: Run & RunImpl): void {
    const self = scenarioFileOf(doc);
    const byFile = runDiagnostics(run, self);
    this.diagnostics.set(doc.uri, byFile.get(self) ?? []);
    for (const [file, list] of byFile) {
      if (file !== self && path.isAbsolute(file)) this.diagnostics.set(vscode.Uri.file(file), list);
    }
  }

  private redecorate(): void {
    for (const e of vscode.window.visibleTextEditors) {
      const r = this.results.get(e.document.uri.toString());
      if (r && r.version === e.document.version) this.decorations.set(e.document, r);
    }
  }

  private forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.clearTimer(doc);
    this.tokens.get(key)?.cancel();
    this.results.delete(key);
    this.lastRuns.delete(key);
    this.diagnostics.delete(doc.uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    for (const c of this.tokens.values()) c.cancel();
    for (const d of this.disposables) d.dispose();
  }
}
