// The Granule Map panel: one webview panel that shows a "view" of an emulator: the live run of
// the scenario being edited, or a stopped debug session. It keeps the arrays it last sent, so
// each update is a small versioned delta; a webview that missed a version (or was reloaded,
// or hidden and re-shown) asks with `resync`/`ready` and gets the full state again.
import * as vscode from 'vscode';
import type { FromWebview, MapState, ToWebview } from '../protocol/granule-map';
import type { Rmm } from '../rmm';
import type { RmiCallEvent } from '../run';
import { mapHtml, mapResourceRoots } from './map-html';
import { captureArrays, changedIndices, deltaBetween, fullState, granuleDetails, hoverInfo, type MapArrays } from './map-state';

export const MAP_VIEW_TYPE = 'realmLab.granuleMap';

/** What the map shows. `key` names the source: a document URI, or a debug session. */
export interface MapView {
  key: string;
  file: string;
  at: string;
  rmm: Rmm;
  calls: readonly RmiCallEvent[];
  /** Highlight what changed since this earlier capture (the previous stop or edit). */
  since?: MapArrays;
  /** The granule arrays to show, when not the emulator's current state (e.g. the map at the cursor line). */
  arrays?: MapArrays;
}

interface Shown {
  view: MapView;
  arrays: MapArrays;
  changed: number[];
  stale?: string;
}

export class GranuleMapPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private version = 0;
  /** Version the webview is known to hold; undefined until it says `ready`. */
  private webviewVersion: number | undefined;
  private shown: Shown | undefined;
  private emptyMessage = 'Open a *.realm.c scenario to see its granules.';
  private readonly onRevealEmitter = new vscode.EventEmitter<{ file: string; line: number }>();
  /** The user clicked a history entry: reveal that line. */
  readonly onReveal = this.onRevealEmitter.event;
  private readonly onDidShowEmitter = new vscode.EventEmitter<MapView | undefined>();
  /** The map shows another view, or a new moment of the same one (undefined: nothing to show). */
  readonly onDidShow = this.onDidShowEmitter.event;
  /** A `select` waiting for the webview to be ready (the panel was just opened). */
  private pendingSelect: number | undefined;
  private readonly selectWaiters: { index: number; resolve: (ok: boolean) => void }[] = [];
  private pngSeq = 0;
  private readonly pngWaiters = new Map<number, { resolve: (png: { dataUrl: string; width: number; height: number }) => void; reject: (e: Error) => void }>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** The view on screen, if any. */
  get current(): MapView | undefined {
    return this.shown?.view;
  }

  /** Opens (or reveals) the panel beside the editor. */
  open(column = vscode.ViewColumn.Beside): void {
    if (this.panel) {
      this.panel.reveal(column, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(MAP_VIEW_TYPE, 'Granule Map', { viewColumn: column, preserveFocus: true }, {
      enableScripts: true, localResourceRoots: mapResourceRoots(this.extensionUri),
    });
    this.attach(panel);
  }

  /** Takes over a panel (a new one, or one VS Code restored after a reload). */
  attach(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    this.webviewVersion = undefined;
    panel.webview.options = { enableScripts: true, localResourceRoots: mapResourceRoots(this.extensionUri) };
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'granule-map.svg');
    panel.webview.html = mapHtml(panel.webview, this.extensionUri);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.webviewVersion = undefined;
          this.settleWaiters('the Granule Map was closed');
        }
      }),
    );
  }

  /** Shows a view: a delta when the webview already holds the same source, else a full state. */
  show(view: MapView): void {
    const arrays = view.arrays ?? captureArrays(view.rmm);
    const prev = this.shown;
    const changed = changedIndices(view.since ?? (prev?.view.key === view.key ? prev.arrays : undefined), arrays);
    this.shown = { view, arrays, changed };
    this.onDidShowEmitter.fire(view);
    const from = this.version;
    this.version++;
    if (prev && prev.view.key === view.key && this.webviewVersion === from) {
      const delta = deltaBetween(prev.arrays, arrays, { from, to: this.version, at: view.at, changed });
      if (delta) {
        this.post({ type: 'delta', delta });
        this.webviewVersion = this.version;
        return;
      }
    }
    this.sendFull();
  }

  /** The source no longer compiles or failed: keep the last map, marked stale with the reason. */
  markStale(key: string, reason: string): void {
    if (!this.shown || this.shown.view.key !== key) return;
    this.shown.stale = reason;
    this.post({ type: 'stale', version: this.version, reason });
  }

  /** Nothing to show (e.g. the map was restored and no scenario is open yet). */
  showEmpty(message: string): void {
    this.shown = undefined;
    this.emptyMessage = message;
    this.post({ type: 'empty', message });
    this.onDidShowEmitter.fire(undefined);
  }

  /** The map on screen as a full state message (what an export saves), or undefined when empty. */
  currentState(): MapState | undefined {
    const s = this.shown;
    if (!s) return undefined;
    return fullState(s.view.rmm, s.arrays, { version: this.version, file: s.view.file, at: s.view.at, changed: s.changed, stale: s.stale });
  }

  /**
   * Scrolls the webview to granule `index`, outlines it and opens its history. Resolves true once
   * the webview says it did, false when it cannot (no such granule, panel closed, no answer in time).
   */
  select(index: number, timeoutMs = 5000): Promise<boolean> {
    if (!this.panel) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiter = { index, resolve: (ok: boolean) => { clearTimeout(timer); resolve(ok); } };
      const timer = setTimeout(() => {
        const k = this.selectWaiters.indexOf(waiter);
        if (k >= 0) this.selectWaiters.splice(k, 1);
        resolve(false);
      }, timeoutMs);
      this.selectWaiters.push(waiter);
      if (this.webviewVersion === undefined) this.pendingSelect = index; // sent after the full state
      else this.post({ type: 'select', index });
    });
  }

  /** The map rendered by the webview at one pixel per granule, as a PNG data URL. */
  exportPng(timeoutMs = 15_000): Promise<{ dataUrl: string; width: number; height: number }> {
    if (!this.panel || !this.shown) return Promise.reject(new Error('the Granule Map is not open or shows no map'));
    const id = ++this.pngSeq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.pngWaiters.delete(id); reject(new Error(`the Granule Map did not render the PNG within ${timeoutMs / 1000} s`)); }, timeoutMs);
      this.pngWaiters.set(id, {
        resolve: (png) => { clearTimeout(timer); resolve(png); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.post({ type: 'exportPng', id });
    });
  }

  private settleWaiters(reason: string): void {
    this.pendingSelect = undefined;
    for (const w of this.selectWaiters.splice(0)) w.resolve(false);
    for (const w of this.pngWaiters.values()) w.reject(new Error(reason));
    this.pngWaiters.clear();
  }

  private sendFull(): void {
    const s = this.shown;
    if (!s) {
      this.post({ type: 'empty', message: this.emptyMessage });
      return;
    }
    const state = fullState(s.view.rmm, s.arrays, { version: this.version, file: s.view.file, at: s.view.at, changed: s.changed, stale: s.stale });
    this.post({ type: 'state', state });
    this.webviewVersion = this.version;
    if (this.pendingSelect !== undefined) {
      this.post({ type: 'select', index: this.pendingSelect });
      this.pendingSelect = undefined;
    }
  }

  private post(m: ToWebview): void {
    void this.panel?.webview.postMessage(m);
  }

  /** Messages from the webview are untrusted input: anything malformed is ignored. */
  private receive(raw: unknown): void {
    const m = raw as Partial<FromWebview> | undefined;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
    switch (m.type) {
      case 'ready':
      case 'resync':
        this.sendFull();
        break;
      case 'inspect': {
        const index = (m as { index?: unknown }).index;
        const s = this.shown;
        if (!s || typeof index !== 'number') return;
        const details = granuleDetails(s.view.rmm, s.view.calls, index, s.view.arrays ? s.arrays : undefined);
        if (details) this.post({ type: 'details', details });
        break;
      }
      case 'hover': {
        const index = (m as { index?: unknown }).index;
        const s = this.shown;
        if (!s || typeof index !== 'number') return;
        const info = hoverInfo(s.view.rmm, s.view.calls, index, !s.view.arrays);
        if (info) this.post({ type: 'hoverInfo', info });
        break;
      }
      case 'reveal': {
        const { file, line } = m as { file?: unknown; line?: unknown };
        if (typeof file === 'string' && typeof line === 'number' && Number.isInteger(line) && line > 0) this.onRevealEmitter.fire({ file, line });
        break;
      }
      case 'selected': {
        const { index, ok } = m as { index?: unknown; ok?: unknown };
        const k = this.selectWaiters.findIndex((w) => w.index === index);
        if (k >= 0) this.selectWaiters.splice(k, 1)[0].resolve(ok === true);
        break;
      }
      case 'png': {
        const { id, dataUrl, width, height, error } = m as { id?: unknown; dataUrl?: unknown; width?: unknown; height?: unknown; error?: unknown };
        const w = typeof id === 'number' ? this.pngWaiters.get(id) : undefined;
        if (!w) return;
        this.pngWaiters.delete(id as number);
        if (typeof dataUrl === 'string' && dataUrl.startsWith('data:image/png;base64,')) w.resolve({ dataUrl, width: Number(width) || 0, height: Number(height) || 0 });
        else w.reject(new Error(typeof error === 'string' ? error : 'the Granule Map sent no PNG'));
        break;
      }
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
    this.settleWaiters('the extension is shutting down');
    this.onRevealEmitter.dispose();
    this.onDidShowEmitter.dispose();
  }
}
