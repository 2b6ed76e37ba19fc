// The C program's view of memory: the emulator's physical memory through the linear map. Every
// access is checked like hardware would: a NULL or wild pointer faults, and touching a granule
// that is not UNDELEGATED is a granule protection fault (the host may only use NS memory).
import { granuleStateName, type Rmm } from '../../rmm';
import { CRuntimeError, hex } from './errors';
import { PAGE_OFFSET, funcIdOf, virt_to_phys } from './layout';
import { K, KIND_SIZE } from './ops';

export type Value = number | bigint;

const GRANULE = 4096;

export class HostMemory {
  private readonly granules: Rmm['st']['granules'];
  private readonly phys: Rmm['st']['memory'];
  private readonly scratch = new Uint8Array(8);
  private readonly sv = new DataView(this.scratch.buffer);
  private readonly views = [1, 2, 4, 8].map((n) => this.scratch.subarray(0, n));
  private readonly dvCache = new WeakMap<Uint8Array, DataView>();

  constructor(rmm: Rmm) {
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

  load(va: bigint, k: K): Value {
    return this.loadPA(this.pa(va, KIND_SIZE[k], false), k);
  }

  /** A checked load at a PA (stack frames use PAs directly). */
  loadPA(pa: number, k: K): Value {
    const size = KIND_SIZE[k];
    const g = this.granules;
    const gi = g.index(pa);
    const off = pa % GRANULE;
    if (gi < 0 || g.state[gi] !== 0 || off + size > GRANULE) {
      this.check(pa, size, false);
      return decode(new DataView(this.phys.read(pa, size).buffer), 0, k);
    }
    const page = this.phys.granuleBytes(gi);
    if (!page) return k === K.I64 || k === K.U64 || k === K.PTR ? 0n : 0;
    return decode(this.dv(page), off, k);
  }

  store(va: bigint, k: K, v: Value): void {
    this.storePA(this.pa(va, KIND_SIZE[k], true), k, v);
  }

  storePA(pa: number, k: K, v: Value): void {
    const size = KIND_SIZE[k];
    this.check(pa, size, true);
    const sv = this.sv;
    switch (k) {
      case K.I8: case K.U8: case K.BOOL: sv.setUint8(0, Number(v) & 0xff); break;
      case K.I16: case K.U16: sv.setUint16(0, Number(v) & 0xffff, true); break;
      case K.I32: case K.U32: sv.setUint32(0, Number(v) >>> 0, true); break;
      default: sv.setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
    }
    this.phys.write(pa, this.views[size === 1 ? 0 : size === 2 ? 1 : size === 4 ? 2 : 3]);
  }

  read(va: bigint, n: number): Uint8Array {
    if (n === 0) return new Uint8Array(0);
    const pa = this.pa(va, n, false);
    return this.phys.read(pa, n);
  }

  write(va: bigint, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const pa = this.pa(va, bytes.length, true);
    this.phys.write(pa, bytes);
  }

  writePA(pa: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.check(pa, bytes.length, true);
    this.phys.write(pa, bytes);
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

function decode(dv: DataView, off: number, k: K): Value {
  switch (k) {
    case K.I8: return dv.getInt8(off);
    case K.U8: return dv.getUint8(off);
    case K.BOOL: return dv.getUint8(off) ? 1 : 0;
    case K.I16: return dv.getInt16(off, true);
    case K.U16: return dv.getUint16(off, true);
    case K.I32: return dv.getInt32(off, true);
    case K.U32: return dv.getUint32(off, true);
    case K.I64: return dv.getBigInt64(off, true);
    default: return dv.getBigUint64(off, true);
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
