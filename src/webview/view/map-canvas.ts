// The canvas that draws the granules. The whole map lives in an offscreen canvas at one pixel per
// granule (filled through lookup tables, see model/pixels.ts); each frame draws the visible part
// of it scaled up with smoothing off, then the grid, PA labels, outlines and minimap on top.
// Input (map-input.ts) only changes the viewport or reports a granule index to the app.
import { GRANULES_PER_ROW, hexPa } from '../../protocol/granule-map';
import { cssHex } from '../model/color';
import {
  GRID_FROM_CELL, cellRect, clampScroll, fitCell, hitTest, labelEvery, minimap, minimapViewport, reveal, rowCount, visibleCells, zoomAt, zoomStep,
  type Viewport,
} from '../model/layout';
import type { MapModel } from '../model/map-model';
import { pixelTables, type Palette, type PixelTables } from '../model/palette';
import { paintAll, paintSome, type PaintOptions } from '../model/pixels';
import { attachMapInput } from './map-input';

const GUTTER = 96;
/** Drawing more changed-cell outlines than this per frame costs more than it tells. */
const MAX_OUTLINES = 5000;
/** Deltas touching fewer granules repaint only those pixels. */
const PARTIAL_REPAINT = 2000;

export interface MapCanvasEvents {
  hover(index: number, clientX: number, clientY: number): void;
  leave(): void;
  /** Click, or Enter/Space on the focus cell. */
  activate(index: number): void;
  focusMoved(index: number): void;
  viewChanged(): void;
}

export class MapCanvas {
  readonly canvas: HTMLCanvasElement;
  private ctx: CanvasRenderingContext2D;
  private off = document.createElement('canvas');
  private offCtx: CanvasRenderingContext2D;
  private image: ImageData | undefined;
  private pixels = new Uint32Array(0);
  private tables: PixelTables | undefined;
  private frame = 0;
  private pendingFull = false;
  private pendingSome: number[] = [];
  private dpr = 1;
  private userZoomed = false;
  /** Gutter label font, read from the theme once per theme. */
  private font: string | undefined;
  view: Viewport = { count: 0, cell: 1, scrollX: 0, scrollY: 0, width: 0, height: 0, gutter: GUTTER };
  focus = -1;
  selected = -1;
  /** Time of the last full paint of the pixel buffer, for the benchmark and the curious. */
  lastPaintMs = 0;

  constructor(canvas: HTMLCanvasElement, private model: MapModel, private palette: () => Palette, private options: () => PaintOptions, private events: MapCanvasEvents) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { alpha: false })!;
    this.offCtx = this.off.getContext('2d')!;
    attachMapInput(this, model, events);
  }

  /** Sets the drawing area's size in CSS pixels (called from a ResizeObserver). */
  resize(width: number, height: number): void {
    this.dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.floor(width)), h = Math.max(1, Math.floor(height));
    this.canvas.width = Math.round(w * this.dpr);
    this.canvas.height = Math.round(h * this.dpr);
    const cell = this.userZoomed ? this.view.cell : fitCell(w, GUTTER);
    this.view = clampScroll({ ...this.view, width: w, height: h, cell });
    // The pane shrinks after a search or a selection (the details panel opens): keep that granule
    // in view rather than letting it fall below the fold.
    if (this.keepInView >= 0) this.view = reveal(this.view, this.keepInView);
    this.draw();
  }

  setCell(cell: number, fromUser = true): void {
    this.userZoomed ||= fromUser;
    this.view = clampScroll({ ...this.view, cell });
  }

  setScroll(x: number, y: number): void {
    this.view = clampScroll({ ...this.view, scrollX: x, scrollY: y });
  }

  /**
   * The map's size or content changed wholesale: rebuild the offscreen buffer and draw at once
   * (a full state is rare; drawing now rather than on the next frame makes the first paint sooner).
   * `since` is when the message arrived, so that data-paint-ms tells the whole decode-to-pixels time.
   */
  dataChanged(since = performance.now()): void {
    const rows = rowCount(this.model.count);
    if (this.off.width !== GRANULES_PER_ROW || this.off.height !== Math.max(1, rows)) {
      this.off.width = GRANULES_PER_ROW;
      this.off.height = Math.max(1, rows);
      this.image = undefined;
    }
    this.view = clampScroll({ ...this.view, count: this.model.count });
    this.tables = undefined;
    this.pendingFull = true;
    this.draw();
    this.canvas.dataset.paintMs = (performance.now() - since).toFixed(1);
  }

  /** Colours or filters changed: repaint every pixel on the next frame. */
  invalidate(): void {
    this.tables = undefined;
    this.font = undefined;
    this.pendingFull = true;
    this.schedule();
  }

  /** A delta changed these granules. */
  changedCells(indices: readonly number[]): void {
    if (this.pendingFull || this.pendingSome.length + indices.length > PARTIAL_REPAINT) this.pendingFull = true;
    else this.pendingSome.push(...indices);
    this.schedule();
  }

  /** Outlines, focus or viewport changed: redraw on the next frame without repainting pixels. */
  schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  zoom(direction: 1 | -1, x?: number, y?: number): void {
    const at = x !== undefined && y !== undefined ? { x, y } : this.anchor();
    this.userZoomed = true;
    this.view = zoomAt(this.view, zoomStep(this.view.cell, direction), at.x, at.y);
    this.schedule();
    this.events.viewChanged();
  }

  fit(): void {
    this.userZoomed = false;
    this.view = clampScroll({ ...this.view, cell: fitCell(this.view.width, GUTTER) });
    this.schedule();
    this.events.viewChanged();
  }

  /**
   * A granule the user asked to see (search, keyboard, selection), kept in view across resizes
   * until the user pans the map themselves (map-input.ts resets it); -1 when none.
   */
  keepInView = -1;

  /** Moves the focus cell to `index` and scrolls it into view. */
  focusCell(index: number): void {
    if (index < 0 || index >= this.model.count) return;
    this.focus = index;
    this.keepInView = index;
    this.view = reveal(this.view, index);
    this.schedule();
    this.events.focusMoved(index);
    this.events.viewChanged();
  }

  /**
   * The whole map at one pixel per granule (512 per row, the offscreen buffer with the current
   * colour mode and filters) as a PNG data URL, for "Export Granule Map as PNG".
   */
  exportPng(): { dataUrl: string; width: number; height: number } {
    if (!this.model.loaded || this.model.count === 0) throw new Error('the map is empty');
    this.ensurePixels();
    return { dataUrl: this.off.toDataURL('image/png'), width: this.off.width, height: this.off.height };
  }

  /** Where a granule is on screen (client coordinates), for placing the tooltip. */
  clientRect(index: number): { x: number; y: number; w: number; h: number } {
    const r = cellRect(this.view, index);
    const b = this.canvas.getBoundingClientRect();
    return { x: b.left + r.x, y: b.top + r.y, w: r.w, h: r.h };
  }

  /** Zoom anchor for keys and buttons: the focus cell when visible, else the view's centre. */
  private anchor(): { x: number; y: number } {
    if (this.focus >= 0) {
      const r = cellRect(this.view, this.focus);
      if (r.x >= this.view.gutter && r.x < this.view.width && r.y >= 0 && r.y < this.view.height) return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
    }
    return { x: (this.view.width + this.view.gutter) / 2, y: this.view.height / 2 };
  }

  private ensurePixels(): void {
    const m = this.model;
    if (!this.image || this.image.width !== this.off.width || this.image.height !== this.off.height) {
      this.image = this.offCtx.createImageData(this.off.width, this.off.height);
      this.pixels = new Uint32Array(this.image.data.buffer);
      this.pendingFull = true;
    }
    this.tables ??= pixelTables(this.palette(), m.realmSlots());
    if (this.pendingFull) {
      const t0 = performance.now();
      paintAll(this.pixels, m.states, m.owners, this.tables, this.options());
      this.offCtx.putImageData(this.image, 0, 0);
      this.lastPaintMs = performance.now() - t0;
    } else if (this.pendingSome.length) {
      const rows = paintSome(this.pixels, m.states, m.owners, this.tables, this.options(), this.pendingSome);
      if (rows) this.offCtx.putImageData(this.image, 0, 0, 0, rows.row0, GRANULES_PER_ROW, rows.row1 - rows.row0 + 1);
    }
    this.pendingFull = false;
    this.pendingSome = [];
  }

  draw(): void {
    const { ctx, view: v } = this;
    const p = this.palette();
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.fillStyle = cssHex(p.background);
    ctx.fillRect(0, 0, v.width, v.height);
    if (!this.model.loaded || this.model.count === 0) return;
    this.ensurePixels();
    const { row0, row1, col0, col1 } = visibleCells(v);
    if (row1 < row0 || col1 < col0) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(v.gutter, 0, v.width - v.gutter, v.height);
    ctx.clip();
    const nc = col1 - col0 + 1, nr = row1 - row0 + 1;
    ctx.drawImage(this.off, col0, row0, nc, nr, v.gutter + col0 * v.cell - v.scrollX, row0 * v.cell - v.scrollY, nc * v.cell, nr * v.cell);
    if (v.cell >= GRID_FROM_CELL) this.drawGrid(p, row0, row1, col0, col1);
    this.drawOutlines(p);
    ctx.restore();
    this.drawGutter(p, row0, row1);
    this.drawMinimap(p);
    // For tests and benchmarks reading from inside the webview: which version the pixels show.
    this.canvas.dataset.version = String(this.model.version);
  }

  private drawGrid(p: Palette, row0: number, row1: number, col0: number, col1: number): void {
    const { ctx, view: v } = this;
    ctx.strokeStyle = cssHex(p.background);
    ctx.lineWidth = 1;
    ctx.beginPath();
    const x0 = v.gutter + col0 * v.cell - v.scrollX, x1 = v.gutter + (col1 + 1) * v.cell - v.scrollX;
    const y0 = row0 * v.cell - v.scrollY, y1 = (row1 + 1) * v.cell - v.scrollY;
    for (let c = col0; c <= col1 + 1; c++) { const x = v.gutter + c * v.cell - v.scrollX + 0.5; ctx.moveTo(x, y0); ctx.lineTo(x, y1); }
    for (let r = row0; r <= row1 + 1; r++) { const y = r * v.cell - v.scrollY + 0.5; ctx.moveTo(x0, y); ctx.lineTo(x1, y); }
    ctx.stroke();
    // 16 MiB rulers: every 8 rows, a line in the grid colour.
    ctx.strokeStyle = cssHex(p.grid);
    ctx.beginPath();
    for (let r = Math.ceil(row0 / 8) * 8; r <= row1 + 1; r += 8) { const y = r * v.cell - v.scrollY + 0.5; ctx.moveTo(x0, y); ctx.lineTo(x1, y); }
    ctx.stroke();
  }

  private drawOutlines(p: Palette): void {
    const { ctx, view: v } = this;
    const ring = (index: number, colour: string, width: number) => {
      const r = cellRect(v, index);
      if (r.x + r.w < v.gutter - 4 || r.x > v.width + 4 || r.y + r.h < -4 || r.y > v.height + 4) return false;
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      const pad = width / 2 + (v.cell < 4 ? 1 : 0);
      ctx.strokeRect(r.x - pad, r.y - pad, r.w + 2 * pad, r.h + 2 * pad);
      return true;
    };
    let drawn = 0;
    const changed = cssHex(p.changed);
    // At one or two pixels a cell, rings around thousands of changed granules would paint the
    // region in the outline colour and hide the states themselves: outline only a few.
    const many = v.cell < 3 && this.model.changed.length > 64;
    for (const i of many ? [] : this.model.changed) {
      if (ring(i, changed, 1) && ++drawn >= MAX_OUTLINES) break;
    }
    if (this.selected >= 0) ring(this.selected, cssHex(p.focus), 2);
    if (this.focus >= 0 && document.activeElement === this.canvas) {
      ctx.setLineDash([3, 2]);
      ring(this.focus, cssHex(p.foreground), 1);
      ctx.setLineDash([]);
    }
  }

  /** When zoomed in: the whole map small in the corner, with the part in view outlined. */
  private drawMinimap(p: Palette): void {
    const m = minimap(this.view);
    if (!m) return;
    const { ctx } = this;
    ctx.fillStyle = cssHex(p.background);
    ctx.fillRect(m.x - 2, m.y - 2, m.w + 4, m.h + 4);
    ctx.imageSmoothingEnabled = true; // a downscaled overview reads better smoothed
    ctx.drawImage(this.off, 0, 0, this.off.width, this.off.height, m.x, m.y, m.w, m.h);
    ctx.imageSmoothingEnabled = false;
    ctx.strokeStyle = cssHex(p.grid);
    ctx.lineWidth = 1;
    ctx.strokeRect(m.x - 1.5, m.y - 1.5, m.w + 3, m.h + 3);
    const r = minimapViewport(this.view, m);
    ctx.strokeStyle = cssHex(p.focus);
    ctx.strokeRect(r.x + 0.5, r.y + 0.5, Math.max(2, r.w - 1), Math.max(2, r.h - 1));
  }

  private drawGutter(p: Palette, row0: number, row1: number): void {
    const { ctx, view: v } = this;
    const every = labelEvery(v.cell);
    ctx.fillStyle = cssHex(p.foreground);
    ctx.strokeStyle = cssHex(p.grid);
    this.font ??= `11px ${getComputedStyle(document.body).getPropertyValue('--vscode-editor-font-family').trim() || 'monospace'}`;
    ctx.font = this.font;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'top';
    ctx.beginPath();
    for (let r = Math.ceil(row0 / 8) * 8; r <= row1; r += 8) {
      const y = r * v.cell - v.scrollY + 0.5;
      const long = r % every === 0;
      ctx.moveTo(v.gutter - (long ? 8 : 4), y);
      ctx.lineTo(v.gutter - 1, y);
      if (long) {
        const pa = this.model.pa(r * GRANULES_PER_ROW);
        if (pa !== undefined) ctx.fillText(hexPa(pa), v.gutter - 10, Math.max(0, y - 5));
      }
    }
    ctx.stroke();
  }

  /** The first granule in view, where the keyboard focus starts. */
  firstVisible(): number {
    return hitTest(this.view, this.view.gutter, 0);
  }
}
