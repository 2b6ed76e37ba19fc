// Keyboard movement of the map's focus cell: arrows by one granule or one 2 MiB row, PageUp/PageDown
// by a screenful of rows, Home/End to the row's ends, ctrl+Home/End to the first/last granule.
import { GRANULES_PER_ROW } from '../../protocol/granule-map';

export interface KeyMove { key: string; ctrlKey?: boolean; metaKey?: boolean }

/** The focus cell after pressing `key` at `index`, or undefined when the key does not move the focus. */
export function moveFocus(index: number, e: KeyMove, count: number, pageRows: number): number | undefined {
  if (count <= 0) return undefined;
  const at = index >= 0 && index < count ? index : 0;
  const row = Math.floor(at / GRANULES_PER_ROW);
  const page = Math.max(1, Math.floor(pageRows)) * GRANULES_PER_ROW;
  const ctrl = e.ctrlKey || e.metaKey;
  let next: number;
  switch (e.key) {
    case 'ArrowLeft': next = at - 1; break;
    case 'ArrowRight': next = at + 1; break;
    case 'ArrowUp': next = at - GRANULES_PER_ROW; break;
    case 'ArrowDown': next = at + GRANULES_PER_ROW; break;
    case 'PageUp': next = at - page; break;
    case 'PageDown': next = at + page; break;
    case 'Home': next = ctrl ? 0 : row * GRANULES_PER_ROW; break;
    case 'End': next = ctrl ? count - 1 : row * GRANULES_PER_ROW + GRANULES_PER_ROW - 1; break;
    default: return undefined;
  }
  // Vertical moves stop at the edge rather than wrap; horizontal ones may cross into the next row.
  if (next < 0) next = e.key === 'ArrowUp' || e.key === 'PageUp' ? at % GRANULES_PER_ROW : 0;
  if (next >= count) next = count - 1;
  return next;
}
