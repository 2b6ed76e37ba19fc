import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packRgba } from '../../src/webview/model/color';
import { buildPalette, pixelTables, realmColor, stateColor } from '../../src/webview/model/palette';
import { paintAll, paintSome, type PaintOptions } from '../../src/webview/model/pixels';

const NAMES = ['UNDELEGATED', 'DELEGATED', 'RD', 'REC', 'REC_AUX', 'DATA', 'RTT'];
const p = buildPalette(NAMES, () => '');
const t = pixelTables(p, 2);
const opts = (o: Partial<PaintOptions> = {}): PaintOptions => ({ mode: 'state', stateFilter: new Set(), realmFilter: new Set(), ...o });

function machine(n: number) {
  const states = new Uint8Array(n);
  const owners = new Int32Array(n).fill(-1);
  states[1] = 1;                 // DELEGATED, no realm
  states[2] = 2; owners[2] = 0;  // RD of realm 0
  states[3] = 5; owners[3] = 1;  // DATA of realm 1
  return { states, owners };
}

describe('webview pixels', () => {
  it('paints one pixel per granule in its state colour, the rest of the last row as background', () => {
    const { states, owners } = machine(600);
    const out = new Uint32Array(1024).fill(7);
    paintAll(out, states, owners, t, opts());
    assert.equal(out[0], packRgba(stateColor(p, 0)));
    assert.equal(out[1], packRgba(stateColor(p, 1)));
    assert.equal(out[2], packRgba(stateColor(p, 2)));
    assert.equal(out[599], packRgba(stateColor(p, 0)));
    assert.equal(out[600], t.background);
    assert.equal(out[1023], t.background);
  });

  it('colours owned granules by realm in realm mode, unowned ones by state', () => {
    const { states, owners } = machine(512);
    const out = new Uint32Array(512);
    paintAll(out, states, owners, t, opts({ mode: 'realm' }));
    assert.equal(out[1], packRgba(stateColor(p, 1)), 'unowned DELEGATED keeps its state colour');
    assert.equal(out[2], packRgba(realmColor(p, 0)));
    assert.equal(out[3], packRgba(realmColor(p, 1)));
    assert.notEqual(out[2], out[3]);
  });

  it('dims the states and realms a filter leaves out', () => {
    const { states, owners } = machine(512);
    const out = new Uint32Array(512);
    paintAll(out, states, owners, t, opts({ stateFilter: new Set([2]) }));
    assert.equal(out[2], t.state[2], 'the filtered state shows at full colour');
    assert.equal(out[1], t.stateDim[1]);
    assert.equal(out[0], t.stateDim[0]);
    paintAll(out, states, owners, t, opts({ realmFilter: new Set([1]) }));
    assert.equal(out[3], t.state[5], 'granules of realm 1 show');
    assert.equal(out[2], t.stateDim[2], 'those of realm 0 fade');
    assert.equal(out[1], t.stateDim[1], 'unowned ones fade too');
  });

  it('repaints only the granules a delta touched and reports their rows', () => {
    const { states, owners } = machine(2048);
    const out = new Uint32Array(2048);
    paintAll(out, states, owners, t, opts());
    const before = out.slice();
    states[1500] = 6; states[5] = 1;
    const rows = paintSome(out, states, owners, t, opts(), [1500, 5, 99999, -1]);
    assert.deepEqual(rows, { row0: 0, row1: 2 });
    assert.equal(out[1500], t.state[6]);
    assert.equal(out[5], t.state[1]);
    let others = 0;
    for (let i = 0; i < out.length; i++) if (i !== 1500 && i !== 5 && out[i] !== before[i]) others++;
    assert.equal(others, 0, 'no other pixel changed');
    assert.equal(paintSome(out, states, owners, t, opts(), []), undefined);
  });

  // Speed is measured by `npm run bench` (webview.paint_1m_ms), not asserted here.
  it('paints every one of 1,048,576 granules in its state colour', () => {
    const n = 1 << 20;
    const states = new Uint8Array(n);
    for (let i = 0; i < n; i += 7) states[i] = i % 5;
    const owners = new Int32Array(n).fill(-1);
    const out = new Uint32Array(n);
    paintAll(out, states, owners, t, opts());
    let wrong = 0;
    for (let i = 0; i < n; i++) if (out[i] !== t.state[states[i]]) wrong++;
    assert.equal(wrong, 0);
    assert.equal(out[7], t.state[2]);
    assert.equal(out[n - 1], t.state[0]);
  });
});
