// The host's page allocator over NS DRAM: hands out whole pages (and kmalloc objects, one page
// each) from below the runtime's own area, downwards, skipping granules that are not
// UNDELEGATED. It knows which pages the host owns, refuses to free a page that is not back in the
// NS world, and enforces the memory budget.
import type { Rmm } from '../rmm';
import { CRuntimeError, hex } from '../lang';
import { granuleStateName } from '../rmm';

const PAGE = 4096;

export interface AllocatorSnapshot {
  owned: OwnedPagesSnapshot;
  free: number[];
  next: number;
  bytes: number;
}

export class PageAllocator {
  /** Page -> bytes requested (PAGE for pages, the size for kmalloc objects). */
  private readonly owned: OwnedPages;
  private free: number[] = [];
  private next: number;
  /** Bytes currently allocated. */
  bytes = 0;

  constructor(
    private readonly rmm: Rmm,
    /** Pages are handed out below this PA... */
    top: number,
    /** ...and not below this one. */
    private readonly floor: number,
    private readonly maxBytes: number,
  ) {
    this.next = top;
    this.owned = new OwnedPages(floor, top);
  }

  owns(pa: number): boolean {
    return this.owned.get(pa) !== undefined;
  }

  /** Pages the host holds, by PA. */
  ownedPages(): number[] {
    return this.owned.pages();
  }

  private undelegated(pa: number): boolean {
    const gi = this.rmm.st.granules.index(pa);
    return gi >= 0 && this.rmm.st.granules.state[gi] === 0;
  }

  /** A page (PA); its contents are zeroed when `zero`. */
  alloc(what: string, size = PAGE): number {
    if (this.bytes + PAGE > this.maxBytes) {
      throw new CRuntimeError(`${what}: out of memory budget (${this.maxBytes} bytes allocated at most, maxMemoryBytes); is something allocating in a loop?`, 'memory-budget');
    }
    let pa: number | undefined;
    while (this.free.length) {
      const p = this.free.pop()!;
      if (this.undelegated(p)) { pa = p; break; }
    }
    while (pa === undefined) {
      const p = this.next - PAGE;
      if (p < this.floor) throw new CRuntimeError(`${what}: out of memory (no UNDELEGATED page left in DRAM)`, 'out-of-memory');
      this.next = p;
      if (this.undelegated(p)) pa = p;
    }
    this.owned.set(pa, size);
    this.bytes += PAGE;
    return pa;
  }

  /** Returns a page; it must be one we handed out, and back in the NS world (UNDELEGATED). */
  release(pa: number, what: string): void {
    if (pa % PAGE !== 0 || this.owned.get(pa) === undefined) {
      throw new CRuntimeError(`${what}(${hex(pa)}): this address was not allocated by the page allocator (double free?)`, 'bad-free');
    }
    const gi = this.rmm.st.granules.index(pa);
    const state = this.rmm.st.granules.state[gi];
    if (state !== 0) {
      throw new CRuntimeError(
        `${what}(PA ${hex(pa)}): the granule is ${granuleStateName(state)}; the host must get it back to UNDELEGATED before freeing it, or the kernel would reuse memory that belongs to the realm world`,
        'free-not-undelegated',
      );
    }
    this.owned.delete(pa);
    this.free.push(pa);
    this.bytes -= PAGE;
  }

  sizeOf(pa: number): number | undefined {
    return this.owned.get(pa);
  }

  /** Cheap: the owned-page table is shared copy-on-write, only the free list is copied. */
  snapshot(): AllocatorSnapshot {
    return { owned: this.owned.snapshot(), free: this.free.slice(), next: this.next, bytes: this.bytes };
  }

  restore(s: AllocatorSnapshot): void {
    this.owned.restore(s.owned);
    this.free = s.free.slice();
    this.next = s.next;
    this.bytes = s.bytes;
  }
}

// OwnedPages: the pages the host holds and the size asked for each (PAGE for a page, the object
// size for kmalloc). A populate takes one page per 4 KB, so this is on the hot path: a Map keyed
// by PA (doubles above 2^31 are boxed, slow to hash) cost more than the rest of the allocator.
// Here it is a table indexed by page number above the allocator's floor, in chunks that snapshots
// share copy-on-write (as the RMM's physical memory does): a snapshot is O(chunks), so a debugger
// taking one every thousand steps pays nothing per page held. A chunk holds size + 1 per page
// (0: not owned) and is created with the first page allocated in it.
const CHUNK_SHIFT = 10;
const CHUNK = 1 << CHUNK_SHIFT;

export interface OwnedPagesSnapshot {
  /** Never changed once taken: the live table copies a chunk before changing it. */
  readonly chunks: readonly (Uint16Array | undefined)[];
  readonly count: number;
}

class OwnedPages {
  private chunks: (Uint16Array | undefined)[];
  /** 1 when chunks[c] belongs to the live table alone; 0 when a snapshot may share it. */
  private readonly mine: Uint8Array;
  /** Pages owned. */
  count = 0;

  constructor(
    /** Lowest PA a page can have. */
    private readonly base: number,
    /** End of the range (exclusive). */
    top: number,
  ) {
    const n = Math.max(0, Math.ceil((top - base) / PAGE / CHUNK));
    this.chunks = new Array<Uint16Array | undefined>(n).fill(undefined);
    this.mine = new Uint8Array(n);
  }

  /** Page index of `pa`, or -1 when it is not a page-aligned PA of the range. */
  private index(pa: number): number {
    const off = pa - this.base;
    if (!(off >= 0) || off % PAGE !== 0) return -1;
    const i = off / PAGE;
    return i < this.chunks.length * CHUNK ? i : -1;
  }

  /** The size recorded for the page at `pa`, or undefined when it is not owned. */
  get(pa: number): number | undefined {
    const i = this.index(pa);
    if (i < 0) return undefined;
    const c = this.chunks[i >>> CHUNK_SHIFT];
    const v = c ? c[i & (CHUNK - 1)] : 0;
    return v === 0 ? undefined : v - 1;
  }

  /** Records the page at `pa` (page aligned, inside the range) as owned with `size` bytes (0..PAGE). */
  set(pa: number, size: number): void {
    const i = this.index(pa);
    if (i < 0 || !(size >= 0 && size <= PAGE)) throw new RangeError(`owned pages: cannot record PA 0x${pa.toString(16)} (size ${size})`);
    const c = this.writable(i >>> CHUNK_SHIFT);
    const j = i & (CHUNK - 1);
    if (c[j] === 0) this.count++;
    c[j] = size + 1;
  }

  delete(pa: number): void {
    const i = this.index(pa);
    if (i < 0) return;
    const c = this.chunks[i >>> CHUNK_SHIFT];
    if (!c || c[i & (CHUNK - 1)] === 0) return;
    this.writable(i >>> CHUNK_SHIFT)[i & (CHUNK - 1)] = 0;
    this.count--;
  }

  /** PAs of the pages owned, ascending. */
  pages(): number[] {
    const out: number[] = [];
    for (let ci = 0; ci < this.chunks.length; ci++) {
      const c = this.chunks[ci];
      if (!c) continue;
      for (let j = 0; j < CHUNK; j++) if (c[j] !== 0) out.push(this.base + ((ci << CHUNK_SHIFT) + j) * PAGE);
    }
    return out;
  }

  snapshot(): OwnedPagesSnapshot {
    this.mine.fill(0);
    return { chunks: this.chunks.slice(), count: this.count };
  }

  restore(s: OwnedPagesSnapshot): void {
    if (s.chunks.length !== this.chunks.length) throw new RangeError('restore: an allocator snapshot of another memory layout');
    this.chunks = s.chunks.slice(); // never changed in place: mine is 0 for all of them
    this.mine.fill(0);
    this.count = s.count;
  }

  /** The live table's own chunk `ci`, created or copied from a snapshot's first. */
  private writable(ci: number): Uint16Array {
    let c = this.chunks[ci];
    if (!c || !this.mine[ci]) {
      c = c ? c.slice() : new Uint16Array(CHUNK);
      this.chunks[ci] = c;
      this.mine[ci] = 1;
    }
    return c;
  }
}
