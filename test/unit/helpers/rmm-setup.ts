// Shared set-up for the RMM command tests: a fresh emulator, RmiRealmParams / RmiRecParams pages
// written at the spec's offsets, a realm and RECs created through real RMI calls, and a way to
// read each call's outcome (status, index and the failing check's spec name from the trace).
import assert from 'node:assert/strict';
import { Fid, GranuleState, Status, createRmm, type Rmm, type RmmConfig, type TraceEvent } from '../../../src/rmm';
import { rmiMpidrOfIndex } from '../../../src/rmm/commands/rec/mpidr';
import type { Rec } from '../../../src/rmm/objects';

export const GRANULE = 0x1000n;
export const DRAM_BASE = 0x8000_0000n;
/** PA of DRAM granule i. */
export const pa = (i: number): bigint => DRAM_BASE + BigInt(i) * GRANULE;
/** A PA outside the default 1 GiB of DRAM. */
export const OUTSIDE = 0x1000n;

// Fixed places, so that a failing test names addresses one can recognise.
export const PARAMS = pa(0);
export const REC_PARAMS = pa(1);
export const RUN = pa(2);
export const RD = pa(16);
export const RTT = pa(32);
export const RD2 = pa(17);
export const RTT2 = pa(33);
/** REC k lives at granule 64 + 32k, its aux granules right after it. */
export const recPa = (k: number): bigint => pa(64 + 32 * k);
export const auxPas = (k: number, n = 16): bigint[] => Array.from({ length: n }, (_, i) => pa(64 + 32 * k + 1 + i));

export interface Outcome {
  status: number;
  index: number;
  check: string | undefined;
  ret: bigint[];
  event: TraceEvent;
}

/** A traced emulator: `call` returns each outcome with the failing check's name. */
export class Lab {
  readonly rmm: Rmm;
  readonly events: TraceEvent[] = [];

  constructor(config: RmmConfig = {}) {
    const profile = config.profile ?? '1.0';
    this.rmm = createRmm({ ...config, options: { ...(profile === '2.0' ? { activated: true } : {}), ...config.options } });
    this.rmm.onTrace = (e) => this.events.push(e);
  }

  get profile(): '1.0' | '2.0' {
    return this.rmm.profile;
  }

  call(fid: number, ...args: bigint[]): Outcome {
    const ret = this.rmm.smc(BigInt(fid), ...args);
    const event = this.events[this.events.length - 1];
    return { status: Number(ret[0] & 0xffn), index: Number((ret[0] >> 8n) & 0xffn), check: event.failedCheck, ret, event };
  }

  /** Calls and asserts RMI_SUCCESS. */
  ok(fid: number, ...args: bigint[]): Outcome {
    const o = this.call(fid, ...args);
    assert.equal(o.status, Status.RMI_SUCCESS, `${o.event.name} failed at ${o.check} (status ${o.status})`);
    return o;
  }

  state(p: bigint): string {
    return this.rmm.granule(p).state;
  }

  /** DELEGATED, by GRANULE_DELEGATE in 1.0; in 2.0 directly, as RMI_GRANULE_RANGE_DELEGATE would. */
  delegate(...pas: bigint[]): void {
    for (const p of pas) {
      if (this.profile === '1.0') this.ok(Fid.RMI_GRANULE_DELEGATE, p);
      else this.rmm.st.granules.set(this.gi(p), GranuleState.DELEGATED);
    }
  }

  gi(p: bigint): number {
    return this.rmm.st.granules.index(Number(p));
  }

  writeU64s(base: bigint, fields: [number, bigint][]): void {
    for (const [off, v] of fields) this.rmm.st.memory.writeU64(Number(base) + off, v);
  }

  /** RmiRealmParams (reference 6.1 / 6.2): IPA width 39, starting level 1, one root RTT. */
  writeRealmParams(at: bigint, p: RealmParamsInit = {}): void {
    this.rmm.memory.write(at, new Uint8Array(4096));
    this.writeU64s(at, [
      [0x000, p.flags ?? 0n], [0x008, p.s2sz ?? 39n], [0x018, p.numBps ?? 1n], [0x020, p.numWps ?? 1n],
      [0x030, p.hashAlgo ?? 0n], [0x808, p.rttBase ?? RTT], [0x810, p.levelStart ?? 1n], [0x818, p.numStart ?? 1n],
    ]);
    if (this.profile === '1.0') this.writeU64s(at, [[0x800, p.vmid ?? 1n]]);
  }

  /** Delegates the RD and root RTT and calls RMI_REALM_CREATE. */
  createRealm(rd = RD, rtt = RTT, p: RealmParamsInit = {}): void {
    this.delegate(rd, rtt);
    this.writeRealmParams(PARAMS, { rttBase: rtt, ...p });
    this.ok(Fid.RMI_REALM_CREATE, rd, PARAMS);
  }

  /** RmiRecParams (reference 6.3); by default REC index k, runnable, all 16 aux granules of REC k. */
  writeRecParams(at: bigint, k: number, p: RecParamsInit = {}): void {
    this.rmm.memory.write(at, new Uint8Array(4096));
    const aux = p.aux ?? auxPas(k);
    this.writeU64s(at, [
      [0x000, p.flags ?? 1n], [0x100, p.mpidr ?? rmiMpidrOfIndex(k)], [0x200, p.pc ?? 0x8008_0000n],
      ...(p.gprs ?? []).map((g, i): [number, bigint] => [0x300 + 8 * i, g]),
      [0x800, p.numAux ?? BigInt(aux.length)],
      ...aux.map((a, i): [number, bigint] => [0x808 + 8 * i, a]),
    ]);
  }

  /** 1.0: delegates REC k and its aux granules, then RMI_REC_CREATE. */
  createRec(k: number, rd = RD, p: RecParamsInit = {}): bigint {
    this.delegate(recPa(k), ...auxPas(k));
    this.writeRecParams(REC_PARAMS, k, p);
    this.ok(Fid.RMI_REC_CREATE, rd, recPa(k), REC_PARAMS);
    return recPa(k);
  }

  /**
   * 2.0: installs REC k as the SRO RMI_REC_CREATE leaves it (granule REC, realm counts, RD
   * refcount), so the commands that use RECs can be tested without the SRO machinery.
   */
  installRec(k: number, rd = RD, runnable = true): bigint {
    const st = this.rmm.st;
    const rdGi = this.gi(rd);
    const realm = st.realms.get(rdGi)!;
    const gi = this.gi(recPa(k));
    st.granules.set(gi, GranuleState.REC, rdGi);
    const rec: Rec = {
      gi, owner: rdGi, running: false, runnable, mpidr: rmiMpidrOfIndex(k), index: k, pc: 0n, gprs: new Array<bigint>(32).fill(0n),
      aux: [], psciPending: false, ripasAddr: 0, ripasTop: 0, ripasValue: 0, ripasDestroyed: false, hostCallPending: false,
      emulatableAbort: false,
    };
    st.recs.set(gi, rec);
    realm.recIndex = k + 1;
    realm.numRecs += 1;
    st.granules.refcount[rdGi] += 1;
    return recPa(k);
  }

  realm(rd = RD) {
    return this.rmm.st.realms.get(this.gi(rd))!;
  }

  rec(p: bigint) {
    return this.rmm.st.recs.get(this.gi(p))!;
  }

  /** Everything a failed command must leave unchanged: granule states, owners, refcounts, objects. */
  fingerprint(): string {
    const st = this.rmm.st;
    const g = st.granules;
    const used: string[] = [];
    for (let i = 0; i < g.count; i++) if (g.state[i] !== 0 || g.refcount[i] !== 0) used.push(`${i}:${g.state[i]}:${g.owner[i]}:${g.refcount[i]}`);
    const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? [...x] : x));
    return json({ used, realms: [...st.realms], recs: [...st.recs], vmids: [...st.vmids], rtts: [...st.rtts.keys()] });
  }
}

export interface RealmParamsInit {
  flags?: bigint;
  s2sz?: bigint;
  numBps?: bigint;
  numWps?: bigint;
  hashAlgo?: bigint;
  vmid?: bigint;
  rttBase?: bigint;
  levelStart?: bigint;
  numStart?: bigint;
}

export interface RecParamsInit {
  flags?: bigint;
  mpidr?: bigint;
  pc?: bigint;
  gprs?: bigint[];
  numAux?: bigint;
  aux?: bigint[];
}

/** Asserts an outcome: status, X0 index and the failing check's spec name. */
export function expectFailure(o: Outcome, status: number, check: string, index = 0): void {
  assert.deepEqual({ status: o.status, index: o.index, check: o.check }, { status, index, check });
}

export const ORDERS = ['spec', 'tf-rmm'] as const;
