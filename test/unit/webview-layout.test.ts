import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cellRect, clampScroll, contentHeight, fitCell, hitTest, labelEvery, minimap, minimapJump, minimapViewport, onMinimap, panBy, reveal, rowCount,
  visibleCells, zoomAt, zoomStep, type Viewport,
} from '../../src/webview/model/layout';
import { moveFocus } from '../../src/webview/model/navigation';

const GIB = 262_144;
const view = (o: Partial<Viewport> = {}): Viewport => ({ count: GIB, cell: 1, scrollX: 0, scrollY: 0, width: 800, height: 600, gutter: 96, ...o });

describe('webview layout: rows and zoom', () => {
  it('puts 512 granules (2 MiB) in a row: 1 GiB is 512 rows, a partial last row still counts', () => {
    assert.equal(rowCount(GIB), 512);
    assert.equal(rowCount(1_048_576), 2048);
    assert.equal(rowCount(513), 2);
    assert.equal(rowCount(0), 0);
    assert.equal(contentHeight({ cell: 4, count: GIB }), 2048);
  });

  it('steps the cell size through 1..16 px and never past either end', () => {
    assert.equal(zoomStep(1, 1), 2);
    assert.equal(zoomStep(4, 1), 6);
    assert.equal(zoomStep(16, 1), 16);
    assert.equal(zoomStep(16, -1), 12);
    assert.equal(zoomStep(1, -1), 1);
    assert.equal(zoomStep(5, -1), 4);
  });

  it('fits the 512 columns into the width beside the gutter', () => {
    assert.equal(fitCell(96 + 512, 96), 1);
    assert.equal(fitCell(96 + 1100, 96), 2);
    assert.equal(fitCell(96 + 512 * 16 + 5, 96), 16);
    assert.equal(fitCell(300, 96), 1, 'a narrow panel still shows 1 px cells and pans');
  });

  it('labels the gutter every 8 rows (16 MiB) or a multiple, far enough apart to read', () => {
    assert.equal(labelEvery(16), 8);
    assert.equal(labelEvery(4), 8);
    assert.equal(labelEvery(1), 32);
    for (const c of [1, 2, 3, 4, 6, 8, 12, 16]) assert.ok(labelEvery(c) * c >= 28 && labelEvery(c) % 8 === 0);
  });
});

describe('webview layout: hit testing', () => {
  it('maps pixels to granules at 1 px per granule with no scroll', () => {
    const v = view();
    assert.equal(hitTest(v, 96, 0), 0);
    assert.equal(hitTest(v, 96 + 511, 0), 511);
    assert.equal(hitTest(v, 96, 1), 512);
    assert.equal(hitTest(v, 96 + 5, 3), 3 * 512 + 5);
    assert.equal(hitTest(v, 50, 10), -1, 'the gutter is no granule');
    assert.equal(hitTest(v, 96 + 512, 0), -1, 'right of the last column');
    assert.equal(hitTest(v, 96, 512), -1, 'below the last row');
  });

  it('maps pixels to granules at 8 px cells with a scroll offset, and back', () => {
    const v = view({ cell: 8, scrollX: 100, scrollY: 4000 });
    // Content point (100 + 4, 4000 + 2) lies in column 13, row 500.
    assert.equal(hitTest(v, 96 + 4, 2), 500 * 512 + 13);
    for (const index of [500 * 512 + 13, 505 * 512 + 80, 511 * 512 + 20]) {
      const r = cellRect(v, index);
      assert.deepEqual([r.w, r.h], [8, 8]);
      assert.equal(hitTest(v, r.x, r.y), index, `top-left corner of ${index}`);
      assert.equal(hitTest(v, r.x + 7, r.y + 7), index, `bottom-right pixel of ${index}`);
      assert.equal(hitTest(v, r.x + 8, r.y), index + 1, `next cell right of ${index}`);
    }
  });

  it('finds no granule past the end of a map whose last row is partial', () => {
    const v = view({ count: 600, cell: 4 });
    assert.equal(hitTest(v, 96 + 4 * 87, 4), 599);
    assert.equal(hitTest(v, 96 + 4 * 88, 4), -1);
  });

  it('hit tests every cell of a 16 px map round trip', () => {
    const v = view({ cell: 16, scrollX: 3000, scrollY: 123 });
    const { row0, row1, col0, col1 } = visibleCells(v);
    for (let r = row0 + 1; r < row1; r++) {
      for (let c = col0 + 1; c < col1; c++) {
        const i = r * 512 + c;
        const rect = cellRect(v, i);
        assert.equal(hitTest(v, rect.x + 8, rect.y + 8), i);
      }
    }
  });
});

describe('webview layout: viewport', () => {
  it('keeps scrolling inside the content', () => {
    assert.deepEqual([clampScroll(view({ scrollX: -5, scrollY: -1 })).scrollX, clampScroll(view({ scrollY: -1 })).scrollY], [0, 0]);
    const v = clampScroll(view({ cell: 4, scrollX: 1e9, scrollY: 1e9 }));
    assert.equal(v.scrollX, 512 * 4 - (800 - 96));
    assert.equal(v.scrollY, 512 * 4 - 600);
    assert.equal(clampScroll(view({ scrollY: 50 })).scrollY, 0, 'a map shorter than the view does not scroll');
    assert.equal(clampScroll(view({ scrollX: NaN })).scrollX, 0);
    assert.equal(panBy(view({ cell: 8 }), 40, 80).scrollY, 80);
  });

  it('zooms around the pointer: the granule under it stays under it', () => {
    const v = view({ count: 1_048_576, cell: 2, scrollY: 500 });
    const x = 96 + 301, y = 257;
    const under = hitTest(v, x, y);
    for (const cell of [4, 8, 16, 3]) {
      const z = zoomAt(v, cell, x, y);
      assert.equal(z.cell, cell);
      assert.equal(hitTest(z, x, y), under, `at ${cell} px`);
    }
    // At 1 px all 512 columns fit, so only the row can stay put.
    const z1 = zoomAt(v, 1, x, y);
    assert.equal(z1.scrollX, 0);
    assert.equal(Math.floor(hitTest(z1, x, y) / 512), Math.floor(under / 512));
  });

  it('scrolls a granule into view with the least movement, and leaves visible ones alone', () => {
    const v = view({ count: 1_048_576, cell: 8 });
    assert.deepEqual(reveal(v, 10), v, 'already visible');
    const far = 2000 * 512 + 500;
    const r = reveal(v, far);
    const rect = cellRect(r, far);
    assert.ok(rect.x >= r.gutter && rect.x + rect.w <= r.width, `x ${rect.x} inside`);
    assert.ok(rect.y >= 0 && rect.y + rect.h <= r.height, `y ${rect.y} inside`);
    assert.equal(hitTest(r, rect.x + 1, rect.y + 1), far);
    assert.deepEqual(reveal(v, -1), v);
    assert.deepEqual(reveal(v, 5_000_000), v);
  });

  it('lists the visible rows and columns', () => {
    assert.deepEqual(visibleCells(view()), { row0: 0, row1: 511, col0: 0, col1: 511 });
    assert.deepEqual(visibleCells(view({ cell: 16, scrollX: 160, scrollY: 320 })), { row0: 20, row1: 57, col0: 10, col1: 53 });
  });
});

describe('webview keyboard navigation', () => {
  const n = 1024;
  it('moves by one granule with left/right and by one 2 MiB row with up/down', () => {
    assert.equal(moveFocus(5, { key: 'ArrowRight' }, n, 10), 6);
    assert.equal(moveFocus(511, { key: 'ArrowRight' }, n, 10), 512, 'right at a row end goes on to the next row');
    assert.equal(moveFocus(5, { key: 'ArrowDown' }, n, 10), 517);
    assert.equal(moveFocus(517, { key: 'ArrowUp' }, n, 10), 5);
  });
  it('stops at the edges instead of leaving the map', () => {
    assert.equal(moveFocus(0, { key: 'ArrowLeft' }, n, 10), 0);
    assert.equal(moveFocus(5, { key: 'ArrowUp' }, n, 10), 5);
    assert.equal(moveFocus(1000, { key: 'ArrowDown' }, n, 10), 1023);
    assert.equal(moveFocus(1023, { key: 'ArrowRight' }, n, 10), 1023);
  });
  it('pages by screenfuls, jumps with Home/End, ignores other keys and empty maps', () => {
    assert.equal(moveFocus(3, { key: 'PageDown' }, 100_000, 4), 3 + 4 * 512);
    assert.equal(moveFocus(700, { key: 'Home' }, n, 4), 512);
    assert.equal(moveFocus(700, { key: 'End' }, n, 4), 1023);
    assert.equal(moveFocus(700, { key: 'Home', ctrlKey: true }, n, 4), 0);
    assert.equal(moveFocus(3, { key: 'x' }, n, 4), undefined);
    assert.equal(moveFocus(3, { key: 'ArrowRight' }, 0, 4), undefined);
    assert.equal(moveFocus(-1, { key: 'ArrowRight' }, n, 4), 1, 'no focus yet starts at the first granule');
  });
});

describe('webview minimap', () => {
  it('appears only when part of the map is out of view, in the bottom-right corner', () => {
    assert.equal(minimap(view()), undefined, '1 GiB at 1 px fits in 800 x 600');
    const v = view({ cell: 8, scrollY: 800 });
    const m = minimap(v)!;
    assert.ok(m, 'zoomed in: a minimap');
    assert.equal(m.scale, 128 / 512);
    assert.deepEqual([m.w, m.h], [128, 128]);
    assert.deepEqual([m.x + m.w, m.y + m.h], [800 - 8, 600 - 8]);
    const tall = minimap(view({ count: 1_048_576, cell: 2 }))!;
    assert.equal(tall.h, 160, 'a tall map is scaled to the height limit');
  });

  it('shows the viewport in minimap coordinates and jumps there on click', () => {
    const v = view({ cell: 8, scrollX: 512, scrollY: 800 });
    const m = minimap(v)!;
    const r = minimapViewport(v, m);
    assert.deepEqual([r.x - m.x, r.y - m.y], [512 / 32, 800 / 32]);
    assert.deepEqual([r.w, r.h], [(800 - 96) / 32, 600 / 32]);
    assert.ok(onMinimap(m, m.x + 1, m.y + 1));
    assert.ok(!onMinimap(m, m.x - 1, m.y));
    // Click the middle of the minimap: the granule in the middle of the map comes to the centre of the view.
    const j = minimapJump(v, m, m.x + m.w / 2, m.y + m.h / 2);
    assert.equal(hitTest(j, 96 + (800 - 96) / 2, 300), 256 * 512 + 256);
  });
});
