// Physical memory contents: sparse (only granules ever written hold a page) and copy-on-write
// across snapshots, so that a 4 GiB machine costs nothing until it is used.
import { GRANULE_SIZE } from './constants';
import type { GranuleTable } from './granules';

interface Page {
  /** The snapshot epoch the page was created in; older pages are shared with a snapshot. */
  epoch: number;
  bytes: Uint8Array;
}

export class PhysicalMemory {
  private pages = new Map<number, Page>();
  private epoch = 0;

  constructor(private readonly granules: GranuleTable) {}

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
      const page = this.pages.get(gi);
      if (page) out.set(page.bytes.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  write(pa: number, bytes: Uint8Array): void {
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

  /** The whole granule, or undefined when it was never written (reads as zero). */
  granuleBytes(gi: number): Uint8Array | undefined {
    return this.pages.get(gi)?.bytes;
  }

  /** Copies one granule's contents to another (DATA_CREATE copying from the source page). */
  copyGranule(fromGi: number, toGi: number): void {
    const src = this.pages.get(fromGi);
    if (!src) this.pages.delete(toGi);
    else this.writablePage(toGi).set(src.bytes);
  }

  /** Wipes a granule (the spec's "scrub"; here: zero, by dropping the page). */
  wipe(gi: number): void {
    this.pages.delete(gi);
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
    return this.pages.size;
  }

  private writablePage(gi: number): Uint8Array {
    let page = this.pages.get(gi);
    if (!page) {
      page = { epoch: this.epoch, bytes: new Uint8Array(GRANULE_SIZE) };
      this.pages.set(gi, page);
    } else if (page.epoch !== this.epoch) {
      page = { epoch: this.epoch, bytes: page.bytes.slice() };
      this.pages.set(gi, page);
    }
    return page.bytes;
  }

  /** A snapshot shares every page; the next write to a shared page copies it. */
  snapshot(): MemorySnapshot {
    const s = { pages: new Map(this.pages) };
    this.epoch++;
    return s;
  }

  restore(s: MemorySnapshot): void {
    this.pages = new Map(s.pages);
    this.epoch++;
  }
}

export interface MemorySnapshot {
  readonly pages: ReadonlyMap<number, Page>;
}
