// The host's page allocator over NS DRAM: hands out whole pages (and kmalloc objects, one page
// each) from below the runtime's own area, downwards, skipping granules that are not
// UNDELEGATED. It knows which pages the host owns, refuses to free a page that is not back in the
// NS world, and enforces the memory budget.
import type { Rmm } from '../rmm';
import { CRuntimeError, hex } from '../lang';
import { granuleStateName } from '../rmm';

const PAGE = 4096;

export interface AllocatorSnapshot {
  owned: [number, number][];
  free: number[];
  next: number;
  bytes: number;
}

export class PageAllocator {
  /** PA -> bytes requested (PAGE for pages, the size for kmalloc objects). */
  private owned = new Map<number, number>();
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
  }

  owns(pa: number): boolean {
    return this.owned.has(pa);
  }

  /** Pages the host holds, by PA. */
  ownedPages(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
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
    if (pa % PAGE !== 0 || !this.owned.has(pa)) {
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

  snapshot(): AllocatorSnapshot {
    return { owned: [...this.owned], free: this.free.slice(), next: this.next, bytes: this.bytes };
  }

  restore(s: AllocatorSnapshot): void {
    this.owned = new Map(s.owned);
    this.free = s.free.slice();
    this.next = s.next;
    this.bytes = s.bytes;
  }
}
