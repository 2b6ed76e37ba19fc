// Which granules changed between two snapshots, or between a snapshot and now: what the granule
// map highlights after a debugger stop and what a fault sweep compares. Fast on 1,048,576 granules:
// chunks two snapshots share (granule-snapshot.ts) are skipped unread; elsewhere the state bytes
// are compared four at a time through Int32Array views and only the words that differ (or whose
// owners differ) are looked at granule by granule. (Float64Array views would compare 8 bytes at
// once but are wrong here: +0 and -0 compare equal, and NaN bit patterns unequal.)
import { CHUNK_SHIFT, liveChunkIs } from './granule-snapshot';
import type { GranuleTable } from './granules';
import type { RmmSnapshot } from './snapshot';
import type { RmmState } from './state';

/** A granule whose state or owner differs. States are GranuleState values; owners are RD PAs. */
export interface GranuleDelta {
  pa: number;
  from: number;
  to: number;
  /** PA of the owning RD before / after; undefined when unowned. */
  fromRealm?: number;
  toRealm?: number;
}

/** The per-granule arrays a diff reads (e.g. two copies of a GranuleTable's state and owner). */
export interface GranuleArrays {
  readonly state: Uint8Array;
  readonly owner: Int32Array;
}

function words(a: Uint8Array): Int32Array | undefined {
  return a.byteOffset % 4 === 0 ? new Int32Array(a.buffer, a.byteOffset, a.length >> 2) : undefined;
}

/**
 * Appends the granules whose state or owner differ between a and b (equal-length ranges that
 * start at granule index `first`), in address order.
 */
function diffRange(table: GranuleTable, first: number, a: GranuleArrays, b: GranuleArrays, out: GranuleDelta[]): void {
  const n = a.state.length;
  const sa = a.state;
  const sb = b.state;
  const oa = a.owner;
  const ob = b.owner;
  const wa = words(sa);
  const wb = words(sb);
  let i = 0;
  if (wa && wb) {
    const nw = wa.length;
    for (let w = 0; w < nw; w++) {
      const g0 = w << 2;
      if (wa[w] === wb[w] && oa[g0] === ob[g0] && oa[g0 + 1] === ob[g0 + 1] && oa[g0 + 2] === ob[g0 + 2] && oa[g0 + 3] === ob[g0 + 3]) continue;
      for (let k = g0; k < g0 + 4; k++) if (sa[k] !== sb[k] || oa[k] !== ob[k]) out.push(delta(table, first + k, sa[k], sb[k], oa[k], ob[k]));
    }
    i = nw << 2;
  }
  for (; i < n; i++) if (sa[i] !== sb[i] || oa[i] !== ob[i]) out.push(delta(table, first + i, sa[i], sb[i], oa[i], ob[i]));
}

function delta(table: GranuleTable, gi: number, from: number, to: number, fromOwner: number, toOwner: number): GranuleDelta {
  const d: GranuleDelta = { pa: table.pa(gi), from, to };
  if (fromOwner >= 0) d.fromRealm = table.pa(fromOwner);
  if (toOwner >= 0) d.toRealm = table.pa(toOwner);
  return d;
}

/** Granules whose state or owner differ between two whole-table arrays of the machine `table`. */
export function diffGranuleArrays(table: GranuleTable, a: GranuleArrays, b: GranuleArrays): GranuleDelta[] {
  const n = table.count;
  if (a.state.length !== n || b.state.length !== n || a.owner.length !== n || b.owner.length !== n) {
    throw new RangeError('diff: the arrays are not of this machine\'s size');
  }
  const out: GranuleDelta[] = [];
  diffRange(table, 0, a, b, out);
  return out;
}

/** Granules changed from snapshot `from` to snapshot `to`, or to the current state when `to` is omitted. */
export function diffSnapshots(rmm: { readonly st: RmmState }, from: RmmSnapshot, to?: RmmSnapshot): GranuleDelta[] {
  const g = rmm.st.granules;
  const a = from.granules;
  if (a.count !== g.count || (to && to.granules.count !== g.count)) throw new RangeError('diff: snapshots of machines of different sizes');
  const out: GranuleDelta[] = [];
  for (let c = 0; c < a.chunks.length; c++) {
    const ca = a.chunks[c];
    const first = c << CHUNK_SHIFT;
    if (to) {
      const cb = to.granules.chunks[c];
      if (ca !== cb) diffRange(g, first, ca, cb, out);
    } else if (!liveChunkIs(g, c, ca)) {
      const end = first + ca.state.length;
      diffRange(g, first, ca, { state: g.state.subarray(first, end), owner: g.owner.subarray(first, end) }, out);
    }
  }
  return out;
}
