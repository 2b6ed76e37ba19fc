// The Granule Map page: builds the DOM once, holds the model and the view settings, and routes
// messages between the extension and the parts (canvas, legend, details, search).
import { hexPa, type GranuleDetails, type GranuleHoverInfo, type MapDelta, type MapState, type ToWebview } from '../protocol/granule-map';
import { locateAddress } from './model/address';
import { announce, granuleFacts } from './model/describe';
import { MAX_CELL, MIN_CELL } from './model/layout';
import { MapModel } from './model/map-model';
import type { Palette } from './model/palette';
import type { ColourMode, PaintOptions } from './model/pixels';
import { DEFAULT_UI, restoreState, type UiState } from './model/ui-state';
import { renderDetails, detailsPending } from './view/details';
import { h } from './view/dom';
import { renderLegend, renderRealms } from './view/legend';
import { MapCanvas } from './view/map-canvas';
import { readPalette, watchTheme } from './view/theme';
import { hideTooltip, showTooltip } from './view/tooltip';
import type { VsCodeApi } from './vscode-api';

/** Saving the map (re-encoding it) after every delta would be wasted work while the user types. */
const SAVE_DELAY_MS = 300;
/** Run-length entries of a map worth keeping in setState (a typical map has a few hundred). */
const MAX_SAVED_RUNS = 200_000;

export class GranuleMapApp {
  private model = new MapModel();
  private palette: Palette;
  private ui: UiState = { ...DEFAULT_UI };
  private stateFilter = new Set<number>();
  private realmFilter = new Set<number>();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private map: MapCanvas;
  private els: {
    title: HTMLElement; at: HTMLElement; stale: HTMLElement; summary: HTMLElement; legend: HTMLUListElement;
    realms: HTMLUListElement; details: HTMLElement; tooltip: HTMLElement; search: HTMLInputElement;
    searchMessage: HTMLElement; zoomLevel: HTMLElement; mode: HTMLButtonElement; clear: HTMLButtonElement;
    cursor: HTMLElement; pane: HTMLElement; canvas: HTMLCanvasElement;
  };

  constructor(private root: HTMLElement, private vscode: VsCodeApi) {
    this.els = this.build();
    this.palette = readPalette([]);
    this.map = new MapCanvas(this.els.canvas, this.model, () => this.palette, () => this.paintOptions(), {
      hover: (i, x, y) => this.hover(i, x, y),
      leave: () => { this.hovered = undefined; hideTooltip(this.els.tooltip); },
      activate: (i) => this.inspect(i),
      focusMoved: (i) => this.showCursor(i),
      // The tooltip describes the cell under a pointer that did not move: once the map moves, it is wrong.
      viewChanged: () => { hideTooltip(this.els.tooltip); this.showZoom(); this.saveSoon(); },
    });
    watchTheme(() => this.themeChanged());
    new ResizeObserver(([e]) => this.map.resize(e.contentRect.width, e.contentRect.height)).observe(this.els.pane);
    window.addEventListener('message', (e: MessageEvent<ToWebview>) => this.receive(e.data));
    // + and - zoom from anywhere on the page except while typing (the canvas handles its own keys).
    document.addEventListener('keydown', (e) => {
      const t = e.target as HTMLElement | null;
      if (e.defaultPrevented || t === this.els.canvas || t?.closest('input, textarea')) return;
      if (e.key === '+' || e.key === '=') { e.preventDefault(); this.map.zoom(1); }
      else if (e.key === '-') { e.preventDefault(); this.map.zoom(-1); }
    });
  }

  /** Shows what an earlier instance of this page kept (if anything), then asks for the current map. */
  start(): void {
    const saved = restoreState(this.vscode.getState());
    this.ui = saved.ui;
    this.stateFilter = new Set(saved.ui.stateFilter);
    this.realmFilter = new Set(saved.ui.realmFilter);
    if (saved.map) {
      try {
        this.showState(saved.map, false);
        if (saved.ui.cell !== undefined) this.map.setCell(saved.ui.cell);
        this.map.setScroll(saved.ui.scrollX, saved.ui.scrollY);
        this.map.focus = saved.ui.focus;
      } catch {
        // A saved map from an older version of the page: ignore it, the extension sends a new one.
      }
    }
    this.vscode.postMessage({ type: 'ready' });
  }

  private build() {
    const title = h('span', { id: 'title' });
    const at = h('span', { id: 'at' });
    const stale = h('span', { id: 'stale', role: 'status', hidden: true });
    const search = h('input', { id: 'search', type: 'search', placeholder: 'PA, e.g. 0x8000_1000', 'aria-label': 'Go to physical address', spellcheck: 'false', autocomplete: 'off' });
    const searchMessage = h('span', { id: 'search-message', role: 'status', 'aria-live': 'polite' });
    const zoomOut = h('button', { type: 'button', id: 'zoom-out', 'aria-label': 'Zoom out', title: 'Zoom out (-)' }, '\u2212');
    const zoomLevel = h('span', { id: 'zoom-level', 'aria-live': 'polite' });
    const zoomIn = h('button', { type: 'button', id: 'zoom-in', 'aria-label': 'Zoom in', title: 'Zoom in (+)' }, '+');
    const fit = h('button', { type: 'button', id: 'zoom-fit', 'aria-label': 'Fit the map to the width', title: 'Fit width' }, 'Fit');
    const mode = h('button', { type: 'button', id: 'mode', 'aria-pressed': 'false', 'aria-label': 'Colour by realm', title: 'Colour granules by owning realm' }, 'By realm');
    const clear = h('button', { type: 'button', id: 'clear-filters', 'aria-label': 'Clear the state and realm filters', hidden: true }, 'Clear filters');
    const summary = h('p', { id: 'summary', 'aria-live': 'polite' }, 'Waiting for the map\u2026');
    const canvas = h('canvas', { id: 'map', tabindex: 0, role: 'application', 'aria-roledescription': 'granule map', 'aria-label': 'Granule map: arrow keys move between granules, Enter shows the history, + and - zoom', 'aria-describedby': 'summary cursor' });
    const pane = h('div', { class: 'map-pane' }, canvas);
    const tooltip = h('div', { id: 'tooltip', role: 'tooltip', hidden: true });
    const legend = h('ul', { id: 'legend', 'aria-label': 'Granule states (click to filter)' });
    const realms = h('ul', { id: 'realms', 'aria-label': 'Realms (click to filter)', hidden: true });
    const details = h('section', { id: 'details', 'aria-label': 'Granule details', hidden: true });
    const cursor = h('p', { id: 'cursor', 'aria-live': 'polite' });

    const header = h('header', { class: 'toolbar' },
      h('div', { class: 'where' }, title, at, stale),
      h('div', { class: 'controls' },
        h('form', { class: 'search', role: 'search' }, search), searchMessage,
        h('div', { class: 'zoom', role: 'group', 'aria-label': 'Zoom' }, zoomOut, zoomLevel, zoomIn, fit),
        mode, clear));
    const side = h('aside', { class: 'side' }, h('h2', {}, 'States'), legend, h('h2', { class: 'realms-head' }, 'Realms'), realms, details);
    this.root.replaceChildren(header, summary, h('div', { class: 'body' }, pane, side), cursor, tooltip);

    zoomIn.addEventListener('click', () => this.map.zoom(1));
    zoomOut.addEventListener('click', () => this.map.zoom(-1));
    fit.addEventListener('click', () => this.map.fit());
    mode.addEventListener('click', () => this.setMode(this.ui.mode === 'state' ? 'realm' : 'state'));
    clear.addEventListener('click', () => { this.stateFilter.clear(); this.realmFilter.clear(); this.filtersChanged(); });
    search.form?.addEventListener('submit', (e) => { e.preventDefault(); this.goTo(search.value); });
    search.addEventListener('keydown', (e) => { if (e.key === 'Escape') { search.value = ''; searchMessage.textContent = ''; } });
    return { title, at, stale, summary, legend, realms, details, tooltip, search, searchMessage, zoomLevel, mode, clear, cursor, pane, canvas };
  }

  /** The granule under the pointer and where; its extra facts are asked for once the pointer rests. */
  private hovered: { index: number; x: number; y: number; info?: GranuleHoverInfo } | undefined;
  private hoverTimer: ReturnType<typeof setTimeout> | undefined;

  private hover(index: number, x: number, y: number): void {
    const same = this.hovered?.index === index;
    this.hovered = { index, x, y, info: same ? this.hovered?.info : undefined };
    this.showHover();
    if (same) return;
    if (this.hoverTimer) clearTimeout(this.hoverTimer);
    this.hoverTimer = setTimeout(() => {
      if (this.hovered?.index === index) this.vscode.postMessage({ type: 'hover', index });
    }, 120);
  }

  private showHover(): void {
    const h = this.hovered;
    const f = h && granuleFacts(this.model, h.index);
    if (!h || !f) return;
    showTooltip(this.els.tooltip, { ...f, ipa: h.info?.ipa, lastChange: h.info?.lastChange }, h.x, h.y);
  }

  private receive(msg: ToWebview): void {
    if (!msg || typeof msg !== 'object') return;
    switch (msg.type) {
      case 'state': this.onState(msg.state); break;
      case 'delta': this.onDelta(msg.delta); break;
      case 'hoverInfo':
        if (msg.info && this.hovered?.index === msg.info.index) {
          this.hovered.info = msg.info;
          if (!this.els.tooltip.hidden) this.showHover();
        }
        break;
      case 'stale':
        if (this.model.markStale(msg.version, msg.reason)) this.vscode.postMessage({ type: 'resync', have: this.model.version });
        this.showHeader();
        this.saveSoon();
        break;
      case 'details': this.onDetails(msg.details); break;
      case 'empty': this.onEmpty(msg.message); break;
      case 'select': this.onSelect(msg.index); break;
      case 'exportPng': this.onExportPng(msg.id); break;
      default: break;
    }
  }

  private onState(s: MapState): void {
    try {
      this.showState(s, true, performance.now());
    } catch (e) {
      this.els.summary.textContent = `The map could not be shown: ${(e as Error).message}`;
    }
  }

  private showState(s: MapState, save: boolean, since = performance.now()): void {
    const sameNames = s?.stateNames?.join() === this.model.stateNames.join();
    const otherScenario = this.model.loaded && s?.file !== this.model.file;
    this.model.applyState(s);
    if (otherScenario) {
      // Another scenario: the open granule's history belongs to the old one.
      this.map.selected = -1;
      this.els.details.hidden = true;
    }
    if (!sameNames || !this.palette.states.length) this.palette = readPalette(this.model.stateNames);
    // Filters on states or realms this map does not have would dim everything for no visible reason.
    for (const c of this.stateFilter) if (c >= 256) this.stateFilter.delete(c);
    for (const id of this.realmFilter) if (!this.model.realm(id)) this.realmFilter.delete(id);
    this.els.pane.classList.remove('empty');
    this.map.dataChanged(since);
    this.refreshChrome();
    if (save) this.saveSoon();
  }

  private onDelta(d: MapDelta): void {
    const r = this.model.applyDelta(d);
    if (r.kind === 'resync') { this.vscode.postMessage({ type: 'resync', have: r.have }); return; }
    this.map.changedCells(r.indices);
    // Realms may appear or go; their colour table is part of the pixel tables.
    if (this.ui.mode === 'realm' || this.realmFilter.size) this.map.invalidate();
    this.map.schedule();
    this.refreshChrome();
    this.saveSoon();
  }

  private onDetails(d: GranuleDetails): void {
    if (!d || d.index !== this.map.selected) return; // an answer to an older click
    renderDetails(this.els.details, d, (file, line) => this.vscode.postMessage({ type: 'reveal', file, line }), () => this.closeDetails());
  }

  private onEmpty(message: string): void {
    this.els.summary.textContent = message || 'Open a *.realm.c scenario to see its granules.';
    this.els.title.textContent = '';
    this.els.at.textContent = '';
    this.els.stale.hidden = true;
    this.els.pane.classList.add('empty');
  }

  /** The extension asks to show a granule (realms tree, context menu): scroll to it, outline it, open its history. */
  private onSelect(index: unknown): void {
    const ok = typeof index === 'number' && Number.isInteger(index) && this.model.pa(index) !== undefined;
    if (ok) {
      this.map.focusCell(index);
      this.inspect(index);
      this.els.canvas.dataset.selected = String(index);
    }
    this.vscode.postMessage({ type: 'selected', index: typeof index === 'number' ? index : -1, ok });
  }

  private onExportPng(id: unknown): void {
    if (typeof id !== 'number') return;
    try {
      const png = this.map.exportPng();
      this.vscode.postMessage({ type: 'png', id, ...png });
    } catch (e) {
      this.vscode.postMessage({ type: 'png', id, error: e instanceof Error ? e.message : String(e) });
    }
  }

  private inspect(index: number): void {
    const pa = this.model.pa(index);
    if (pa === undefined) return;
    this.map.selected = index;
    this.map.schedule();
    detailsPending(this.els.details, hexPa(pa));
    this.vscode.postMessage({ type: 'inspect', index });
    this.saveSoon();
  }

  private closeDetails(): void {
    this.map.selected = -1;
    this.els.details.hidden = true;
    this.map.schedule();
    this.els.canvas.focus();
    this.saveSoon();
  }

  private goTo(text: string): void {
    if (!this.model.loaded) { this.els.searchMessage.textContent = 'No map yet.'; return; }
    const r = locateAddress(text, this.model.regions);
    if (!r.ok) { this.els.searchMessage.textContent = r.error; this.els.search.setAttribute('aria-invalid', 'true'); return; }
    this.els.search.removeAttribute('aria-invalid');
    this.els.searchMessage.textContent = `Granule ${r.index} at ${hexPa(r.pa - (r.pa % 4096n))}`;
    this.map.focusCell(r.index);
    this.inspect(r.index);
  }

  private setMode(mode: ColourMode): void {
    this.ui.mode = mode;
    this.els.mode.setAttribute('aria-pressed', String(mode === 'realm'));
    this.map.invalidate();
    this.saveSoon();
  }

  private toggle(set: Set<number>, key: number): void {
    if (set.has(key)) set.delete(key); else set.add(key);
    this.filtersChanged();
  }

  private filtersChanged(): void {
    this.map.invalidate();
    this.refreshChrome();
    this.saveSoon();
  }

  private themeChanged(): void {
    this.palette = readPalette(this.model.stateNames);
    this.map.invalidate();
    this.refreshChrome();
  }

  private paintOptions(): PaintOptions {
    return { mode: this.ui.mode, stateFilter: this.stateFilter, realmFilter: this.realmFilter };
  }

  private refreshChrome(): void {
    const m = this.model;
    this.showHeader();
    this.els.summary.textContent = m.summaryText();
    renderLegend(this.els.legend, m, this.palette, this.stateFilter, (c) => this.toggle(this.stateFilter, c));
    renderRealms(this.els.realms, m, this.palette, this.realmFilter, (id) => this.toggle(this.realmFilter, id));
    this.root.querySelector('.realms-head')?.toggleAttribute('hidden', m.realms.length === 0);
    this.els.clear.hidden = this.stateFilter.size === 0 && this.realmFilter.size === 0;
    this.els.mode.setAttribute('aria-pressed', String(this.ui.mode === 'realm'));
    this.showZoom();
    if (this.map.focus >= 0) this.showCursor(this.map.focus);
  }

  private showHeader(): void {
    const m = this.model;
    this.els.title.textContent = m.file;
    this.els.at.textContent = m.at;
    this.els.stale.hidden = !m.stale;
    this.els.stale.textContent = m.stale ? `Stale: ${m.stale}` : '';
    this.els.pane.classList.toggle('stale', !!m.stale);
  }

  private showZoom(): void {
    const cell = this.map.view.cell;
    this.els.zoomLevel.textContent = `${cell} px`;
    (this.root.querySelector('#zoom-in') as HTMLButtonElement).disabled = cell >= MAX_CELL;
    (this.root.querySelector('#zoom-out') as HTMLButtonElement).disabled = cell <= MIN_CELL;
  }

  private showCursor(index: number): void {
    const f = granuleFacts(this.model, index);
    this.els.cursor.textContent = f ? announce(f) : '';
  }

  private saveSoon(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => { this.saveTimer = undefined; this.save(); }, SAVE_DELAY_MS);
  }

  private save(): void {
    const v = this.map.view;
    this.ui = {
      ...this.ui, cell: v.cell, scrollX: v.scrollX, scrollY: v.scrollY, focus: this.map.focus, selected: this.map.selected,
      stateFilter: [...this.stateFilter], realmFilter: [...this.realmFilter],
    };
    const map = this.model.loaded ? this.model.toMapState() : undefined;
    // A badly fragmented map would make setState's JSON megabytes; then a reload waits for the extension instead.
    const keep = map && map.states.length + map.owners.length <= MAX_SAVED_RUNS ? map : undefined;
    this.vscode.setState({ ui: this.ui, map: keep });
  }
}
