// RMI_REALM_CREATE (spec B4.3.9; reference 5.6, 4.5): every failure condition provoked alone in
// both profiles (a failed call changes nothing), the starting-level geometry table of reference
// 4.5 (concatenated tables at levels 1 and 2, LPA2 levels 0 and -1) against values written out
// here rather than computed by the emulator's own function, and the success effects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, GranuleState, RealmState, Status, type Profile } from '../../src/rmm';
import { OUTSIDE, PARAMS, RD, RTT, Lab, expectFailure, pa, type RealmParamsInit } from './helpers/rmm-setup';
import { rimInit } from './helpers/rim-oracle';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_GLOBAL: GLOBAL } = Status;
const PROFILES: Profile[] = ['1.0', '2.0'];
const FLAG_LPA2 = 1n;
const FLAG_SVE = 2n;
const FLAG_PMU = 4n;
/** An UNDELEGATED page that is not the params page. */
const OTHER = pa(3);

interface Case {
  name: string;
  status?: number;
  profiles?: Profile[];
  /** Params fields that differ from a valid 39-bit, level-1, one-root realm. */
  params?: RealmParamsInit;
  /** Extra setup; returns [rd, params_ptr] when they differ from [RD, PARAMS]. */
  setup?: (lab: Lab) => [bigint, bigint] | void;
  options?: Record<string, unknown>;
}

const CASES: Case[] = [
  { name: 'params_align', setup: () => [RD, PARAMS + 8n] },
  { name: 'params_bound', setup: () => [RD, OUTSIDE] },
  { name: 'params_pas', setup: (lab) => { lab.delegate(OTHER); return [RD, OTHER]; } },
  { name: 'params_valid', params: { flags: 1n << 5n } },
  { name: 'params_valid', params: { hashAlgo: 7n } },
  { name: 'params_valid', params: { s2sz: 0x127n } },
  { name: 'params_supp', params: { s2sz: 31n } },
  { name: 'params_supp', params: { s2sz: 49n, levelStart: 0n, numStart: 2n } },
  { name: 'params_supp', params: { flags: FLAG_LPA2 } },
  { name: 'params_supp', params: { flags: FLAG_SVE } },
  { name: 'params_supp', params: { flags: FLAG_PMU } },
  { name: 'params_supp', params: { numBps: 0n } },
  { name: 'params_supp', params: { numBps: 6n } },
  { name: 'params_supp', params: { numWps: 0n } },
  { name: 'params_supp', params: { numWps: 4n } },
  // rd is the (only) starting-level RTT: both are DELEGATED, so only the alias condition holds.
  { name: 'alias', setup: () => [RTT, PARAMS] },
  { name: 'rd_align', setup: () => [RD + 0x10n, PARAMS] },
  { name: 'rd_bound', setup: () => [OUTSIDE, PARAMS] },
  { name: 'rd_state', setup: () => [pa(20), PARAMS] },
  // 40 bits at level 1 needs two root RTTs; pa(33) is not 8 KB aligned.
  { name: 'rtt_align', params: { s2sz: 40n, rttBase: pa(33), numStart: 2n }, setup: (lab) => { lab.delegate(pa(33), pa(34)); } },
  // 39 bits at level 1 needs one root RTT, not two.
  { name: 'rtt_num_level', params: { numStart: 2n }, setup: (lab) => { lab.delegate(pa(33)); } },
  { name: 'rtt_num_level', params: { levelStart: 3n } },
  { name: 'rtt_num_level', params: { levelStart: 0n } },
  { name: 'rtt_num_level', params: { levelStart: BigInt.asUintN(64, -1n) } },
  { name: 'rtt_state', params: { rttBase: pa(40) } },
  { name: 'vmid_valid', profiles: ['1.0'], params: { vmid: 256n } },
  { name: 'vmid_alloc', profiles: ['2.0'], status: GLOBAL, options: { vmidCount: 0 } },
];

describe('RMI_REALM_CREATE failure conditions, each alone', () => {
  for (const profile of PROFILES) {
    for (const c of CASES) {
      if (c.profiles && !c.profiles.includes(profile)) continue;
      it(`${profile}: ${c.name} ${c.params ? JSON.stringify(c.params, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)) : ''}`, () => {
        const lab = new Lab({ profile, options: c.options });
        lab.delegate(RD, RTT);
        lab.writeRealmParams(PARAMS, c.params);
        const [rd, params] = c.setup?.(lab) ?? [RD, PARAMS];
        const before = lab.fingerprint();
        expectFailure(lab.call(Fid.RMI_REALM_CREATE, rd, params), c.status ?? INPUT, c.name);
        assert.equal(lab.fingerprint(), before, 'a failed REALM_CREATE changes nothing');
        assert.equal(lab.state(RD), 'DELEGATED');
        assert.equal(lab.state(RTT), 'DELEGATED');
      });
    }
  }

  it('1.0: with FEAT_VMID16 absent the VMID must fit in 8 bits (vmid_valid)', () => {
    const lab = new Lab();
    lab.delegate(RD, RTT);
    lab.writeRealmParams(PARAMS, { vmid: 0x100n });
    expectFailure(lab.call(Fid.RMI_REALM_CREATE, RD, PARAMS), INPUT, 'vmid_valid');
    lab.writeRealmParams(PARAMS, { vmid: 0xffn });
    lab.ok(Fid.RMI_REALM_CREATE, RD, PARAMS);
  });
});

// Reference 4.5 (4 KB granules): for each starting level, the IPA widths it can translate and
// how many concatenated starting-level RTTs each needs. Written out, not derived.
const GEOMETRY: { level: number; lpa2?: boolean; counts: Record<number, number>; invalid: number[] }[] = [
  { level: 2, counts: { 32: 4, 33: 8, 34: 16 }, invalid: [35, 39] },
  { level: 1, counts: { 32: 1, 36: 1, 39: 1, 40: 2, 41: 4, 42: 8, 43: 16 }, invalid: [44, 48] },
  { level: 0, counts: { 40: 1, 44: 1, 48: 1 }, invalid: [32, 39] },
  { level: 0, lpa2: true, counts: { 48: 1, 49: 2, 50: 4, 51: 8, 52: 16 }, invalid: [39] },
  { level: -1, lpa2: true, counts: { 49: 1, 50: 1, 51: 1, 52: 1 }, invalid: [48, 40] },
  { level: 3, counts: {}, invalid: [32, 39, 48] },
];

/** Root RTTs start at pa(32), which is 128 KB aligned: enough for 16 concatenated tables. */
const ROOTS = Array.from({ length: 16 }, (_, i) => pa(32 + i));

function geometryLab(): Lab {
  const lab = new Lab({ options: { lpa2: true, maxIpaWidth: 52 } });
  lab.delegate(RD, ...ROOTS);
  return lab;
}

describe('RMI_REALM_CREATE starting-level geometry (reference 4.5)', () => {
  for (const g of GEOMETRY) {
    const flags = g.lpa2 ? FLAG_LPA2 : 0n;
    for (const [s2sz, n] of Object.entries(g.counts)) {
      it(`level ${g.level}${g.lpa2 ? ' (LPA2)' : ''}, ${s2sz} bits: exactly ${n} starting-level RTT(s)`, () => {
        const p = { flags, s2sz: BigInt(s2sz), levelStart: BigInt.asUintN(64, BigInt(g.level)) };
        for (const wrong of [n / 2, n * 2].filter((k) => k >= 1 && k <= 16 && k !== n)) {
          const lab = geometryLab();
          lab.writeRealmParams(PARAMS, { ...p, numStart: BigInt(wrong) });
          expectFailure(lab.call(Fid.RMI_REALM_CREATE, RD, PARAMS), INPUT, 'rtt_num_level');
        }
        const lab = geometryLab();
        lab.writeRealmParams(PARAMS, { ...p, numStart: BigInt(n) });
        lab.ok(Fid.RMI_REALM_CREATE, RD, PARAMS);
        const realm = lab.realm();
        assert.equal(realm.roots.length, n);
        ROOTS.forEach((r, i) => assert.equal(lab.state(r), i < n ? 'RTT' : 'DELEGATED'));
        // The last protected IPA and the first unprotected one are both reachable at the starting level.
        const top = 1n << BigInt(s2sz);
        const levelSize = 1n << BigInt((3 - g.level) * 9 + 12);
        const read = (ipa: bigint) => lab.ok(Fid.RMI_RTT_READ_ENTRY, RD, ipa, BigInt.asUintN(64, BigInt(g.level))).ret;
        assert.equal(read(top / 2n - levelSize)[4], 0n, 'protected: RIPAS EMPTY');
        assert.equal(read(top / 2n)[2], 0n, 'unprotected: UNASSIGNED(_NS)');
        expectFailure(lab.call(Fid.RMI_RTT_READ_ENTRY, RD, top, BigInt.asUintN(64, BigInt(g.level))), INPUT, 'ipa_bound');
      });
    }
    for (const s2sz of g.invalid) {
      it(`level ${g.level}${g.lpa2 ? ' (LPA2)' : ''}, ${s2sz} bits: no number of starting-level RTTs works`, () => {
        for (const n of [1, 2, 4, 8, 16]) {
          const lab = geometryLab();
          lab.writeRealmParams(PARAMS, { flags, s2sz: BigInt(s2sz), levelStart: BigInt.asUintN(64, BigInt(g.level)), numStart: BigInt(n) });
          expectFailure(lab.call(Fid.RMI_REALM_CREATE, RD, PARAMS), INPUT, 'rtt_num_level');
        }
      });
    }
  }
});

describe('RMI_REALM_CREATE success effects', () => {
  for (const profile of PROFILES) {
    it(`${profile}: RD and root RTTs change state, the realm is NEW with RimInit and zero REMs`, () => {
      const lab = new Lab({ profile });
      lab.delegate(RD, pa(32), pa(33));
      lab.writeRealmParams(PARAMS, { s2sz: 40n, numStart: 2n, hashAlgo: 1n, vmid: 7n });
      // RPV is not measured: writing it must not change the RIM.
      lab.rmm.memory.write(PARAMS + 0x400n, new Uint8Array(64).fill(0xa5));
      const o = lab.ok(Fid.RMI_REALM_CREATE, RD, PARAMS);
      // TF-RMM main's order: the starting-level RTTs first, then the RD.
      assert.deepEqual(o.event.changes.map((c) => [c.pa, c.to]), [[pa(32), GranuleState.RTT], [pa(33), GranuleState.RTT], [RD, GranuleState.RD]]
        .map(([p, s]) => [Number(p), s]));
      assert.deepEqual(lab.rmm.granule(RD), { state: 'RD', realm: RD });
      assert.deepEqual(lab.rmm.granule(pa(33)), { state: 'RTT', realm: RD });
      const realm = lab.realm();
      assert.equal(realm.state, RealmState.NEW);
      assert.deepEqual([realm.recIndex, realm.numRecs, realm.ipaWidth, realm.rttLevelStart], [0, 0, 40, 1]);
      assert.equal(realm.vmid, profile === '1.0' ? 7 : 0, '1.0 keeps the host VMID, 2.0 allocates one');
      const page = lab.rmm.memory.read(PARAMS, 4096);
      assert.deepEqual(realm.measurements[0], rimInit(1, page));
      for (let i = 1; i < 5; i++) assert.deepEqual(realm.measurements[i], new Uint8Array(64));
      assert.equal(realm.rpv[0], 0xa5);
    });
  }
});
