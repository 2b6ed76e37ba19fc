import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRuns, encodeRuns, type MapDelta, type MapState } from '../../src/protocol/granule-map';
import { announce, granuleFacts, tooltipLines, transitionText } from '../../src/webview/model/describe';
import { MapModel } from '../../src/webview/model/map-model';
import { restoreState } from '../../src/webview/model/ui-state';

const NAMES = ['UNDELEGATED', 'DELEGATED', 'RD', 'REC', 'REC_AUX', 'DATA', 'RTT', '', '', '', '', 'PARTIAL'];
const N = 262_144;

/** A 1 GiB map with an RD at granule 10 (realm 0), its RTT at 11 and two delegated granules. */
function sample(version = 1): MapState {
  const states = new Uint8Array(N);
  const owners = new Int32Array(N).fill(-1);
  states[10] = 2; owners[10] = 0;
  states[11] = 6; owners[11] = 0;
  states[500] = 1; states[501] = 1;
  return {
    version, file: 'undelegate-live-rd-1.0.realm.c', at: 'end of run',
    regions: [{ base: '0x80000000', count: N }], count: N, stateNames: NAMES,
    states: encodeRuns(states), owners: encodeRuns(owners),
    realms: [{ id: 0, rd: '0x8000a000', state: 'REALM_NEW' }], changed: [10, 11],
  };
}
const delta = (o: Partial<MapDelta>): MapDelta => ({ from: 1, to: 2, at: 'stopped at line 17', changes: [], realms: [], changed: [], ...o });

describe('webview map model: full state', () => {
  it('decodes a state message and counts the granules per state', () => {
    const m = new MapModel();
    assert.equal(m.loaded, false);
    m.applyState(sample());
    assert.equal(m.loaded, true);
    assert.equal(m.version, 1);
    assert.equal(m.count, N);
    assert.equal(m.states[10], 2);
    assert.equal(m.owners[10], 0);
    assert.equal(m.owners[12], -1);
    assert.equal(m.countOf(0), N - 4);
    assert.deepEqual(m.presentStates(), [0, 1, 2, 6]);
    assert.equal(m.isChanged(10), true);
    assert.equal(m.isChanged(500), false);
  });

  it('decodes exactly as the protocol codec does, also for a badly fragmented map', () => {
    const states = new Uint8Array(N), owners = new Int32Array(N).fill(-1);
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < N; i++) if (rand() < 0.3) { states[i] = 1 + Math.floor(rand() * 6); owners[i] = Math.floor(rand() * 3) - 1; }
    const s = { ...sample(), states: encodeRuns(states), owners: encodeRuns(owners) };
    const m = new MapModel();
    m.applyState(s);
    assert.deepEqual(m.states, decodeRuns(s.states, N, new Uint8Array(N)));
    assert.deepEqual(m.owners, decodeRuns(s.owners, N, new Int32Array(N)));
    let undelegated = 0;
    for (let i = 0; i < N; i++) if (states[i] === 0) undelegated++;
    assert.equal(m.countOf(0), undelegated);
    assert.equal(m.realmSlots(), 2);
  });

  it('writes the screen-reader summary: total first, then each present state in code order', () => {
    const m = new MapModel();
    m.applyState(sample());
    assert.equal(m.summaryText(), '262144 granules: 262140 UNDELEGATED, 2 DELEGATED, 1 RD, 1 RTT');
    const e2e = /([\d,]+)\s+granules:\s*(.*)/.exec(m.summaryText());
    assert.ok(e2e, 'the form the UI test parses');
  });

  it('names codes without a name, and lists every named state in the legend', () => {
    const s = sample();
    const states = new Uint8Array(N); states[3] = 9;
    s.states = encodeRuns(states);
    const m = new MapModel();
    m.applyState(s);
    assert.equal(m.summaryText(), '262144 granules: 262143 UNDELEGATED, 1 STATE_9');
    assert.deepEqual(m.legendStates(), [0, 1, 2, 3, 4, 5, 6, 9, 11]);
  });

  it('refuses malformed state messages and keeps the map it had', () => {
    const m = new MapModel();
    m.applyState(sample());
    const bad: [string, Partial<MapState>, RegExp][] = [
      ['runs short of the count', { states: [0, N - 1] }, /covers/],
      ['odd run data', { owners: [-1] }, /odd/],
      ['a code above 255', { states: [300, N] }, /state code/],
      ['regions not adding up', { regions: [{ base: '0x80000000', count: 5 }] }, /regions hold/],
      ['a bad region base', { regions: [{ base: 'nowhere', count: N }] }, /bad region/],
      ['a huge count', { count: 2 ** 40, regions: [{ base: '0x0', count: 2 ** 40 }] }, /cannot show/],
      ['no states', { states: undefined as unknown as number[] }, /lacks/],
    ];
    for (const [what, patch, msg] of bad) {
      assert.throws(() => m.applyState({ ...sample(7), ...patch }), msg, what);
      assert.equal(m.version, 1, `${what}: still version 1`);
      assert.equal(m.summaryText(), '262144 granules: 262140 UNDELEGATED, 2 DELEGATED, 1 RD, 1 RTT', what);
    }
  });

  it('round-trips through toMapState (what setState keeps across a reload)', () => {
    const m = new MapModel();
    m.applyState(sample());
    m.applyDelta(delta({ changes: [600, 5, 0] }));
    const again = new MapModel();
    again.applyState(JSON.parse(JSON.stringify(m.toMapState())));
    assert.equal(again.version, 2);
    assert.equal(again.states[600], 5);
    assert.equal(again.owners[600], 0);
    assert.equal(again.summaryText(), m.summaryText());
    assert.equal(again.at, 'stopped at line 17');
  });
});

describe('webview map model: deltas', () => {
  it('applies a delta that starts at its version and updates counts, realms and highlights', () => {
    const m = new MapModel();
    m.applyState(sample());
    const r = m.applyDelta(delta({ changes: [500, 0, -1, 700, 5, 0], changed: [500, 700], realms: [{ id: 0, rd: '0x8000a000', state: 'REALM_ACTIVE' }] }));
    assert.deepEqual(r, { kind: 'applied', indices: [500, 700] });
    assert.equal(m.version, 2);
    assert.equal(m.at, 'stopped at line 17');
    assert.equal(m.summaryText(), '262144 granules: 262140 UNDELEGATED, 1 DELEGATED, 1 RD, 1 DATA, 1 RTT');
    assert.equal(m.realms[0].state, 'REALM_ACTIVE');
    assert.equal(m.isChanged(700), true);
    assert.equal(m.isChanged(10), false, 'the previous highlights go');
    assert.equal(m.realmCounts().get(0), 3);
  });

  it('asks for a resync when a delta does not start at the version it holds, and changes nothing', () => {
    const m = new MapModel();
    m.applyState(sample(5));
    const before = m.summaryText();
    assert.deepEqual(m.applyDelta(delta({ from: 4, to: 6, changes: [500, 0, -1] })), { kind: 'resync', have: 5, reason: 'delta from version 4 but the map is at 5' });
    assert.equal(m.applyDelta(delta({ from: 6, to: 7, changes: [500, 0, -1] })).kind, 'resync', 'a delta from the future too');
    assert.equal(m.version, 5);
    assert.equal(m.summaryText(), before);
  });

  it('asks for a resync when it has no map yet', () => {
    assert.deepEqual(new MapModel().applyDelta(delta({})), { kind: 'resync', have: -1, reason: 'no map yet' });
  });

  it('refuses a malformed delta as a whole (nothing half-applied) and asks for a resync', () => {
    const m = new MapModel();
    m.applyState(sample());
    for (const changes of [[500, 0], [500, 0, -1, N, 1, -1], [500, 0, -1, 3, 999, -1], [1.5, 0, -1], [4, 1, -7]]) {
      assert.equal(m.applyDelta(delta({ changes })).kind, 'resync', JSON.stringify(changes));
      assert.equal(m.states[500], 1, 'granule 500 untouched');
      assert.equal(m.version, 1);
    }
  });

  it('carries and clears the stale marker with deltas, and marks stale on a stale message', () => {
    const m = new MapModel();
    m.applyState(sample());
    assert.equal(m.markStale(1, 'line 4: expected ;'), false, 'same version: no resync needed');
    assert.equal(m.stale, 'line 4: expected ;');
    m.applyDelta(delta({}));
    assert.equal(m.stale, undefined, 'a good run clears it');
    m.applyDelta(delta({ from: 2, to: 3, stale: 'RMI call failed' }));
    assert.equal(m.stale, 'RMI call failed');
    assert.equal(m.markStale(9, 'x'), true, 'another version: resync');
  });
});

describe('webview granule texts', () => {
  it('describes a granule for the tooltip and the live region from the local arrays', () => {
    const m = new MapModel();
    m.applyState(sample());
    const rd = granuleFacts(m, 10)!;
    assert.deepEqual(rd, { index: 10, pa: '0x8000_a000', state: 'RD', realm: '0x8000_a000', realmState: 'REALM_NEW', changed: true });
    assert.deepEqual(tooltipLines(rd), ['PA 0x8000_a000', 'RD', 'realm RD 0x8000_a000 (REALM_NEW)', 'changed since the previous stop or edit']);
    const free = granuleFacts(m, 500)!;
    assert.deepEqual(tooltipLines(free), ['PA 0x801f_4000', 'DELEGATED', 'no realm']);
    assert.equal(announce(free), 'PA 0x801f_4000, DELEGATED');
    assert.equal(granuleFacts(m, N), undefined);
    assert.equal(granuleFacts(m, -1), undefined);
  });

  it('writes a history line per transition', () => {
    assert.equal(transitionText({ seq: 3, command: 'RMI_GRANULE_DELEGATE', status: 'RMI_SUCCESS', from: 'UNDELEGATED', to: 'DELEGATED', file: 'a.realm.c', line: 17 }),
      '#3 RMI_GRANULE_DELEGATE: UNDELEGATED -> DELEGATED (RMI_SUCCESS) line 17');
  });
});

describe('webview saved state', () => {
  it('restores what it saved and repairs what it does not understand', () => {
    assert.deepEqual(restoreState(undefined).ui, { cell: undefined, scrollX: 0, scrollY: 0, focus: -1, selected: -1, mode: 'state', stateFilter: [], realmFilter: [] });
    const r = restoreState({ ui: { cell: 99, scrollX: -3, scrollY: 'x', focus: 12, selected: 3.7, mode: 'rainbow', stateFilter: [2, 'a', 1.5], realmFilter: [0] }, map: 5 });
    assert.deepEqual(r.ui, { cell: 16, scrollX: 0, scrollY: 0, focus: 12, selected: 3, mode: 'state', stateFilter: [2], realmFilter: [0] });
    assert.equal(r.map, undefined);
    assert.equal(restoreState({ ui: { mode: 'realm' }, map: sample() }).map?.version, 1);
  });
});
