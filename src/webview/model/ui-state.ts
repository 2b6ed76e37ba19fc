// What the webview keeps across reloads with vscode.setState: the last map (so a reloaded panel
// shows it at once) and the view settings. Whatever comes back is checked, never trusted.
import type { MapState } from '../../protocol/granule-map';
import { clampCell } from './layout';
import type { ColourMode } from './pixels';

export interface UiState {
  cell?: number;
  scrollX: number;
  scrollY: number;
  /** Focus cell (keyboard cursor), -1 for none. */
  focus: number;
  /** Granule whose details are open, -1 for none. */
  selected: number;
  mode: ColourMode;
  stateFilter: number[];
  realmFilter: number[];
}

export interface SavedState { ui: UiState; map?: MapState }

export const DEFAULT_UI: UiState = { scrollX: 0, scrollY: 0, focus: -1, selected: -1, mode: 'state', stateFilter: [], realmFilter: [] };

const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const ints = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : []);

export function restoreState(raw: unknown): SavedState {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<SavedState>;
  const u = (r.ui && typeof r.ui === 'object' ? r.ui : {}) as Partial<UiState>;
  const ui: UiState = {
    cell: u.cell === undefined ? undefined : clampCell(num(u.cell, 1)),
    scrollX: Math.max(0, num(u.scrollX, 0)),
    scrollY: Math.max(0, num(u.scrollY, 0)),
    focus: Math.trunc(num(u.focus, -1)),
    selected: Math.trunc(num(u.selected, -1)),
    mode: u.mode === 'realm' ? 'realm' : 'state',
    stateFilter: ints(u.stateFilter),
    realmFilter: ints(u.realmFilter),
  };
  const map = r.map && typeof r.map === 'object' ? r.map : undefined;
  return { ui, map };
}
