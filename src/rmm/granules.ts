// The granule table: one entry per 4 KB granule of DRAM, kept in typed arrays so that 4 GiB
// (1,048,576 granules) costs a few megabytes and snapshots are plain copies.
import { GRANULE_SHIFT, GRANULE_SIZE, GranuleState } from './constants';

export interface DramRegion {
  base: number;
  size: number;
}

/**
 * Granules per snapshot chunk (snapshot.ts copies only the chunks written since the last snapshot
 * or restore and shares the others). 2^10 granules = 4 MiB of DRAM.
 */
export const CHUNK_SHIFT = 10;

/** A granule state change, recorded while a call is traced. */
export interface GranuleChange {
  pa: number;
  from: number;
  to: number;
}

/**
 * The granule changes of the call in progress, as (pa, from, to) triples in `data[0, n)`. Reused
 * call after call: emptied by setting `n` (an array's `length = 0` would free its store each time).
 */
export class ChangeBuffer {
  data = new Float64Array(48);
  n = 0;

  add(pa: number, from: number, to: number): void {
    let d = this.data;
    const n = this.n;
    if (n + 3 > d.length) {
      d = new Float64Array(d.length * 2);
      d.set(this.data);
      this.data = d;
    }
    d[n] = pa;
    d[n + 1] = from;
    d[n + 2] = to;
    this.n = n + 3;
  }
}

export class GranuleTable {
  readonly regions: readonly DramRegion[];
  readonly count: number;
  /** Granule state (GranuleState). */
  readonly state: Uint8Array;
  /** Granule index of the owning RD, or -1 (reference section 3.1, "Ownership"). */
  readonly owner: Int32Array;
  /**
   * Reference count, as TF-RMM keeps it: RD = number of RECs; RTT = number of live entries
   * (TABLE, ASSIGNED; ASSIGNED_NS is counted separately by the RTT itself); REC = 1 while running.
   */
  readonly refcount: Uint32Array;
  /**
   * Seq of the call that last moved each granule (state or owner), 0 for never: leak reports and
   * the map's history name the call that left a granule where it is. Stamped in set() from `seq`.
   */
  readonly lastChange: Uint32Array;
  /** Seq of the call in progress (the dispatcher sets it before every call). */
  seq = 0;
  /**
   * Per chunk of 2^CHUNK_SHIFT granules: written since the last snapshot or restore. state, owner
   * and lastChange must therefore only be written through set(); refcount is saved per object.
   */
  readonly dirty: Uint8Array;
  /** First granule index of each region. */
  private readonly firstIndex: number[];
  /**
   * Set while a call is traced; each change is appended here as three numbers, pa, from and to
   * (no object per change: a traced run records one or two per call). The dispatcher reuses one
   * buffer for every call and hands its contents on when the call is over.
   */
  changes: ChangeBuffer | undefined;

  constructor(regions: readonly DramRegion[]) {
    const sorted = [...regions].sort((a, b) => a.base - b.base);
    let count = 0;
    const first: number[] = [];
    for (let i = 0; i < sorted.length; i++) {
      const r = sorted[i];
      if (r.base % GRANULE_SIZE !== 0 || r.size % GRANULE_SIZE !== 0 || r.size <= 0) {
        throw new RangeError(`DRAM region 0x${r.base.toString(16)}+0x${r.size.toString(16)} is not granule aligned`);
      }
      if (i > 0 && sorted[i - 1].base + sorted[i - 1].size > r.base) {
        throw new RangeError(`DRAM regions overlap at 0x${r.base.toString(16)}`);
      }
      first.push(count);
      count += r.size / GRANULE_SIZE;
    }
    if (count > 1 << 26) throw new RangeError(`DRAM of ${count} granules is larger than the emulator supports (256 GiB)`);
    this.regions = sorted;
    this.firstIndex = first;
    this.count = count;
    this.state = new Uint8Array(count);
    this.owner = new Int32Array(count).fill(-1);
    this.refcount = new Uint32Array(count);
    this.lastChange = new Uint32Array(count);
    this.dirty = new Uint8Array(Math.ceil(count / 2 ** CHUNK_SHIFT));
  }

  /** Granule index of a PA, or -1 when the PA is outside DRAM (the spec's `*_bound` failures). */
  index(pa: number): number {
    const rs = this.regions;
    if (rs.length === 1) {
      const off = pa - rs[0].base;
      return off >= 0 && off < rs[0].size ? Math.floor(off / GRANULE_SIZE) : -1;
    }
    for (let i = 0; i < rs.length; i++) {
      const off = pa - rs[i].base;
      if (off >= 0 && off < rs[i].size) return this.firstIndex[i] + Math.floor(off / GRANULE_SIZE);
    }
    return -1;
  }

  /** PA of a granule index. */
  pa(gi: number): number {
    const rs = this.regions;
    if (rs.length === 1) return rs[0].base + gi * GRANULE_SIZE;
    for (let i = rs.length - 1; i >= 0; i--) {
      if (gi >= this.firstIndex[i]) return rs[i].base + (gi - this.firstIndex[i]) * GRANULE_SIZE;
    }
    throw new RangeError(`granule index ${gi} out of range`);
  }

  /** Moves a granule to a new state (and owner), recording the change when traced. */
  set(gi: number, to: number, owner = -1): void {
    const from = this.state[gi];
    if (from !== to || this.owner[gi] !== owner) this.lastChange[gi] = this.seq;
    this.dirty[gi >>> CHUNK_SHIFT] = 1;
    this.state[gi] = to;
    this.owner[gi] = owner;
    if (to === GranuleState.UNDELEGATED || to === GranuleState.DELEGATED) this.refcount[gi] = 0;
    if (this.changes !== undefined && from !== to) this.changes.add(this.pa(gi), from, to);
  }
}

export function isGranuleAligned(pa: number): boolean {
  return pa % GRANULE_SIZE === 0;
}

export { GRANULE_SHIFT };
