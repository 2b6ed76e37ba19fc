// The webview's copy of the map: decoded granule states and owners, the version they are at, and
// everything derived from them (counts per state, the screen-reader summary). Applies the
// extension's `state`, `delta` and `stale` messages; a delta that does not start at our version
// is refused so that the caller asks for a resync. No DOM.
import { encodeRuns, granuleIndex, granulePa, type MapDelta, type MapRealm, type MapRegion, type MapState } from '../../protocol/granule-map';

/** Largest map the webview accepts: 32 GiB of DRAM (16,384 rows, within a canvas's height limit). */
export const MAX_GRANULES = 1 << 23;

export type DeltaResult =
  | { kind: 'applied'; indices: number[] }
  | { kind: 'resync'; have: number; reason: string };

export class MapModel {
  /** Version held, -1 before the first state. */
  version = -1;
  file = '';
  at = '';
  stale: string | undefined;
  regions: MapRegion[] = [];
  count = 0;
  stateNames: string[] = [];
  states = new Uint8Array(0);
  /** Owning realm id per granule, -1 for none. */
  owners = new Int32Array(0);
  realms: MapRealm[] = [];
  changed: number[] = [];
  private changedSet = new Set<number>();
  private stateCounts = new Float64Array(256);
  /** Highest realm id any granule has (-1 for none): sizes the per-realm colour table. */
  private maxOwner = -1;

  get loaded(): boolean { return this.version >= 0; }

  /** Replaces the whole map; throws a RangeError (and keeps the old map) when the message is malformed. */
  applyState(s: MapState): void {
    if (!s || typeof s !== 'object') throw new RangeError('the map message has no state');
    const count = s.count;
    if (!Number.isInteger(count) || count < 0 || count > MAX_GRANULES) throw new RangeError(`cannot show ${count} granules (at most ${MAX_GRANULES})`);
    if (!Number.isInteger(s.version)) throw new RangeError(`bad map version ${s.version}`);
    if (!Array.isArray(s.regions) || !Array.isArray(s.states) || !Array.isArray(s.owners) || !Array.isArray(s.stateNames)) throw new RangeError('the map message lacks regions, states, owners or state names');
    let sum = 0;
    for (const r of s.regions) {
      if (!Number.isInteger(r?.count) || r.count < 0 || !/^0x[0-9a-f_]+$/i.test(String(r.base))) throw new RangeError(`bad region ${JSON.stringify(r)}`);
      sum += r.count;
    }
    if (sum !== count) throw new RangeError(`regions hold ${sum} granules but the map has ${count}`);
    const states = new Uint8Array(count);
    const owners = new Int32Array(count);
    const stateCounts = new Float64Array(256);
    fillRuns(s.states, count, states, 0, 255, 'state code', (code, run) => { stateCounts[code] += run; });
    let maxOwner = -1;
    fillRuns(s.owners, count, owners, -1, 0xffff, 'realm id', (id) => { if (id > maxOwner) maxOwner = id; });
    this.version = s.version;
    this.file = String(s.file ?? '');
    this.at = String(s.at ?? '');
    this.stale = s.stale || undefined;
    this.regions = s.regions.map((r) => ({ base: String(r.base).replace(/_/g, ''), count: r.count }));
    this.count = count;
    this.stateNames = s.stateNames.map((n) => String(n ?? ''));
    this.states = states;
    this.owners = owners;
    this.realms = Array.isArray(s.realms) ? s.realms : [];
    this.setChanged(s.changed);
    this.stateCounts = stateCounts;
    this.maxOwner = maxOwner;
  }

  /** Applies a delta if it starts at our version; otherwise (or when malformed) says to resync. */
  applyDelta(d: MapDelta): DeltaResult {
    const have = this.version;
    if (!this.loaded) return { kind: 'resync', have, reason: 'no map yet' };
    if (!d || d.from !== this.version) return { kind: 'resync', have, reason: `delta from version ${d?.from} but the map is at ${this.version}` };
    const ch = d.changes;
    if (!Array.isArray(ch) || ch.length % 3 !== 0) return { kind: 'resync', have, reason: 'malformed delta' };
    for (let k = 0; k < ch.length; k += 3) {
      const i = ch[k], code = ch[k + 1], owner = ch[k + 2];
      if (!Number.isInteger(i) || i < 0 || i >= this.count || !Number.isInteger(code) || code < 0 || code > 255 || !Number.isInteger(owner) || owner < -1) {
        return { kind: 'resync', have, reason: `bad change at granule ${i}` };
      }
    }
    const indices: number[] = [];
    for (let k = 0; k < ch.length; k += 3) {
      const i = ch[k];
      this.stateCounts[this.states[i]]--;
      this.states[i] = ch[k + 1];
      this.owners[i] = ch[k + 2];
      if (this.owners[i] > this.maxOwner) this.maxOwner = this.owners[i];
      this.stateCounts[this.states[i]]++;
      indices.push(i);
    }
    this.version = d.to;
    if (typeof d.at === 'string') this.at = d.at;
    if (Array.isArray(d.realms)) this.realms = d.realms;
    this.setChanged(d.changed);
    this.stale = d.stale || undefined;
    return { kind: 'applied', indices };
  }

  /** Marks the map stale; true when the extension is at another version than ours (then resync). */
  markStale(version: number, reason: string): boolean {
    this.stale = reason || 'the scenario does not run';
    return this.loaded && version !== this.version;
  }

  isChanged(index: number): boolean { return this.changedSet.has(index); }

  countOf(code: number): number { return this.stateCounts[code] ?? 0; }

  stateName(code: number): string {
    return this.stateNames[code] || `STATE_${code}`;
  }

  /** Codes of the states with at least one granule, in code order. */
  presentStates(): number[] {
    const out: number[] = [];
    for (let c = 0; c < 256; c++) if (this.stateCounts[c] > 0) out.push(c);
    return out;
  }

  /** Codes the legend lists: every named state, plus any unnamed state that occurs. */
  legendStates(): number[] {
    const out = new Set<number>();
    this.stateNames.forEach((n, c) => { if (n) out.add(c); });
    for (const c of this.presentStates()) out.add(c);
    return [...out].sort((a, b) => a - b);
  }

  /** The screen-reader text, e.g. '262144 granules: 262141 UNDELEGATED, 2 DELEGATED, 1 RD'. */
  summaryText(): string {
    const parts = this.presentStates().map((c) => `${this.countOf(c)} ${this.stateName(c)}`);
    return `${this.count} granules: ${parts.join(', ')}`;
  }

  /** Granules owned by each realm id. */
  realmCounts(): Map<number, number> {
    const m = new Map<number, number>();
    for (let i = 0; i < this.owners.length; i++) {
      const o = this.owners[i];
      if (o >= 0) m.set(o, (m.get(o) ?? 0) + 1);
    }
    return m;
  }

  realm(id: number): MapRealm | undefined {
    return id < 0 ? undefined : this.realms.find((r) => r.id === id);
  }

  /** Highest realm id + 1 (size of a per-realm table). */
  realmSlots(): number {
    let n = 0;
    for (const r of this.realms) n = Math.max(n, r.id + 1);
    return Math.max(n, this.maxOwner + 1);
  }

  pa(index: number): bigint | undefined {
    return index >= 0 && index < this.count ? granulePa(this.regions, index) : undefined;
  }

  indexOf(pa: bigint): number {
    return granuleIndex(this.regions, pa);
  }

  /** The map as a `state` message again (run-length encoded), to keep with the webview's setState. */
  toMapState(): MapState {
    return {
      version: this.version, file: this.file, at: this.at, regions: this.regions, count: this.count,
      stateNames: this.stateNames, states: encodeRuns(this.states), owners: encodeRuns(this.owners),
      realms: this.realms, changed: this.changed, stale: this.stale,
    };
  }

  private setChanged(changed: unknown): void {
    this.changed = Array.isArray(changed) ? changed.filter((i) => Number.isInteger(i) && i >= 0 && i < this.count) : [];
    this.changedSet = new Set(this.changed);
  }
}

/**
 * Decodes run-length data like the protocol's decodeRuns, with the same checks, but writes each
 * run with TypedArray.fill: a 1 GiB map is a few runs, and filling beats a per-granule loop by
 * far on the first paint. `onRun` sees each (value, run) to total counts without another pass.
 */
function fillRuns(runs: readonly number[], count: number, into: Uint8Array | Int32Array, min: number, max: number, what: string, onRun: (value: number, run: number) => void): void {
  if (runs.length % 2 !== 0) throw new RangeError('run-length data has an odd number of entries');
  let at = 0;
  for (let k = 0; k < runs.length; k += 2) {
    const v = runs[k];
    const run = runs[k + 1];
    if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`bad ${what} ${v} in the map`);
    if (!Number.isInteger(run) || run <= 0 || at + run > count) throw new RangeError(`bad run of ${run} at granule ${at}`);
    into.fill(v, at, at + run);
    onRun(v, run);
    at += run;
  }
  if (at !== count) throw new RangeError(`run-length data covers ${at} of ${count} granules`);
}
