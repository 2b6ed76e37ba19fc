// A 2.0 machine driven only through raw SMCs, as the Linux v14 host drives the RMM: boot
// (RMM_CONFIG_SET, RMM_ACTIVATE), range delegation loops, a realm, RECs created and destroyed as
// stateful operations (donate / reclaim), RmiAddrRangeDesc lists. Every call is traced, so each
// result carries the failing check's spec name.
import assert from 'node:assert/strict';
import { Fid, GranuleState, Status, createRmm, type FaultSpec, type Rmm, type RmmOptions, type TraceEvent } from '../../../src/rmm';
import { rmiMpidrOfIndex } from '../../../src/rmm/commands/rec/mpidr';
import type { Realm } from '../../../src/rmm/objects';

export const GRANULE = 0x1000n;
export const DRAM_BASE = 0x8000_0000n;
export const L2_BLOCK = 0x20_0000n;
/** PA of DRAM granule i. */
export const pa = (i: number): bigint => DRAM_BASE + BigInt(i) * GRANULE;
/** A PA outside the default 1 GiB of DRAM. */
export const OUTSIDE = 0x1000n;

export type V2Name = keyof typeof Fid | 'RMI_RTT_DATA_MAP_INIT';

export interface Result {
  status: number;
  index: number;
  check: string | undefined;
  x: bigint[];
  event: TraceEvent;
}

/** X0 of RMI_INCOMPLETE: memory request [9:8] (0 none, 1 donate, 2 reclaim), can-cancel [10]. */
export function sroWord(r: Result): { status: number; memReq: number; canCancel: boolean } {
  return { status: r.status, memReq: Number((r.x[0] >> 8n) & 3n), canCancel: ((r.x[0] >> 10n) & 1n) === 1n };
}

export const MEM_REQ = { NONE: 0, DONATE: 1, RECLAIM: 2 } as const;

/** RmiAddrRangeDesc: [1:0] size (3 - level), [11:2] count, [51:12] address, [63] 1 = UNDELEGATED. */
export function desc(addr: bigint, count = 1, level = 3, undelegated = false): bigint {
  return addr | (BigInt(count) << 2n) | BigInt(3 - level) | (undelegated ? 1n << 63n : 0n);
}

export function decodeDesc(d: bigint): { addr: bigint; count: number; level: number; undelegated: boolean } {
  return { addr: d & 0x000f_ffff_ffff_f000n, count: Number((d >> 2n) & 0x3ffn), level: 3 - Number(d & 3n), undelegated: d >> 63n === 1n };
}

/** Every 4 KB granule a list of descriptors covers. */
export function granulesOf(descs: readonly bigint[]): bigint[] {
  const out: bigint[] = [];
  for (const d of descs) {
    const { addr, count, level } = decodeDesc(d);
    const size = 1n << BigInt((3 - level) * 9 + 12);
    for (let b = 0n; b < BigInt(count) * size; b += GRANULE) out.push(addr + b);
  }
  return out;
}

export interface MachineConfig {
  options?: Partial<RmmOptions>;
  faults?: FaultSpec[];
  /** Run RMM_CONFIG_SET and RMM_ACTIVATE through SMCs (default true). */
  boot?: boolean;
}

export interface RealmInfo {
  rd: bigint;
  rtts: bigint[];
  params: bigint;
}

export class V2Machine {
  readonly rmm: Rmm;
  readonly events: TraceEvent[] = [];
  /** Next free host page, a granule index (granules below 64 are left for tests to place by hand). */
  private next = 64;

  constructor(config: MachineConfig = {}) {
    this.rmm = createRmm({ profile: '2.0', options: config.options, faults: config.faults });
    this.rmm.onTrace = (e) => this.events.push(e);
    if (config.boot ?? true) this.boot();
  }

  call(name: V2Name, ...args: bigint[]): Result {
    const fid = name === 'RMI_RTT_DATA_MAP_INIT' ? Fid.RMI_DATA_CREATE : Fid[name];
    const x = this.rmm.smc(BigInt(fid), ...args);
    const event = this.events[this.events.length - 1];
    return { status: Number(x[0] & 0xffn), index: Number((x[0] >> 8n) & 0xffn), check: event.failedCheck, x, event };
  }

  ok(name: V2Name, ...args: bigint[]): Result {
    const r = this.call(name, ...args);
    assert.equal(r.status, Status.RMI_SUCCESS, `${name} failed at ${r.check} (status ${r.status})`);
    return r;
  }

  /** Boot-time bring-up (reference 7.1): RmiRmmConfig with 4 KB granules, then RMM_ACTIVATE. */
  boot(): void {
    const cfg = this.alloc();
    this.rmm.memory.write(cfg, new Uint8Array(4096));
    this.ok('RMI_RMM_CONFIG_SET', cfg);
    this.ok('RMI_RMM_ACTIVATE');
  }

  /** `n` UNDELEGATED host pages, the first aligned to `align` granules. */
  alloc(n = 1, align = 1): bigint {
    this.next = Math.ceil(this.next / align) * align;
    const p = pa(this.next);
    this.next += n;
    return p;
  }

  state(p: bigint): string {
    return this.rmm.granule(p).state;
  }

  states(base: bigint, n: number): string[] {
    return Array.from({ length: n }, (_, i) => this.state(base + BigInt(i) * GRANULE));
  }

  gi(p: bigint): number {
    return this.rmm.st.granules.index(Number(p));
  }

  /** The host's range loop (post-fix rmi_delegate_range): call again from out_top until top. */
  delegate(base: bigint, n = 1): bigint {
    this.loop('RMI_GRANULE_RANGE_DELEGATE', base, base + BigInt(n) * GRANULE);
    return base;
  }

  undelegate(base: bigint, n = 1): void {
    this.loop('RMI_GRANULE_RANGE_UNDELEGATE', base, base + BigInt(n) * GRANULE);
  }

  undelegateEach(pas: readonly bigint[]): void {
    for (const p of pas) this.undelegate(p);
  }

  private loop(name: 'RMI_GRANULE_RANGE_DELEGATE' | 'RMI_GRANULE_RANGE_UNDELEGATE', base: bigint, top: bigint): void {
    let at = base;
    while (at < top) {
      const r = this.ok(name, at, top);
      assert.ok(r.x[1] > at, `${name} made no progress at 0x${at.toString(16)}`);
      at = r.x[1];
    }
  }

  /** A 2.0 realm: IPA width 39, starting level 1, `numStart` root RTTs; RD and roots range-delegated. */
  createRealm(opt: { numStart?: number; s2sz?: number; levelStart?: number } = {}): RealmInfo {
    const numStart = opt.numStart ?? 1;
    const params = this.alloc();
    const rtt = this.alloc(numStart, numStart);
    const rd = this.alloc();
    this.delegate(rd);
    this.delegate(rtt, numStart);
    this.writeRealmParams(params, rtt, numStart, opt.s2sz ?? 39, opt.levelStart ?? 1);
    this.ok('RMI_REALM_CREATE', rd, params);
    return { rd, rtts: Array.from({ length: numStart }, (_, i) => rtt + BigInt(i) * GRANULE), params };
  }

  writeRealmParams(at: bigint, rttBase: bigint, numStart: number, s2sz = 39, levelStart = 1): void {
    this.rmm.memory.write(at, new Uint8Array(4096));
    this.u64(at, [[0x008, BigInt(s2sz)], [0x018, 1n], [0x020, 1n], [0x808, rttBase], [0x810, BigInt(levelStart)], [0x818, BigInt(numStart)]]);
  }

  /** RmiRecParams (reference 6.3; no num_aux / aux in 2.0): REC index k, runnable unless told. */
  writeRecParams(at: bigint, k: number, p: { runnable?: boolean; mpidr?: bigint; pc?: bigint; gprs?: bigint[] } = {}): void {
    this.rmm.memory.write(at, new Uint8Array(4096));
    this.u64(at, [
      [0x000, p.runnable === false ? 0n : 1n], [0x100, p.mpidr ?? rmiMpidrOfIndex(k)], [0x200, p.pc ?? 0x8008_0000n],
      ...(p.gprs ?? []).map((g, i): [number, bigint] => [0x300 + 8 * i, g]),
    ]);
  }

  u64(base: bigint, fields: [number, bigint][]): void {
    for (const [off, v] of fields) this.rmm.st.memory.writeU64(Number(base) + off, v);
  }

  writeList(at: bigint, descs: readonly bigint[]): void {
    descs.forEach((d, i) => this.rmm.st.memory.writeU64(Number(at) + 8 * i, d));
  }

  readList(at: bigint, n: number): bigint[] {
    return Array.from({ length: n }, (_, i) => this.rmm.st.memory.readU64(Number(at) + 8 * i));
  }

  /** `n` separate delegated pages (a gap after each, so no two are contiguous). */
  scatteredDelegated(n: number): bigint[] {
    return Array.from({ length: n }, () => {
      const p = this.delegate(this.alloc());
      this.alloc();
      return p;
    });
  }

  /**
   * REC k through the SRO: REC_CREATE, OP_MEM_DONATE in chunks of the sizes given (default all
   * at once), OP_CONTINUE. Returns the REC and the aux granules donated.
   */
  createRec(rd: bigint, k: number, opt: { chunks?: number[]; runnable?: boolean } = {}): { rec: bigint; aux: bigint[] } {
    const rec = this.delegate(this.alloc());
    const params = this.alloc();
    this.writeRecParams(params, k, { runnable: opt.runnable });
    const first = this.call('RMI_REC_CREATE', rd, rec, params);
    assert.equal(first.status, Status.RMI_INCOMPLETE, `REC_CREATE: ${first.check}`);
    const handle = first.x[1];
    const wanted = Number((first.x[2] >> 2n) & 0x3fffn);
    const aux = this.scatteredDelegated(wanted);
    const list = this.alloc();
    let given = 0;
    for (const n of opt.chunks ?? [wanted]) {
      this.writeList(list, aux.slice(given, given + n).map((p) => desc(p)));
      const r = this.call('RMI_OP_MEM_DONATE', handle, list, BigInt(n));
      assert.equal(r.status, Status.RMI_INCOMPLETE, `OP_MEM_DONATE: ${r.check}`);
      assert.equal(r.x[1], BigInt(n));
      given += n;
    }
    this.ok('RMI_OP_CONTINUE', handle, 0n);
    return { rec, aux };
  }

  /**
   * A REC_CREATE whose deferred checks fail: all memory donated, OP_CONTINUE starts a reclaim,
   * the memory comes back. Returns the final OP_CONTINUE's status and failing check.
   */
  createRecExpectingFailure(rd: bigint, k = 0): { status: number; check: string | undefined } {
    const rec = this.delegate(this.alloc());
    const params = this.alloc();
    this.writeRecParams(params, k);
    const handle = this.call('RMI_REC_CREATE', rd, rec, params).x[1];
    const aux = this.scatteredDelegated(this.rmm.st.options.recAuxCount);
    const list = this.alloc();
    this.writeList(list, aux.map((p) => desc(p)));
    this.call('RMI_OP_MEM_DONATE', handle, list, BigInt(aux.length));
    const r = this.call('RMI_OP_CONTINUE', handle, 0n);
    assert.equal(sroWord(r).memReq, MEM_REQ.RECLAIM, 'the deferred checks were expected to fail');
    this.reclaimAll(handle, aux.length);
    const end = this.events[this.events.length - 1];
    return { status: end.status, check: end.failedCheck };
  }

  /** REC_DESTROY through the SRO: reclaim `capacity` entries at a time, OP_CONTINUE. Returns the reclaimed granules. */
  destroyRec(rec: bigint, capacity = 16): bigint[] {
    const first = this.call('RMI_REC_DESTROY', rec);
    assert.equal(first.status, Status.RMI_INCOMPLETE, `REC_DESTROY: ${first.check}`);
    return this.reclaimAll(first.x[1], capacity, Status.RMI_SUCCESS);
  }

  /** OP_MEM_RECLAIM until the RMM asks for OP_CONTINUE, then OP_CONTINUE (expecting `final` when given). */
  reclaimAll(handle: bigint, capacity: number, final?: number): bigint[] {
    const list = this.alloc();
    const got: bigint[] = [];
    for (;;) {
      const r = this.call('RMI_OP_MEM_RECLAIM', handle, list, BigInt(capacity));
      assert.equal(r.status, Status.RMI_INCOMPLETE, `OP_MEM_RECLAIM: ${r.check}`);
      got.push(...granulesOf(this.readList(list, Number(r.x[1]))));
      if (sroWord(r).memReq === MEM_REQ.NONE) break;
    }
    const end = this.call('RMI_OP_CONTINUE', handle, 0n);
    if (final !== undefined) assert.equal(end.status, final, `final OP_CONTINUE: ${end.check}`);
    return got;
  }

  realm(rd: bigint): Realm {
    return this.rmm.st.realms.get(this.gi(rd))!;
  }

  /** Granules in any state other than UNDELEGATED, as "pa:STATE". */
  notUndelegated(): string[] {
    const g = this.rmm.st.granules;
    const out: string[] = [];
    for (let i = 0; i < g.count; i++) if (g.state[i] !== GranuleState.UNDELEGATED) out.push(`0x${g.pa(i).toString(16)}:${this.state(BigInt(g.pa(i)))}`);
    return out;
  }

  /** Everything a failed call must leave unchanged. */
  fingerprint(): string {
    const st = this.rmm.st;
    const g = st.granules;
    const used: string[] = [];
    for (let i = 0; i < g.count; i++) if (g.state[i] !== 0 || g.refcount[i] !== 0) used.push(`${i}:${g.state[i]}:${g.owner[i]}:${g.refcount[i]}`);
    const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? [...x] : x));
    const rtts = [...st.rtts].map(([k, t]) => [k, [...t.state], [...t.ripas], [...t.addr], [...t.attr]]);
    return json({ used, realms: [...st.realms], recs: [...st.recs], sro: [...st.sro], rtts, active: st.rmmActive });
  }
}

/** Asserts status, X0 index and the failing check's name. */
export function expectFailure(r: Result, status: number, check: string, index = 0): void {
  assert.deepEqual({ status: r.status, index: r.index, check: r.check }, { status, index, check });
}
