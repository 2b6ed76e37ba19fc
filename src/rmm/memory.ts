// Physical memory contents: sparse (only granules ever written hold a page) and copy-on-write
// across snapshots, so that a 4 GiB machine costs nothing until it is used. Pages are kept in
// chunks of 2^CHUNK_SHIFT granules: a snapshot shares every chunk (O(chunks), not O(pages)); the
// first change to a shared chunk copies its small map, and the first write to a page older than
// the last snapshot copies that page (its epoch tells).
import { GRANULE_SIZE } from './constants';
import { CHUNK_SHIFT, type GranuleTable } from './granules';

interface Page {
  /** The snapshot epoch the page was created in; older pages are shared with a snapshot. */
  epoch: number;
  bytes: Uint8Array;
}

type Chunk = Map<number, Page> | undefined;

export class PhysicalMemory {
  /** Pages by granule index, per chunk; undefined: no page in the chunk. */
  private chunks: Chunk[];
  /** 1 when chunks[c] belongs to the live memory alone; 0 when a snapshot may share it. */
  private readonly owned: Uint8Array;
  /** Copy-on-write epoch: bumped by every snapshot and restore (see `epoch`). */
  private epochCount = 0;
  /** Bumped whenever a granule's page appears, goes or is replaced by a copy (see `replacements`). */
  private replaced = 0;

  constructor(private readonly granules: GranuleTable) {
    const n = Math.ceil(granules.count / 2 ** CHUNK_SHIFT);
    this.chunks = new Array<Chunk>(n).fill(undefined);
    this.owned = new Uint8Array(n);
  }

  /**
   * Changes whenever a page's bytes may have been replaced by another array (a snapshot or restore
   * starts a new copy-on-write epoch). A cache of granuleBytes / writableGranule arrays is valid
   * while the epoch is unchanged and no RMI call ran (a call may wipe or replace a granule).
   */
  get epoch(): number {
    return this.epochCount;
  }

  /**
   * Changes whenever some granule's bytes array appears, goes (a wipe) or is replaced by a copy:
   * while it and the epoch are unchanged, every granuleBytes array a cache holds is still the one
   * memory has, so a cache need not look each one up again after an RMI call.
   */
  get replacements(): number {
    return this.replaced;
  }

  private page(gi: number): Page | undefined {
    return this.chunks[gi >>> CHUNK_SHIFT]?.get(gi);
  }

  /** The live memory's own map for the chunk of `gi`, copying a shared one first. */
  private mutableChunk(gi: number): Map<number, Page> {
    const c = gi >>> CHUNK_SHIFT;
    let m = this.chunks[c];
    if (!m || !this.owned[c]) {
      m = new Map(m);
      this.chunks[c] = m;
      this.owned[c] = 1;
    }
    return m;
  }

  private drop(gi: number): void {
    if (this.page(gi)) {
      this.mutableChunk(gi).delete(gi);
      this.replaced++;
    }
  }

  private gi(pa: number, what: string): number {
    const gi = this.granules.index(pa);
    if (gi < 0) throw new RangeError(`${what}: PA 0x${pa.toString(16)} is outside DRAM`);
    return gi;
  }

  read(pa: number, length: number): Uint8Array {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`read: bad length ${length}`);
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const cur = pa + done;
      const gi = this.gi(cur, 'read');
      const off = cur % GRANULE_SIZE;
      const n = Math.min(GRANULE_SIZE - off, length - done);
      const page = this.page(gi);
      if (page) out.set(page.bytes.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  write(pa: number, bytes: Uint8Array): void {
    const off = pa % GRANULE_SIZE;
    if (off + bytes.length <= GRANULE_SIZE) {
      // Inside one granule (nearly every write): no per-granule loop, no subarray.
      if (bytes.length > 0) this.writablePage(this.gi(pa, 'write')).set(bytes, off);
      return;
    }
    let done = 0;
    while (done < bytes.length) {
      const cur = pa + done;
      const gi = this.gi(cur, 'write');
      const off = cur % GRANULE_SIZE;
      const n = Math.min(GRANULE_SIZE - off, bytes.length - done);
      this.writablePage(gi).set(bytes.subarray(done, done + n), off);
      done += n;
    }
  }

  /**
   * The granule's bytes, made the live memory's own first (allocated, or copied from a snapshot's):
   * writes into the array change memory until the next RMI call, snapshot or restore (see `epoch`).
   */
  writableGranule(gi: number): Uint8Array {
    if (!(gi >= 0 && gi < this.granules.count)) throw new RangeError(`writableGranule: granule index ${gi} is outside DRAM`);
    return this.writablePage(gi);
  }

  /** The whole granule, or undefined when it was never written (reads as zero). */
  granuleBytes(gi: number): Uint8Array | undefined {
    return this.page(gi)?.bytes;
  }

  /** Copies one granule's contents to another (DATA_CREATE copying from the source page). */
  copyGranule(fromGi: number, toGi: number): void {
    const src = this.page(fromGi);
    if (!src) this.drop(toGi);
    else this.writablePage(toGi).set(src.bytes);
  }

  /** Wipes a granule (the spec's "scrub"; here: zero, by dropping the page). */
  wipe(gi: number): void {
    this.drop(gi);
  }

  readU64(pa: number): bigint {
    const b = this.read(pa, 8);
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  }

  writeU64(pa: number, v: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    this.write(pa, b);
  }

  /** Number of granules holding a page. */
  get residentGranules(): number {
    let n = 0;
    for (const m of this.chunks) n += m ? m.size : 0;
    return n;
  }

  private writablePage(gi: number): Uint8Array {
    let page = this.page(gi);
    if (!page) {
      page = { epoch: this.epochCount, bytes: new Uint8Array(GRANULE_SIZE) };
      this.mutableChunk(gi).set(gi, page);
      this.replaced++;
    } else if (page.epoch !== this.epochCount) {
      page = { epoch: this.epochCount, bytes: page.bytes.slice() };
      this.mutableChunk(gi).set(gi, page);
      this.replaced++;
    }
    return page.bytes;
  }

  /** A snapshot shares every chunk and page; the next change to a shared one copies it. */
  snapshot(): MemorySnapshot {
    const s = { chunks: this.chunks.slice() };
    this.owned.fill(0);
    this.epochCount++;
    return s;
  }

  restore(s: MemorySnapshot): void {
    if (s.chunks.length !== this.chunks.length) throw new RangeError('restore: memory snapshot of a machine of another size');
    this.chunks = s.chunks.slice() as Chunk[]; // never changed in place: owned is 0 for all of them
    this.owned.fill(0);
    this.epochCount++;
  }
}

export interface MemorySnapshot {
  /** Never changed once taken: the live memory copies a chunk before changing it. */
  readonly chunks: readonly (ReadonlyMap<number, Page> | undefined)[];
}
