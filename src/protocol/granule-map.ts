// The messages between the extension and the Granule Map webview, and the codec both sides use.
// Everything here is plain JSON: the map's granule states travel run-length encoded, because a
// machine is mostly UNDELEGATED and a 1 GiB map is then a few dozen numbers, not 262,144.
//
// Flow: the webview sends `ready` when its script starts (and after a reload); the extension
// answers with a full `state`. Later changes come as `delta`s whose `from` must equal the
// version the webview holds; otherwise the webview sends `resync` and gets a full `state` again.

/** Granules per map row: 2 MiB of DRAM, the span of one level-3 RTT. */
export const GRANULES_PER_ROW = 512;
export const GRANULE_SIZE = 4096;

/** A run of DRAM shown in the map; granule indices are contiguous across regions, in PA order. */
export interface MapRegion {
  /** PA of the region's first granule, as '0x...'. */
  base: string;
  /** Granules in the region. */
  count: number;
}

export interface MapRealm {
  /** Ordinal used in `owners` (0, 1, ...). */
  id: number;
  /** PA of the RD, as '0x...'. */
  rd: string;
  /** REALM_NEW, REALM_ACTIVE, ... */
  state: string;
}

/** The whole map at one version. */
export interface MapState {
  /** Increases with every state or delta the extension sends for this panel. */
  version: number;
  /** The scenario this shows (file name, for the title). */
  file: string;
  /** What moment of the run this is, e.g. 'end of run', 'after line 42', 'stopped at line 17'. */
  at: string;
  regions: MapRegion[];
  /** Total granules (sum of the regions' counts). */
  count: number;
  /** State name per state code (index = code, as the emulator encodes it; holes are ''). */
  stateNames: string[];
  /** Run-length encoded state codes: [code, run, code, run, ...], runs add up to `count`. */
  states: number[];
  /** Run-length encoded owning realm id per granule (-1 = none), same form as `states`. */
  owners: number[];
  realms: MapRealm[];
  /** Granule indices changed since the previous stop (debug) or edit (live); highlighted. */
  changed: number[];
  /** Set when the scenario no longer compiles or failed: the map is the last good one. */
  stale?: string;
}

/** Changes from version `from` to `to`; `changes` is flat [index, code, owner, index, code, owner, ...]. */
export interface MapDelta {
  from: number;
  to: number;
  at: string;
  changes: number[];
  realms: MapRealm[];
  changed: number[];
  stale?: string;
}

/** One transition in a granule's history. */
export interface GranuleTransition {
  /** RMI call number (1-based) in the run. */
  seq: number;
  /** RMI command name. */
  command: string;
  status: string;
  from: string;
  to: string;
  /** Where the call was issued (scenario or host file), 1-based line. */
  file: string;
  line: number;
}

/** Details of one granule, answered on `inspect`. */
export interface GranuleDetails {
  index: number;
  pa: string;
  state: string;
  /** PA of the owning RD. */
  realm?: string;
  history: GranuleTransition[];
}

/** What the tooltip adds for a hovered granule, beyond what the map's arrays say (answers `hover`). */
export interface GranuleHoverInfo {
  index: number;
  /** IPA at which a realm maps the granule (protected DATA), as '0x...'; absent when unmapped. */
  ipa?: string;
  /** The last transition of the granule in the run shown. */
  lastChange?: GranuleTransition;
}

export type ToWebview =
  | { type: 'state'; state: MapState }
  | { type: 'delta'; delta: MapDelta }
  | { type: 'stale'; version: number; reason: string }
  | { type: 'details'; details: GranuleDetails }
  | { type: 'hoverInfo'; info: GranuleHoverInfo }
  | { type: 'empty'; message: string }
  /** Scroll to granule `index`, outline it and open its history (the realms tree, "Show Granule History"). Answered with `selected`. */
  | { type: 'select'; index: number }
  /** Render the map at one pixel per granule as a PNG data URL; answered with `png` carrying the same `id`. */
  | { type: 'exportPng'; id: number };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'resync'; have: number }
  | { type: 'inspect'; index: number }
  | { type: 'hover'; index: number }
  | { type: 'reveal'; file: string; line: number }
  /** The answer to `select`: `ok` is false when the map has no granule `index` (or no map yet). */
  | { type: 'selected'; index: number; ok: boolean }
  /** The answer to `exportPng`: a `data:image/png;base64,...` URL, or why there is none. */
  | { type: 'png'; id: number; dataUrl?: string; width?: number; height?: number; error?: string };

/** Run-length encodes an array of small integers: [value, run, value, run, ...]. */
export function encodeRuns(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  const n = values.length;
  let i = 0;
  while (i < n) {
    const v = values[i];
    let j = i + 1;
    while (j < n && values[j] === v) j++;
    out.push(v, j - i);
    i = j;
  }
  return out;
}

/** Decodes `encodeRuns` output into `into` (which must hold `count` values); throws on a malformed input. */
export function decodeRuns<T extends { length: number; [i: number]: number }>(runs: readonly number[], count: number, into: T): T {
  if (runs.length % 2 !== 0) throw new RangeError('run-length data has an odd number of entries');
  let at = 0;
  for (let k = 0; k < runs.length; k += 2) {
    const v = runs[k];
    const run = runs[k + 1];
    if (!Number.isInteger(run) || run <= 0 || at + run > count) throw new RangeError(`bad run of ${run} at granule ${at}`);
    for (let i = 0; i < run; i++) into[at + i] = v;
    at += run;
  }
  if (at !== count) throw new RangeError(`run-length data covers ${at} of ${count} granules`);
  return into;
}

/** Applies a delta's flat [index, code, owner] triples to decoded arrays; false if an index is out of range. */
export function applyChanges(changes: readonly number[], states: { length: number; [i: number]: number }, owners: { length: number; [i: number]: number }): boolean {
  if (changes.length % 3 !== 0) return false;
  for (let k = 0; k < changes.length; k += 3) {
    const i = changes[k];
    if (!Number.isInteger(i) || i < 0 || i >= states.length) return false;
    states[i] = changes[k + 1];
    owners[i] = changes[k + 2];
  }
  return true;
}

/** PA of granule `index` as a bigint, from the regions (undefined when out of range). */
export function granulePa(regions: readonly MapRegion[], index: number): bigint | undefined {
  let i = index;
  for (const r of regions) {
    if (i < r.count) return BigInt(r.base) + BigInt(i) * BigInt(GRANULE_SIZE);
    i -= r.count;
  }
  return undefined;
}

/** Granule index of a PA (any address inside the granule), or -1 outside every region. */
export function granuleIndex(regions: readonly MapRegion[], pa: bigint): number {
  let first = 0;
  for (const r of regions) {
    const base = BigInt(r.base);
    const end = base + BigInt(r.count) * BigInt(GRANULE_SIZE);
    if (pa >= base && pa < end) return first + Number((pa - base) / BigInt(GRANULE_SIZE));
    first += r.count;
  }
  return -1;
}

/** '0x8000_1000'-style hex, as the spec writes addresses. */
export function hexPa(pa: bigint): string {
  const h = pa.toString(16);
  return '0x' + h.replace(/\B(?=([0-9a-f]{4})+$)/g, '_');
}
