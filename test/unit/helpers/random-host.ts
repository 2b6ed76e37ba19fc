// A seeded random host for the property tests: it drives an emulator with plausible-but-careless
// RMI call sequences (every command the profile has, arguments drawn from a small pool of granules
// and IPAs, biased towards the objects that exist so that calls succeed often enough to build
// realms, RTTs, DATA, RECs and stateful operations), plus the host memory writes that go with
// them. Every action is recorded so it can be replayed exactly.
import { Fid, GranuleState, createRmm, type Profile, type Rmm } from '../../../src/rmm';
import { rmiMpidrOfIndex } from '../../../src/rmm/commands/rec/mpidr';

export const DRAM_BASE = 0x8000_0000n;
export const GRANULE = 0x1000n;
/** 8 MiB: small enough to check every invariant after every call. */
export const DRAM_SIZE = 0x80_0000n;
/** Granules objects are made of: the first POOL granules of DRAM. */
export const POOL = 40;
/** Host (NS) pages live from here on and are never in the pool. */
const HOST = 1024;

export const gpa = (i: number): bigint => DRAM_BASE + BigInt(i) * GRANULE;

export const PAGES = {
  realmParams: [gpa(HOST), gpa(HOST + 1), gpa(HOST + 2)],
  recParams: [gpa(HOST + 3), gpa(HOST + 4)],
  run: gpa(HOST + 5),
  src: gpa(HOST + 6),
  list: gpa(HOST + 7),
  out: gpa(HOST + 8),
  ns: gpa(HOST + 9),
};

/** mulberry32: a tiny seeded PRNG, so that a failing seed can be rerun. */
export class Rng {
  constructor(private s: number) {}

  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

export type Action = { kind: 'smc'; fid: bigint; args: bigint[] } | { kind: 'write'; pa: bigint; bytes: Uint8Array };

export function newMachine(profile: Profile, trace = true): Rmm {
  const rmm = createRmm({
    profile, dram: [{ base: DRAM_BASE, size: DRAM_SIZE }],
    options: { activated: true, recAuxCount: 2, checkInvariants: trace },
  });
  const u64s = (at: bigint, fields: [number, bigint][]) => {
    const b = new Uint8Array(4096);
    const v = new DataView(b.buffer);
    for (const [off, x] of fields) v.setBigUint64(off, x, true);
    rmm.memory.write(at, b);
  };
  // RmiRealmParams (reference 6.1): 39-bit IPA / 1 root at pool granule 8 (VMID 1), at 12 (VMID 2),
  // and a 40-bit IPA space with 2 concatenated roots at 20..21 (VMID 1 again: a duplicate in 1.0).
  const realm = (rtt: bigint, s2sz: bigint, roots: bigint, vmid: bigint): [number, bigint][] =>
    [[0x008, s2sz], [0x018, 1n], [0x020, 1n], [0x800, vmid], [0x808, rtt], [0x810, 1n], [0x818, roots]];
  u64s(PAGES.realmParams[0], realm(gpa(8), 39n, 1n, 1n));
  u64s(PAGES.realmParams[1], realm(gpa(12), 39n, 1n, 2n));
  u64s(PAGES.realmParams[2], realm(gpa(20), 40n, 2n, 1n));
  // RmiRecParams (reference 6.3): REC index 0 and 1, runnable, two aux granules each (1.0).
  for (const k of [0, 1]) {
    u64s(PAGES.recParams[k], [[0x000, 1n], [0x100, rmiMpidrOfIndex(k)], [0x200, 0x1000n], [0x800, 2n],
      [0x808, gpa(30 + 2 * k)], [0x810, gpa(31 + 2 * k)]]);
  }
  rmm.memory.write(PAGES.src, new Uint8Array(4096).fill(0xa5));
  rmm.memory.write(PAGES.run, new Uint8Array(4096));
  return rmm;
}

const F = Fid;
export const IPAS = [0n, 0x1000n, 0x2000n, 0x20_0000n, 0x20_1000n, 0x4000_0000n, 1n << 38n, (1n << 38n) + 0x1000n, 0x123n];

/** A careless host's next action: any command, arguments from the pools (reading the state only to bias them). */
export function noiseAction(rmm: Rmm, r: Rng): Action {
  const st = rmm.st;
  const g = st.granules;
  const poolPa = (): bigint => {
    const roll = r.int(20);
    if (roll === 0) return gpa(POOL + r.int(8)) + 8n; // unaligned
    if (roll === 1) return 0x1000n; // outside DRAM
    if (roll === 2) return r.pick(Object.values(PAGES).flat());
    return gpa(r.int(POOL));
  };
  /** A granule for a command that needs a DELEGATED one: usually one that is. */
  const delegated = (): bigint => {
    if (r.chance(0.25)) return poolPa();
    const free: number[] = [];
    for (let i = 0; i < POOL; i++) if (g.state[i] === GranuleState.DELEGATED) free.push(i);
    return free.length ? gpa(r.pick(free)) : poolPa();
  };
  /** An IPA for an RTT at `level`: usually aligned to what the new table maps. */
  const tableIpa = (lvl: bigint): bigint => {
    const span = 1n << ((3n - (lvl - 1n)) * 9n + 12n);
    const aligned = IPAS.filter((x) => x % span === 0n);
    return aligned.length && r.chance(0.8) ? r.pick(aligned) : ipa();
  };
  const rd = (): bigint => (st.realms.size && r.chance(0.85) ? BigInt(g.pa(r.pick([...st.realms.keys()]))) : poolPa());
  const rec = (): bigint => (st.recs.size && r.chance(0.8) ? BigInt(g.pa(r.pick([...st.recs.keys()]))) : poolPa());
  function ipa(): bigint {
    return r.pick(IPAS);
  }
  const level = (): bigint => BigInt(r.pick([1, 2, 2, 3, 3, 3, 0, 4]));
  const handle = (): bigint => (st.sro.size && r.chance(0.9) ? BigInt(r.pick([...st.sro.keys()])) : BigInt(r.int(3)));
  const smc = (fid: number, ...args: bigint[]): Action => ({ kind: 'smc', fid: BigInt(fid), args });
  const range = (): [bigint, bigint] => {
    const base = poolPa();
    return [base, base + BigInt(r.int(5)) * GRANULE];
  };

  if (rmm.profile === '1.0') {
    switch (r.int(22)) {
      case 0: case 1: case 2: case 3: return smc(F.RMI_GRANULE_DELEGATE, poolPa());
      case 4: case 5: return smc(F.RMI_GRANULE_UNDELEGATE, poolPa());
      case 6: return smc(F.RMI_REALM_CREATE, delegated(), r.pick(PAGES.realmParams));
      case 7: return smc(F.RMI_REALM_ACTIVATE, rd());
      case 8: return smc(F.RMI_REALM_DESTROY, rd());
      case 9: case 10: { const l = level(); return smc(F.RMI_RTT_CREATE, rd(), delegated(), tableIpa(l), l); }
      case 11: { const l = level(); return smc(F.RMI_RTT_DESTROY, rd(), tableIpa(l), l); }
      case 12: { const l = level(); return smc(F.RMI_RTT_FOLD, rd(), tableIpa(l), l); }
      case 13: return smc(F.RMI_DATA_CREATE, rd(), delegated(), ipa(), PAGES.src, BigInt(r.int(2)));
      case 14: return smc(F.RMI_DATA_CREATE_UNKNOWN, rd(), delegated(), ipa());
      case 15: return smc(F.RMI_DATA_DESTROY, rd(), ipa());
      case 16: return smc(F.RMI_RTT_INIT_RIPAS, rd(), ipa(), ipa() + 0x2000n);
      case 17: return smc(F.RMI_RTT_MAP_UNPROTECTED, rd(), ipa(), level(), PAGES.ns);
      case 18: return smc(F.RMI_RTT_UNMAP_UNPROTECTED, rd(), ipa(), level());
      case 19: return smc(F.RMI_REC_CREATE, rd(), delegated(), r.pick(PAGES.recParams));
      case 20: return smc(F.RMI_REC_DESTROY, rec());
      default: return r.pick([
        smc(F.RMI_REC_ENTER, rec(), PAGES.run), smc(F.RMI_RTT_READ_ENTRY, rd(), ipa(), level()),
        smc(F.RMI_PSCI_COMPLETE, rec(), rec(), 0n), smc(F.RMI_REC_AUX_COUNT, rd()), smc(F.RMI_FEATURES, 0n),
      ]);
    }
  }
  switch (r.int(22)) {
    case 0: case 1: case 2: return smc(F.RMI_GRANULE_RANGE_DELEGATE, ...range());
    case 3: return smc(F.RMI_GRANULE_RANGE_UNDELEGATE, ...range());
    case 4: return smc(F.RMI_REALM_CREATE, delegated(), r.pick(PAGES.realmParams));
    case 5: return smc(F.RMI_REALM_ACTIVATE, rd());
    case 6: return r.chance(0.3) ? smc(F.RMI_REALM_TERMINATE, rd()) : smc(F.RMI_RTT_READ_ENTRY, rd(), ipa(), level());
    case 7: return smc(F.RMI_REALM_DESTROY, rd());
    case 8: case 9: { const l = level(); return smc(F.RMI_RTT_CREATE, rd(), delegated(), tableIpa(l), l); }
    case 10: { const l = level(); return smc(F.RMI_RTT_DESTROY, rd(), tableIpa(l), l); }
    case 11: { const l = level(); return smc(F.RMI_RTT_FOLD, rd(), tableIpa(l), l); }
    case 12: return smc(F.RMI_DATA_CREATE, rd(), delegated(), ipa(), PAGES.src, BigInt(r.int(2)));
    case 13: { // RTT_DATA_MAP of one granule (RmiAddrRangeDesc, count 1, 4 KB)
      const base = ipa();
      return smc(F.RMI_RTT_DATA_MAP, rd(), base, base + GRANULE, 1n, delegated() | (1n << 2n));
    }
    case 14: { const base = ipa(); return smc(F.RMI_RTT_DATA_UNMAP, rd(), base, base + GRANULE * BigInt(1 + r.int(2)), 0n, 0n); }
    case 15: { const base = ipa(); return smc(F.RMI_RTT_UNPROT_MAP, rd(), base, base + GRANULE, 1n, PAGES.ns | (1n << 2n)); }
    case 16: { const base = ipa(); return smc(F.RMI_RTT_UNPROT_UNMAP, rd(), base, base + GRANULE, 0n, 0n); }
    case 17: return smc(F.RMI_REC_CREATE, rd(), delegated(), r.pick(PAGES.recParams));
    case 18: { // the host fills a donation list first: a separate action, so replays repeat it
      if (r.chance(0.5)) {
        const b = new Uint8Array(16);
        const v = new DataView(b.buffer);
        v.setBigUint64(0, delegated() | (1n << 2n), true);
        v.setBigUint64(8, delegated() | (1n << 2n), true);
        return { kind: 'write', pa: PAGES.list, bytes: b };
      }
      return smc(F.RMI_OP_MEM_DONATE, handle(), PAGES.list, BigInt(1 + r.int(2)));
    }
    case 19: return smc(r.pick([F.RMI_OP_CONTINUE, F.RMI_OP_CONTINUE, F.RMI_OP_CANCEL]), handle(), 0n);
    case 20: return smc(F.RMI_OP_MEM_RECLAIM, handle(), PAGES.out, BigInt(r.int(3)));
    default: return r.pick([
      smc(F.RMI_REC_DESTROY, rec()), smc(F.RMI_RTT_INIT_RIPAS, rd(), ipa(), ipa() + 0x2000n),
      smc(F.RMI_RTT_READ_ENTRY, rd(), ipa(), level()), smc(F.RMI_REC_ENTER, rec(), PAGES.run), smc(F.RMI_VERSION, 0x20000n),
    ]);
  }
}

/** Performs an action; returns X0..X4 for an SMC, [] for a memory write. */
export function perform(rmm: Rmm, a: Action): bigint[] {
  if (a.kind === 'write') {
    rmm.memory.write(a.pa, a.bytes);
    return [];
  }
  return rmm.smc(a.fid, ...a.args);
}
