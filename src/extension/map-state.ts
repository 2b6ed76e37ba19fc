// Turns the emulator's granule table into the Granule Map's messages (src/protocol): a full
// MapState, or a MapDelta against the previous arrays. No `vscode` here, so it is unit-tested.
import { GranuleState, REALM_STATE_NAMES, granuleStateName, statusName, type Rmm } from '../rmm';
import { encodeRuns, type GranuleDetails, type GranuleHoverInfo, type MapDelta, type MapRealm, type MapState, type GranuleTransition } from '../protocol/granule-map';
import type { RmiCallEvent } from '../run';
import { levelSize } from '../rmm/rtt';

/** The decoded arrays a map was built from, kept to compute the next delta. */
export interface MapArrays {
  states: Uint8Array;
  /** Realm id per granule (-1 = none). */
  owners: Int32Array;
  realms: MapRealm[];
}

const STATE_NAMES: string[] = (() => {
  const names: string[] = [];
  for (const v of Object.values(GranuleState)) names[v] = granuleStateName(v);
  for (let i = 0; i < names.length; i++) names[i] ??= '';
  return names;
})();

const hex = (n: number | bigint) => `0x${n.toString(16)}`;

/** Copies the emulator's granule states and owners, with owners renumbered as realm ids. */
export function captureArrays(rmm: Rmm): MapArrays {
  const g = rmm.st.granules;
  const states = g.state.slice();
  const owners = new Int32Array(g.count).fill(-1);
  const ids = new Map<number, number>();
  const realms: MapRealm[] = [];
  const rds = [...rmm.st.realms.keys()].sort((a, b) => a - b);
  for (const rd of rds) {
    const id = realms.length;
    ids.set(rd, id);
    const realm = rmm.st.realms.get(rd)!;
    realms.push({ id, rd: hex(g.pa(rd)), state: REALM_STATE_NAMES[realm.state] ?? `STATE_${realm.state}` });
  }
  const src = g.owner;
  for (let i = 0; i < src.length; i++) {
    const o = src[i];
    if (o >= 0) owners[i] = ids.get(o) ?? -1;
  }
  for (const [rd, id] of ids) owners[rd] = id; // an RD belongs to its own realm
  return { states, owners, realms };
}

/** Granule indices whose state or owner differ between two captures (capped: only for highlighting). */
export function changedIndices(a: MapArrays | undefined, b: MapArrays, cap = 100_000): number[] {
  if (!a || a.states.length !== b.states.length) return [];
  const out: number[] = [];
  for (let i = 0; i < b.states.length && out.length < cap; i++) {
    if (a.states[i] !== b.states[i] || a.owners[i] !== b.owners[i]) out.push(i);
  }
  return out;
}

export function fullState(rmm: Rmm, arrays: MapArrays, o: { version: number; file: string; at: string; changed: number[]; stale?: string }): MapState {
  return {
    version: o.version, file: o.file, at: o.at,
    regions: rmm.st.granules.regions.map((r) => ({ base: hex(r.base), count: r.size / 4096 })),
    count: arrays.states.length,
    stateNames: STATE_NAMES,
    states: encodeRuns(arrays.states),
    owners: encodeRuns(arrays.owners),
    realms: arrays.realms,
    changed: o.changed,
    stale: o.stale,
  };
}

/** The delta from `prev` to `next`, or undefined when the machines differ in size (send a full state). */
export function deltaBetween(prev: MapArrays, next: MapArrays, o: { from: number; to: number; at: string; changed: number[]; stale?: string }): MapDelta | undefined {
  if (prev.states.length !== next.states.length) return undefined;
  const changes: number[] = [];
  for (let i = 0; i < next.states.length; i++) {
    if (prev.states[i] !== next.states[i] || prev.owners[i] !== next.owners[i]) changes.push(i, next.states[i], next.owners[i]);
  }
  return { from: o.from, to: o.to, at: o.at, changes, realms: next.realms, changed: o.changed, stale: o.stale };
}

/** A granule's details for the map's side panel: its state now and every transition in the run. */
export function granuleDetails(rmm: Rmm, calls: readonly RmiCallEvent[], index: number, shown?: MapArrays): GranuleDetails | undefined {
  const g = rmm.st.granules;
  if (!Number.isInteger(index) || index < 0 || index >= g.count) return undefined;
  const pa = g.pa(index);
  const history: GranuleTransition[] = [];
  for (const c of calls) {
    for (const ch of c.changes) {
      if (ch.pa !== pa) continue;
      history.push({
        seq: c.seq, command: c.name, status: statusText(c), from: granuleStateName(ch.from), to: granuleStateName(ch.to),
        file: c.range.file, line: c.range.line,
      });
    }
  }
  // A replayed view (the map at the cursor line) shows its own arrays, not the emulator's end state.
  if (shown) {
    const id = shown.owners[index];
    const rd = id >= 0 ? shown.realms[id]?.rd : undefined;
    return { index, pa: hex(pa), state: granuleStateName(shown.states[index]), realm: rd, history };
  }
  const owner = g.owner[index];
  return {
    index, pa: hex(pa), state: granuleStateName(g.state[index]),
    realm: owner >= 0 ? hex(g.pa(owner)) : g.state[index] === GranuleState.RD ? hex(pa) : undefined,
    history,
  };
}

function statusText(c: RmiCallEvent): string {
  return c.failedCheck ? `${statusName(c.status)} (${c.failedCheck})` : statusName(c.status);
}

/**
 * The granule states after the first `n` RMI calls of a run, rebuilt from the calls' recorded
 * changes on top of a fresh machine (every granule UNDELEGATED). Owners are not part of the
 * changes, so they read as none: colour-by-realm needs the live state, not a replay.
 */
export function arraysAfterCalls(rmm: Rmm, calls: readonly RmiCallEvent[], n: number): MapArrays {
  const g = rmm.st.granules;
  const states = new Uint8Array(g.count);
  const owners = new Int32Array(g.count).fill(-1);
  for (let k = 0; k < n && k < calls.length; k++) {
    for (const ch of calls[k].changes) {
      const i = g.index(ch.pa);
      if (i >= 0) states[i] = ch.to;
    }
  }
  return { states, owners, realms: [] };
}

/** How many calls were made up to scenario line `line`: the calls up to the last one the entry function made from a line <= `line`. */
export function callsUpToLine(calls: readonly { entryLine: number }[], line: number): number {
  for (let k = calls.length - 1; k >= 0; k--) if (calls[k].entryLine <= line) return k + 1;
  return 0;
}

/** RTT entry state ASSIGNED (protected memory mapped to an output address). */
const RTT_ASSIGNED = 1;

/**
 * IPA at which a realm maps the granule at `pa` (a level-3 page or inside a block), found by
 * scanning the realms' RTTs; undefined when no ASSIGNED entry points at it.
 */
export function ipaOf(rmm: Rmm, pa: number): number | undefined {
  for (const t of rmm.st.rtts.values()) {
    const size = levelSize(t.level);
    for (let i = 0; i < t.state.length; i++) {
      if (t.state[i] !== RTT_ASSIGNED) continue;
      const out = t.addr[i];
      if (pa >= out && pa < out + size) return t.baseIpa + i * size + (pa - out);
    }
  }
  return undefined;
}

/** The tooltip's extra facts: the last transition in `calls`, and the IPA when `live` (the emulator's own state is shown). */
export function hoverInfo(rmm: Rmm, calls: readonly RmiCallEvent[], index: number, live: boolean): GranuleHoverInfo | undefined {
  const g = rmm.st.granules;
  if (!Number.isInteger(index) || index < 0 || index >= g.count) return undefined;
  const pa = g.pa(index);
  const info: GranuleHoverInfo = { index };
  for (let k = calls.length - 1; k >= 0 && !info.lastChange; k--) {
    const c = calls[k];
    for (const ch of c.changes) {
      if (ch.pa !== pa) continue;
      info.lastChange = { seq: c.seq, command: c.name, status: statusText(c), from: granuleStateName(ch.from), to: granuleStateName(ch.to), file: c.range.file, line: c.range.line };
    }
  }
  if (live && g.state[index] === GranuleState.DATA) {
    const ipa = ipaOf(rmm, pa);
    if (ipa !== undefined) info.ipa = hex(ipa);
  }
  return info;
}
