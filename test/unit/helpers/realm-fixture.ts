// A realm built through raw SMC calls, for the RTT / DATA command tests: RmiRealmParams written into
// an UNDELEGATED page, RD and starting-level RTTs delegated, RMI_REALM_CREATE. Every call is traced
// so a test can read the failing check's spec name.
import assert from 'node:assert/strict';
import { Fid, GranuleState, RealmState, createRmm, type CommandName, type Profile, type Rmm, type RmmOptions, type TraceEvent } from '../../../src/rmm';
import type { Realm, Rec } from '../../../src/rmm/objects';

export const DRAM_BASE = 0x8000_0000n;
export const PAGE = 0x1000n;
export const L3 = 0x1000n;
export const L2 = 0x20_0000n;
export const L1 = 0x4000_0000n;

export interface CallResult {
  x: bigint[];
  status: number;
  index: number;
  check: string | undefined;
}

export interface RealmSpec {
  s2sz?: number;
  levelStart?: number;
  numStart?: number;
  lpa2?: boolean;
  hashAlgo?: number;
  vmid?: number;
}

export interface Entry {
  level: number;
  state: number;
  desc: bigint;
  ripas: number;
}

export class Fixture {
  readonly rmm: Rmm;
  readonly profile: Profile;
  last: TraceEvent | undefined;
  /** Bump allocator for host pages; starts 1 MB into DRAM, leaves 2 MB-aligned blocks to blocks(). */
  private next = DRAM_BASE + 0x10_0000n;
  private nextBlock = DRAM_BASE + 0x1000_0000n;

  constructor(profile: Profile = '1.0', options: Partial<RmmOptions> = {}, dram?: { base: bigint; size: bigint }[]) {
    this.profile = profile;
    this.rmm = createRmm({ profile, dram, options: { activated: true, ...options } });
    this.rmm.onTrace = (e) => { this.last = e; };
  }

  /** An UNDELEGATED page of host memory. */
  page(): bigint {
    const pa = this.next;
    this.next += PAGE;
    return pa;
  }

  /** `n` contiguous UNDELEGATED pages starting at a 2 MB boundary (for block mappings). */
  block(n = 512): bigint {
    const pa = this.nextBlock;
    this.nextBlock += BigInt(n) * PAGE + (L2 - ((BigInt(n) * PAGE) % L2)) % L2;
    return pa;
  }

  /**
   * Moves a page to DELEGATED. 1.0 uses RMI_GRANULE_DELEGATE; the 2.0 range commands belong to
   * another part of the emulator, so 2.0 fixtures set the state directly (delegation is not what
   * these tests are about).
   */
  delegate(pa: bigint): bigint {
    if (this.profile === '1.0') {
      assert.equal(this.call('RMI_GRANULE_DELEGATE', pa).status, 0, `delegate 0x${pa.toString(16)}`);
    } else {
      const gi = this.rmm.st.granules.index(Number(pa));
      this.rmm.st.granules.set(gi, GranuleState.DELEGATED);
    }
    return pa;
  }

  delegated(): bigint {
    return this.delegate(this.page());
  }

  /** An SMC by command name; the result carries the trace's failing check. */
  call(name: CommandName | 'RMI_RTT_DATA_MAP_INIT', ...args: bigint[]): CallResult {
    const fid = name === 'RMI_RTT_DATA_MAP_INIT' ? Fid.RMI_DATA_CREATE : Fid[name];
    this.last = undefined;
    const x = this.rmm.smc(BigInt(fid), ...args);
    // `this.last` was set by the trace callback during smc(); TypeScript cannot see that.
    const event = this.last as TraceEvent | undefined;
    return { x, status: Number(x[0] & 0xffn), index: Number((x[0] >> 8n) & 0xffn), check: event?.failedCheck };
  }

  /** Creates a realm through RMI_REALM_CREATE. Default: 39-bit IPA, starting level 1, one root RTT. */
  realm(spec: RealmSpec = {}): RealmHandle {
    const s2sz = spec.s2sz ?? 39;
    const levelStart = spec.levelStart ?? 1;
    const numStart = spec.numStart ?? 1;
    const params = this.page();
    // Root RTTs: rtt_base aligned to rtt_num_start granules.
    const align = BigInt(numStart) * PAGE;
    this.next = ((this.next + align - 1n) / align) * align;
    const rttBase = this.next;
    const rtts = Array.from({ length: numStart }, () => this.delegate(this.page()));
    const rd = this.delegated();
    const b = new Uint8Array(4096);
    const v = new DataView(b.buffer);
    v.setBigUint64(0x000, spec.lpa2 ? 1n : 0n, true);
    v.setBigUint64(0x008, BigInt(s2sz), true);
    v.setBigUint64(0x018, 1n, true); // num_bps (count - 1)
    v.setBigUint64(0x020, 1n, true); // num_wps
    v.setBigUint64(0x030, BigInt(spec.hashAlgo ?? 0), true);
    v.setBigUint64(0x800, BigInt(spec.vmid ?? 1), true);
    v.setBigUint64(0x808, rttBase, true);
    v.setBigInt64(0x810, BigInt(levelStart), true);
    v.setBigUint64(0x818, BigInt(numStart), true);
    this.rmm.memory.write(params, b);
    const r = this.call('RMI_REALM_CREATE', rd, params);
    assert.equal(r.status, 0, `REALM_CREATE failed: ${r.check}`);
    return new RealmHandle(this, rd, rtts, s2sz, levelStart, b);
  }
}

export class RealmHandle {
  constructor(
    readonly fx: Fixture,
    readonly rd: bigint,
    readonly rtts: bigint[],
    readonly s2sz: number,
    readonly levelStart: number,
    /** The RmiRealmParams page as written. */
    readonly params: Uint8Array,
  ) {}

  /** The emulator's realm object (RIM, state). */
  get obj(): Realm {
    return this.fx.rmm.st.realms.get(this.fx.rmm.st.granules.index(Number(this.rd)))!;
  }

  rim(): Uint8Array {
    return this.obj.measurements[0].slice();
  }

  /** Marks the realm ACTIVE (REALM_ACTIVATE when the emulator has it, else the state itself). */
  activate(): void {
    if (this.fx.rmm.command(Fid.RMI_REALM_ACTIVATE)) assert.equal(this.fx.call('RMI_REALM_ACTIVATE', this.rd).status, 0);
    else this.obj.state = RealmState.ACTIVE;
  }

  /** Creates the missing RTTs from below the starting level down to `level` for `ipa`; returns their PAs. */
  tables(ipa: bigint, level = 3): bigint[] {
    const made: bigint[] = [];
    for (let l = this.levelStart + 1; l <= level; l++) {
      const size = 1n << BigInt((3 - (l - 1)) * 9 + 12);
      const rtt = this.fx.delegated();
      const r = this.fx.call('RMI_RTT_CREATE', this.rd, rtt, ipa - (ipa % size), BigInt(l));
      if (r.status === 0) made.push(rtt);
      else assert.equal(r.check, 'rtte_state', `RTT_CREATE level ${l} at 0x${ipa.toString(16)}: ${r.check}`);
    }
    return made;
  }

  read(ipa: bigint, level = 3): Entry {
    const r = this.fx.call('RMI_RTT_READ_ENTRY', this.rd, ipa, BigInt(level));
    assert.equal(r.status, 0, `RTT_READ_ENTRY: ${r.check}`);
    return { level: Number(BigInt.asIntN(64, r.x[1])), state: Number(r.x[2]), desc: r.x[3], ripas: Number(r.x[4]) };
  }

  /** RTT_READ_ENTRY of the level-`level` entry covering `ipa` (ipa aligned down to the level first). */
  entry(ipa: bigint, level: number): Entry {
    const size = 1n << BigInt((3 - level) * 9 + 12);
    return this.read(ipa - (ipa % size), level);
  }

  /** DATA_CREATE of a fresh page holding `fill` at `ipa` (tables must exist). */
  data(ipa: bigint, fill = 0, flags = 0n): bigint {
    const src = this.fx.page();
    this.fx.rmm.memory.write(src, new Uint8Array(4096).fill(fill));
    const data = this.fx.delegated();
    const r = this.fx.call('RMI_DATA_CREATE', this.rd, data, ipa, src, flags);
    assert.equal(r.status, 0, `DATA_CREATE at 0x${ipa.toString(16)}: ${r.check}`);
    return data;
  }

  /** Refcount of the RTT granule at `pa` (number of ASSIGNED / TABLE entries). */
  refcount(pa: bigint): number {
    return this.fx.rmm.st.granules.refcount[this.fx.rmm.st.granules.index(Number(pa))];
  }

  /**
   * A REC of this realm with a pending RIPAS change, made directly in the emulator's state (the
   * REC commands are another part of the emulator; RTT_SET_RIPAS only reads these fields).
   */
  rec(ripas: { addr: bigint; top: bigint; value: number; changeDestroyed?: boolean }, running = false): bigint {
    const st = this.fx.rmm.st;
    const pa = this.fx.delegated();
    const gi = st.granules.index(Number(pa));
    const rdGi = st.granules.index(Number(this.rd));
    st.granules.set(gi, GranuleState.REC, rdGi);
    // `as Rec`: fields the REC commands may add later are not needed here.
    const rec = {
      gi, owner: rdGi, running, runnable: true, mpidr: 0n, index: 0, pc: 0n, gprs: new Array(32).fill(0n), aux: [],
      psciPending: false, ripasAddr: Number(ripas.addr), ripasTop: Number(ripas.top), ripasValue: ripas.value,
      ripasDestroyed: ripas.changeDestroyed ?? false, hostCallPending: false, emulatableAbort: false,
    } as Rec;
    st.recs.set(gi, rec);
    return pa;
  }
}

/** Entry-state encodings RTT_READ_ENTRY returns. */
export const RMI_UNASSIGNED = 0;
export const RMI_ASSIGNED = 1;
export const RMI_TABLE = 2;
