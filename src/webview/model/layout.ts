// Geometry of the map: which pixel shows which granule, at a given zoom and scroll offset.
// Pure arithmetic (no DOM), so hit testing is unit-tested in node. All lengths are CSS pixels.
import { GRANULES_PER_ROW } from '../../protocol/granule-map';

/** Cell sizes the zoom steps through; 1 px shows 1 GiB in 512 x 512 px, 16 px is close enough to click. */
export const CELL_SIZES = [1, 2, 3, 4, 6, 8, 12, 16] as const;
export const MIN_CELL = 1;
export const MAX_CELL = 16;
/** From this cell size on, each cell gets a grid border. */
export const GRID_FROM_CELL = 8;

export interface Viewport {
  /** Granules in the map. */
  count: number;
  /** Side of one cell. */
  cell: number;
  /** Scroll offset of the content's top-left corner. */
  scrollX: number;
  scrollY: number;
  /** Size of the visible drawing area, including the gutter. */
  width: number;
  height: number;
  /** Width of the left gutter that holds the PA labels. */
  gutter: number;
}

export interface Rect { x: number; y: number; w: number; h: number }

export function rowCount(count: number): number {
  return Math.ceil(Math.max(0, count) / GRANULES_PER_ROW);
}

export function contentWidth(v: Pick<Viewport, 'cell'>): number {
  return GRANULES_PER_ROW * v.cell;
}

export function contentHeight(v: Pick<Viewport, 'cell' | 'count'>): number {
  return rowCount(v.count) * v.cell;
}

/** Nearest allowed cell size (integer, 1..16). */
export function clampCell(cell: number): number {
  if (!Number.isFinite(cell)) return MIN_CELL;
  return Math.min(MAX_CELL, Math.max(MIN_CELL, Math.round(cell)));
}

/** The next zoom step in or out from `cell` (steps: CELL_SIZES). */
export function zoomStep(cell: number, direction: 1 | -1): number {
  if (direction > 0) return CELL_SIZES.find((c) => c > cell) ?? MAX_CELL;
  for (let i = CELL_SIZES.length - 1; i >= 0; i--) if (CELL_SIZES[i] < cell) return CELL_SIZES[i];
  return MIN_CELL;
}

/** The largest zoom step whose 512 columns fit in `width` beside the gutter (at least 1 px). */
export function fitCell(width: number, gutter: number): number {
  const room = (width - gutter) / GRANULES_PER_ROW;
  let best: number = MIN_CELL;
  for (const c of CELL_SIZES) if (c <= room) best = c;
  return best;
}

/** The viewport with its scroll offsets kept inside the content (no scrolling past the edges). */
export function clampScroll(v: Viewport): Viewport {
  const maxX = Math.max(0, contentWidth(v) - (v.width - v.gutter));
  const maxY = Math.max(0, contentHeight(v) - v.height);
  const scrollX = Math.min(maxX, Math.max(0, Number.isFinite(v.scrollX) ? v.scrollX : 0));
  const scrollY = Math.min(maxY, Math.max(0, Number.isFinite(v.scrollY) ? v.scrollY : 0));
  return scrollX === v.scrollX && scrollY === v.scrollY ? v : { ...v, scrollX, scrollY };
}

/** Granule index under the point (x, y) of the drawing area, or -1 for the gutter, margins or past the last granule. */
export function hitTest(v: Viewport, x: number, y: number): number {
  const cx = x - v.gutter + v.scrollX;
  const cy = y + v.scrollY;
  if (x < v.gutter || y < 0 || cx < 0 || cy < 0 || cx >= contentWidth(v)) return -1;
  const col = Math.floor(cx / v.cell);
  const row = Math.floor(cy / v.cell);
  const index = row * GRANULES_PER_ROW + col;
  return index < v.count ? index : -1;
}

/** Where granule `index` is drawn in the drawing area (may lie outside the visible part). */
export function cellRect(v: Viewport, index: number): Rect {
  const row = Math.floor(index / GRANULES_PER_ROW);
  const col = index % GRANULES_PER_ROW;
  return { x: v.gutter + col * v.cell - v.scrollX, y: row * v.cell - v.scrollY, w: v.cell, h: v.cell };
}

/** Rows and columns at least partly visible: [first, last] inclusive, empty when last < first. */
export function visibleCells(v: Viewport): { row0: number; row1: number; col0: number; col1: number } {
  const rows = rowCount(v.count);
  const row0 = Math.max(0, Math.floor(v.scrollY / v.cell));
  const row1 = Math.min(rows - 1, Math.floor((v.scrollY + v.height - 1) / v.cell));
  const col0 = Math.max(0, Math.floor(v.scrollX / v.cell));
  const col1 = Math.min(GRANULES_PER_ROW - 1, Math.floor((v.scrollX + v.width - v.gutter - 1) / v.cell));
  return { row0, row1, col0, col1 };
}

/** Zooms to `cell` keeping the content under the point (x, y) of the drawing area where it is. */
export function zoomAt(v: Viewport, cell: number, x: number, y: number): Viewport {
  const next = clampCell(cell);
  if (next === v.cell) return v;
  const px = Math.max(0, x - v.gutter);
  const k = next / v.cell;
  return clampScroll({ ...v, cell: next, scrollX: (v.scrollX + px) * k - px, scrollY: (v.scrollY + y) * k - y });
}

/** Scrolls as little as possible so that granule `index` is fully visible (with a one-cell margin when possible). */
export function reveal(v: Viewport, index: number): Viewport {
  if (index < 0 || index >= v.count) return v;
  const row = Math.floor(index / GRANULES_PER_ROW);
  const col = index % GRANULES_PER_ROW;
  const viewW = v.width - v.gutter;
  const margin = v.cell * 3 <= Math.min(viewW, v.height) ? v.cell : 0;
  let { scrollX, scrollY } = v;
  const left = col * v.cell;
  const top = row * v.cell;
  if (left - margin < scrollX) scrollX = left - margin;
  else if (left + v.cell + margin > scrollX + viewW) scrollX = left + v.cell + margin - viewW;
  if (top - margin < scrollY) scrollY = top - margin;
  else if (top + v.cell + margin > scrollY + v.height) scrollY = top + v.cell + margin - v.height;
  return clampScroll({ ...v, scrollX, scrollY });
}

/** Scrolls by (dx, dy) pixels, clamped. */
export function panBy(v: Viewport, dx: number, dy: number): Viewport {
  return clampScroll({ ...v, scrollX: v.scrollX + dx, scrollY: v.scrollY + dy });
}

/** Every how many rows a PA label goes in the gutter: a multiple of 8 rows (16 MiB) at least ~28 px apart. */
export function labelEvery(cell: number): number {
  let rows = 8;
  while (rows * cell < 28) rows *= 2;
  return rows;
}

/** The overview of the whole map drawn in a corner when zoomed in: where it sits and its scale (px per granule). */
export interface Minimap extends Rect { scale: number }

/** The minimap's place (bottom right, inside `maxW` x `maxH`), or undefined when the whole map is in view. */
export function minimap(v: Viewport, maxW = 128, maxH = 160, margin = 8): Minimap | undefined {
  const rows = rowCount(v.count);
  if (rows === 0) return undefined;
  if (contentWidth(v) <= v.width - v.gutter && contentHeight(v) <= v.height) return undefined;
  const scale = Math.min(maxW / GRANULES_PER_ROW, maxH / rows);
  const w = GRANULES_PER_ROW * scale, h = rows * scale;
  if (w + 2 * margin > v.width - v.gutter || h + 2 * margin > v.height) return undefined;
  return { x: v.width - margin - w, y: v.height - margin - h, w, h, scale };
}

/** The part of the map in view, in minimap coordinates. */
export function minimapViewport(v: Viewport, m: Minimap): Rect {
  const k = m.scale / v.cell;
  return { x: m.x + v.scrollX * k, y: m.y + v.scrollY * k, w: Math.min(m.w, (v.width - v.gutter) * k), h: Math.min(m.h, v.height * k) };
}

/** True when (x, y) is on the minimap. */
export function onMinimap(m: Minimap | undefined, x: number, y: number): boolean {
  return !!m && x >= m.x && x < m.x + m.w && y >= m.y && y < m.y + m.h;
}

/** The viewport centred on the map point under (x, y) of the minimap. */
export function minimapJump(v: Viewport, m: Minimap, x: number, y: number): Viewport {
  const k = v.cell / m.scale;
  return clampScroll({ ...v, scrollX: (x - m.x) * k - (v.width - v.gutter) / 2, scrollY: (y - m.y) * k - v.height / 2 });
}
