// The C program's view of memory: the emulator's physical memory through the linear map. Every
// access is checked like hardware would: a NULL or wild pointer faults, and touching a granule
// that is not UNDELEGATED is a granule protection fault (the host may only use NS memory).
import { granuleStateName, type Rmm } from '../../rmm';
import { from64, toOuter } from './arith64';
import { CRuntimeError, hex } from './errors';
import { PAGE_OFFSET, PAGE_OFFSET_M, funcIdOf, virt_to_phys } from './layout';
import { K, KIND_SIZE } from './ops';

export type Value = number | bigint;

const GRANULE = 4096;
const TWO32 = 4294967296;
/** Pages in the machine's page cache (direct-mapped by a hash of the page number). */
const CACHE = 256;
/**
 * The cache slot of page `pn`. Not just its low bits: the top of the stack and the runtime data
 * below the 1 MiB stack are 256 pages apart, and would evict each other on every access.
 */
const slotOf = (pn: number) => (pn ^ (pn >>> 8)) & (CACHE - 1);

export class HostMemory {
  private readonly granules: Rmm['st']['granules'];
  private readonly phys: Rmm['st']['memory'];
  private readonly scratch = new Uint8Array(8);
  private readonly sv = new DataView(this.scratch.buffer);
  private readonly views = [1, 2, 4, 8].map((n) => this.scratch.subarray(0, n));
  private readonly dvCache = new WeakMap<Uint8Array, DataView>();
  // The machine's page cache: pages already checked as UNDELEGATED DRAM, with a DataView on their
  // bytes. An entry is good for one generation: anything that may start a copy-on-write epoch (a
  // snapshot or restore, any write other than through the cache) must happen in another one, so
  // the machine calls resume() when it resumes and after every intrinsic, and the bulk write paths
  // here invalidate too. An RMI call only makes entries suspect (`callGen`): the first use after
  // it checks again that the granule is still UNDELEGATED and still holds the same bytes object
  // (a wipe, a copy-on-write or a first write by the RMM replaces it), which is all a call can
  // change about a page of the host's.
  private gen = 1;
  private callGen = 1;
  private readonly cPage = new Float64Array(CACHE).fill(-1);
  private readonly cGen = new Int32Array(CACHE);
  private readonly cCall = new Int32Array(CACHE);
  private readonly cGi = new Int32Array(CACHE);
  private readonly cBytes: (Uint8Array | undefined)[] = new Array(CACHE).fill(undefined);
  /** 1: the cached bytes are the live memory's own copy for this epoch (writes go straight in). */
  private readonly cWritable = new Uint8Array(CACHE);
  private readonly cDv: (DataView | undefined)[] = new Array(CACHE).fill(undefined);

  private seenEpoch: unknown = -1;
  private seenCalls = -1;
  private seenReplacements: unknown = -1;
  /**
   * Whether, since callGen last moved, no granule's bytes array may have been replaced (memory's
   * `replacements` unchanged): then an entry made suspect by a call needs only its state checked.
   */
  private bytesKept = false;

  constructor(private readonly rmm: Rmm) {
    this.granules = rmm.st.granules;
    this.phys = rmm.st.memory;
  }

  /** Translates and checks an access of `len` bytes at `va`; returns the PA. */
  pa(va: bigint, len: number, write: boolean): number {
    const pa = virt_to_phys(va);
    if (pa === undefined) throw this.badAddress(va, write);
    this.check(pa, len, write);
    return pa;
  }

  private badAddress(va: bigint, write: boolean): CRuntimeError {
    const what = write ? 'write to' : 'read from';
    const v = BigInt.asUintN(64, va);
    if (v < 0x1_0000n) return new CRuntimeError(`NULL pointer dereference: ${what} address ${hex(v)}`, 'null-deref');
    if (funcIdOf(v) !== undefined) return new CRuntimeError(`${what} ${hex(v)}, which is the address of a function, not data`, 'bad-address');
    if (v < 1n << 48n) {
      return new CRuntimeError(`${what} ${hex(v)}: not a kernel virtual address (a physical address? use phys_to_virt(); the linear map starts at ${hex(PAGE_OFFSET)})`, 'bad-address');
    }
    return new CRuntimeError(`${what} ${hex(v)}: the address is not mapped`, 'bad-address');
  }

  /** Checks that [pa, pa+len) is DRAM the host may touch. */
  check(pa: number, len: number, write: boolean): void {
    const g = this.granules;
    const first = g.index(pa);
    if (first < 0) throw new CRuntimeError(`${write ? 'write to' : 'read from'} PA ${hex(pa)}, which is outside DRAM`, 'bad-address');
    if (g.state[first] !== 0) throw this.gpf(pa, first, write);
    const lastPa = pa + Math.max(len, 1) - 1;
    if (Math.floor(lastPa / GRANULE) !== Math.floor(pa / GRANULE)) {
      for (let p = (Math.floor(pa / GRANULE) + 1) * GRANULE; p <= lastPa; p += GRANULE) {
        const gi = g.index(p);
        if (gi < 0) throw new CRuntimeError(`${write ? 'write to' : 'read from'} PA ${hex(p)}, which is outside DRAM`, 'bad-address');
        if (g.state[gi] !== 0) throw this.gpf(p, gi, write);
      }
    }
  }

  private gpf(pa: number, gi: number, write: boolean): CRuntimeError {
    const state = granuleStateName(this.granules.state[gi]);
    return new CRuntimeError(
      `granule protection fault: the host ${write ? 'wrote to' : 'read from'} PA ${hex(pa)}, but its granule is ${state}, not UNDELEGATED (it belongs to the realm world now)`,
      'granule-protection-fault',
    );
  }

  private dv(bytes: Uint8Array): DataView {
    let v = this.dvCache.get(bytes);
    if (!v) {
      v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.dvCache.set(bytes, v);
    }
    return v;
  }

  /** Outer-value load (64-bit kinds as BigInt), for intrinsics and the debugger. */
  load(va: bigint, k: K): Value {
    this.resume(); // also called between steps (the debugger, after a restore)
    return toOuter(this.loadPA(this.pa(va, KIND_SIZE[k], false), k), k);
  }

  store(va: bigint, k: K, v: Value): void {
    this.resume();
    this.storePA(this.pa(va, KIND_SIZE[k], true), k, from64(v));
  }

  /**
   * Drops the cache entries of the pages a bulk write touches: the write may give such a page
   * new bytes (copy-on-write), which a read-only entry would not see. Writable entries stay good.
   */
  private forget(pa: number, len: number): void {
    const last = Math.floor((pa + len - 1) / GRANULE);
    for (let pn = Math.floor(pa / GRANULE); pn <= last; pn++) {
      const slot = slotOf(pn);
      if (this.cPage[slot] === pn && !this.cWritable[slot]) this.cPage[slot] = -1;
      if (last - pn > CACHE) { this.gen++; return; }
    }
  }

  /** Forgets the page cache (see `gen`). */
  invalidate(): void {
    this.gen++;
  }

  /**
   * The machine resumes (a step): keeps the page cache only when nothing can have changed under
   * it since it last ran: no SMC (granule states, wiped pages) and no snapshot or restore (the
   * memory's copy-on-write epoch; read defensively, as a number, or the cache is dropped).
   */
  resume(): void {
    const epoch = (this.phys as unknown as { epoch?: unknown }).epoch;
    const calls = this.rmm.calls;
    if (typeof epoch !== 'number' || epoch !== this.seenEpoch) {
      this.gen++;
      this.seenEpoch = epoch;
    }
    if (calls !== this.seenCalls) {
      this.callGen++;
      this.seenCalls = calls;
      const replacements = (this.phys as unknown as { replacements?: unknown }).replacements;
      this.bytesKept = typeof replacements === 'number' && replacements === this.seenReplacements;
      this.seenReplacements = replacements;
    }
  }

  /** The PA behind a machine-value VA (arith64.ts), checked for an access of `len` bytes. */
  paM(va: Value, len: number, write: boolean): number {
    if (typeof va === 'number') {
      const pa = va - PAGE_OFFSET_M;
      if (pa >= 0 && pa < 0x8000_0000_0000) {
        this.check(pa, len, write);
        return pa;
      }
    }
    return this.pa(BigInt.asUintN(64, BigInt(va)), len, write);
  }

  /** Machine-value load at a machine-value VA. */
  loadM(va: Value, k: K): Value {
    if (typeof va === 'number') {
      const pa = va - PAGE_OFFSET_M;
      if (pa >= 0 && pa < 0x8000_0000_0000) return this.loadPA(pa, k);
    }
    return this.loadPA(this.pa(BigInt.asUintN(64, BigInt(va)), KIND_SIZE[k], false), k);
  }

  storeM(va: Value, k: K, v: Value): void {
    if (typeof va === 'number') {
      const pa = va - PAGE_OFFSET_M;
      if (pa >= 0 && pa < 0x8000_0000_0000) return this.storePA(pa, k, v);
    }
    this.storePA(this.pa(BigInt.asUintN(64, BigInt(va)), KIND_SIZE[k], true), k, v);
  }

  /** The cached view of page `pn`, undefined for a page never written (reads as zero), or false when it is not cached. */
  private cached(pn: number, write: boolean): DataView | undefined | false {
    const slot = slotOf(pn);
    if (this.cPage[slot] === pn && this.cGen[slot] === this.gen && (!write || this.cWritable[slot])) {
      if (this.cCall[slot] === this.callGen) return this.cDv[slot];
      const gi = this.cGi[slot];
      if (this.granules.state[gi] === 0 && ((this.bytesKept && this.cCall[slot] === this.callGen - 1) || this.phys.granuleBytes(gi) === this.cBytes[slot])) {
        this.cCall[slot] = this.callGen;
        return this.cDv[slot];
      }
    }
    return false;
  }

  /** The cached view of page `pn` (holding `pa`; checked), or undefined when the page was never written. */
  private pageView(pn: number, pa: number, write: boolean): DataView | undefined {
    const c = this.cached(pn, write);
    return c === false ? this.fill(pn, pa, write) : c;
  }

  /** Checks page `pn` (for an access at `pa`, named in errors) and caches it. */
  private fill(pn: number, pa: number, write: boolean): DataView | undefined {
    const slot = slotOf(pn);
    const g = this.granules;
    const gi = g.index(pa);
    if (gi < 0 || g.state[gi] !== 0) this.check(pa, 1, write); // throws the right error
    let bytes = this.phys.granuleBytes(gi);
    if (write) {
      // Makes the page the live memory's own (allocated, or copied from a snapshot's):
      // writableGranule where the emulator has it, else by writing one of its bytes back. From
      // here on the cache writes to it directly.
      const own = (this.phys as { writableGranule?: (gi: number) => Uint8Array }).writableGranule;
      if (own) {
        bytes = own.call(this.phys, gi);
      } else {
        this.phys.write(pn * GRANULE, Uint8Array.of(bytes ? bytes[0] : 0));
        bytes = this.phys.granuleBytes(gi)!;
      }
    }
    const dv = bytes && this.dv(bytes);
    this.cPage[slot] = pn;
    this.cGen[slot] = this.gen;
    this.cCall[slot] = this.callGen;
    this.cGi[slot] = gi;
    this.cBytes[slot] = bytes;
    this.cWritable[slot] = write ? 1 : 0;
    this.cDv[slot] = dv;
    return dv;
  }

  // The machine's stack area, addressed by offsets from its base (page-aligned): offsets are small
  // integers, while PAs above 2^31 are floating-point numbers that V8 boxes when they cross a call.
  private stackBase = 0;
  private stackPn = -1;

  /** Declares the stack area's base PA (page-aligned, else the stack paths fall back to PAs). */
  setStack(base: number): void {
    this.stackBase = base;
    this.stackPn = base % GRANULE === 0 ? base / GRANULE : -1;
  }

  /** loadPA(stack base + so). */
  loadStack(so: number, k: K): Value {
    const off = so & (GRANULE - 1);
    if (off + KIND_SIZE[k] > GRANULE || this.stackPn < 0) return this.loadPA(this.stackBase + so, k);
    const pn = this.stackPn + (so >> 12);
    let dv = this.cached(pn, false);
    if (dv === false) dv = this.fill(pn, this.stackBase + so, false);
    if (!dv) return 0;
    return decode(dv, off, k);
  }

  /** storePA(stack base + so). */
  storeStack(so: number, k: K, v: Value): void {
    const off = so & (GRANULE - 1);
    if (off + KIND_SIZE[k] > GRANULE || this.stackPn < 0) return this.storePA(this.stackBase + so, k, v);
    const pn = this.stackPn + (so >> 12);
    let dv = this.cached(pn, true);
    if (dv === false) dv = this.fill(pn, this.stackBase + so, true);
    encode(dv!, off, k, v);
  }

  /**
   * A checked machine-value load at a PA (stack frames use PAs directly). storePA also takes any
   * BigInt for a 64-bit kind (stored as its low 64 bits), so intrinsics may store outer values;
   * after an RMI call they must call resume() first.
   */
  loadPA(pa: number, k: K): Value {
    const size = KIND_SIZE[k];
    // PAs are above 2^31 (not small integers): `%` on them would be a slow floating-point remainder.
    const pn = Math.floor(pa / GRANULE);
    const off = pa - pn * GRANULE;
    if (off + size > GRANULE) {
      this.check(pa, size, false);
      const b = this.phys.read(pa, size);
      return decode(new DataView(b.buffer), 0, k);
    }
    const dv = this.pageView(pn, pa, false);
    if (!dv) return 0;
    return decode(dv, off, k);
  }

  /**
   * Registers into memory: `regs[0, n)` as consecutive little-endian u64s at `pa` (the zero-padded
   * rest up to `count`), with one page lookup when they fit in a page (rmi_last after every SMC).
   */
  storeRegsPA(pa: number, regs: readonly bigint[], count: number): void {
    const pn = Math.floor(pa / GRANULE);
    const off = pa - pn * GRANULE;
    if (off + 8 * count > GRANULE) {
      for (let i = 0; i < count; i++) this.storePA(pa + 8 * i, K.U64, i < regs.length ? regs[i] : 0);
      return;
    }
    const dv = this.pageView(pn, pa, true)!;
    // setBigUint64 keeps a BigInt's low 64 bits itself.
    for (let i = 0; i < count; i++) dv.setBigUint64(off + 8 * i, i < regs.length ? regs[i] : 0n, true);
  }

  storePA(pa: number, k: K, v: Value): void {
    const size = KIND_SIZE[k];
    const pn = Math.floor(pa / GRANULE);
    const off = pa - pn * GRANULE;
    if (off + size > GRANULE) {
      this.check(pa, size, true);
      const sv = this.sv;
      encode(sv, 0, k, v);
      this.forget(pa, size);
      this.phys.write(pa, this.views[size === 1 ? 0 : size === 2 ? 1 : size === 4 ? 2 : 3]);
      return;
    }
    encode(this.pageView(pn, pa, true)!, off, k, v);
  }

  read(va: bigint, n: number): Uint8Array {
    if (n === 0) return new Uint8Array(0);
    const pa = this.pa(va, n, false);
    return this.phys.read(pa, n);
  }

  write(va: bigint, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const pa = this.pa(va, bytes.length, true);
    this.forget(pa, bytes.length);
    this.phys.write(pa, bytes);
  }

  writePA(pa: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.check(pa, bytes.length, true);
    this.forget(pa, bytes.length);
    this.phys.write(pa, bytes);
  }

  /** Zeroes the 4 KiB page at `pa` (page-aligned) by dropping its contents: a zero page costs no memory. */
  zeroPage(pa: number): void {
    this.check(pa, GRANULE, true);
    this.gen++;
    if (pa % GRANULE === 0) this.phys.wipe(this.granules.index(pa));
    else this.phys.write(pa, new Uint8Array(GRANULE));
  }

  /** A NUL-terminated string (at most `max` bytes), decoded as UTF-8. */
  readCString(va: bigint, max = 4096): string {
    const out: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = Number(this.load(va + BigInt(i), K.U8));
      if (b === 0) break;
      out.push(b);
    }
    return utf8Decode(out);
  }
}

/** Reads a machine value (arith64.ts: 64-bit kinds as safe numbers where they fit). */
function decode(dv: DataView, off: number, k: K): Value {
  switch (k) {
    case K.I8: return dv.getInt8(off);
    case K.U8: return dv.getUint8(off);
    case K.BOOL: return dv.getUint8(off) ? 1 : 0;
    case K.I16: return dv.getInt16(off, true);
    case K.U16: return dv.getUint16(off, true);
    case K.I32: return dv.getInt32(off, true);
    case K.U32: return dv.getUint32(off, true);
    default: {
      const lo = dv.getUint32(off, true);
      const hi = dv.getInt32(off + 4, true);
      const v = hi * TWO32 + lo;
      if (v <= Number.MAX_SAFE_INTEGER && v >= -Number.MAX_SAFE_INTEGER) return v;
      return dv.getBigInt64(off, true);
    }
  }
}

/** Writes a machine value of kind k (stored truncated to the kind's size, as C does). */
function encode(dv: DataView, off: number, k: K, v: Value): void {
  switch (k) {
    case K.I8: case K.U8: dv.setUint8(off, Number(typeof v === 'bigint' ? BigInt.asUintN(8, v) : v) & 0xff); return;
    case K.BOOL: dv.setUint8(off, v ? 1 : 0); return;
    case K.I16: case K.U16: dv.setUint16(off, Number(typeof v === 'bigint' ? BigInt.asUintN(16, v) : v) & 0xffff, true); return;
    case K.I32: case K.U32: dv.setUint32(off, Number(typeof v === 'bigint' ? BigInt.asUintN(32, v) : v) >>> 0, true); return;
    default:
      if (typeof v === 'number') {
        dv.setUint32(off, v >>> 0, true);
        dv.setInt32(off + 4, Math.floor(v / TWO32) | 0, true);
      } else {
        dv.setBigUint64(off, BigInt.asUintN(64, v), true);
      }
  }
}

export function utf8Decode(bytes: number[]): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) s += String.fromCharCode(b);
    else if (b >= 0xc0 && b < 0xe0 && i + 1 < bytes.length) s += String.fromCharCode(((b & 31) << 6) | (bytes[++i] & 63));
    else if (b >= 0xe0 && b < 0xf0 && i + 2 < bytes.length) s += String.fromCharCode(((b & 15) << 12) | ((bytes[++i] & 63) << 6) | (bytes[++i] & 63));
    else if (b >= 0xf0 && i + 3 < bytes.length) s += String.fromCodePoint(((b & 7) << 18) | ((bytes[++i] & 63) << 12) | ((bytes[++i] & 63) << 6) | (bytes[++i] & 63));
    else s += '\ufffd';
  }
  return s;
}
