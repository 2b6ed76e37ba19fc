// RMI_DATA_CREATE (1.0) / RMI_RTT_DATA_MAP_INIT (2.0) (reference 5.20): contents, mapping, RIM
// checked against node:crypto, every failure condition alone, and the populate bugs of section 8.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GranuleState, Status } from '../../src/rmm';
import { DRAM_BASE, Fixture, L2, L3, PAGE, RMI_ASSIGNED, RMI_UNASSIGNED } from './helpers/realm-fixture';
import { rimExtendData } from './helpers/rim-oracle';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_RTT: RTT, RMI_ERROR_REALM: REALM } = Status;
const RAM = 1;

function setup(profile: '1.0' | '2.0' = '1.0', hashAlgo = 0) {
  const fx = new Fixture(profile);
  const realm = fx.realm({ hashAlgo });
  realm.tables(0n, 3);
  return { fx, realm };
}

function srcPage(fx: Fixture, seed: number): { pa: bigint; bytes: Uint8Array } {
  const pa = fx.page();
  const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 31 + seed) & 0xff);
  fx.rmm.memory.write(pa, bytes);
  return { pa, bytes };
}

describe('RMI_DATA_CREATE', () => {
  for (const [profile, algo] of [['1.0', 0], ['1.0', 1], ['2.0', 0], ['2.0', 2]] as const) {
    it(`${profile}, hash ${algo}: copies src, maps ASSIGNED/RAM, extends the RIM with and without content`, () => {
      const { fx, realm } = setup(profile, algo);
      const l3 = realm.read(0n, 2).desc;
      const src = srcPage(fx, 7);
      const data = fx.delegated();
      let rim = realm.rim();
      let r = fx.call(profile === '2.0' ? 'RMI_RTT_DATA_MAP_INIT' : 'RMI_DATA_CREATE', realm.rd, data, 5n * L3, src.pa, 1n);
      assert.equal(r.status, 0);
      assert.equal(fx.last?.name, profile === '2.0' ? 'RMI_RTT_DATA_MAP_INIT' : 'RMI_DATA_CREATE');
      // The trace records the one granule change, for the debugger and the granule map.
      assert.deepEqual(fx.last?.changes, [{ pa: Number(data), from: GranuleState.DELEGATED, to: GranuleState.DATA }]);
      assert.deepEqual(fx.rmm.memory.read(data, 4096), src.bytes);
      assert.deepEqual(fx.rmm.granule(data), { state: 'DATA', realm: realm.rd });
      assert.deepEqual(realm.read(5n * L3), { level: 3, state: RMI_ASSIGNED, desc: data, ripas: RAM });
      assert.equal(realm.refcount(l3), 1);
      rim = rimExtendData(algo, rim, 5n * L3, 1n, src.bytes);
      assert.deepEqual(realm.rim(), rim, 'MEASURE_CONTENT');
      // Without MEASURE_CONTENT the content field stays zero.
      const other = srcPage(fx, 9);
      r = fx.call('RMI_DATA_CREATE', realm.rd, fx.delegated(), 6n * L3, other.pa, 0n);
      assert.equal(r.status, 0);
      assert.deepEqual(realm.rim(), rimExtendData(algo, rim, 6n * L3, 0n, undefined), 'NO_MEASURE_CONTENT');
    });
  }

  for (const [profile, algo] of [['1.0', 0], ['1.0', 1], ['2.0', 2]] as const) {
    it(`${profile}, hash ${algo}: measures a never-written source page as zero, and keeps every flags bit and IPA bit`, () => {
      const { fx, realm } = setup(profile, algo);
      let rim = realm.rim();
      // Twice: the first measurement of a zero page and the next (which may reuse a cached digest).
      for (const ipa of [1n * L3, 2n * L3]) {
        assert.equal(fx.call('RMI_DATA_CREATE', realm.rd, fx.delegated(), ipa, fx.page(), 1n).status, 0);
        rim = rimExtendData(algo, rim, ipa, 1n, new Uint8Array(4096));
        assert.deepEqual(realm.rim(), rim, `zero page at 0x${ipa.toString(16)}`);
      }
      // 1.0 puts the whole flags value into the descriptor (bit 0 measures, high bits included).
      const flags = profile === '1.0' ? 0xfedc_ba98_7654_3211n : 1n;
      const src = srcPage(fx, 3);
      assert.equal(fx.call('RMI_DATA_CREATE', realm.rd, fx.delegated(), 3n * L3, src.pa, flags).status, 0);
      rim = rimExtendData(algo, rim, 3n * L3, flags, src.bytes);
      assert.deepEqual(realm.rim(), rim, 'high flags bits');
      // An IPA above 2^32 (a level-3 table there first): both halves of the field are measured.
      const high = 0x1_2345_6000n;
      realm.tables(high, 3);
      assert.equal(fx.call('RMI_DATA_CREATE', realm.rd, fx.delegated(), high, fx.page(), 0n).status, 0);
      assert.deepEqual(realm.rim(), rimExtendData(algo, rim, high, 0n, undefined), 'IPA above 2^32');
    });
  }

  it('makes the RIM depend on the order of population (section 8, item 15)', () => {
    const rims = [[1n, 2n], [2n, 1n]].map((order) => {
      const { realm } = setup();
      for (const i of order) realm.data(i * L3, Number(i));
      return realm.rim();
    });
    assert.notDeepEqual(rims[0], rims[1]);
  });

  type Env = ReturnType<typeof setup>;
  const cases: { name: string; status: number; index?: number; args: (c: Env, data: bigint, src: bigint) => bigint[] }[] = [
    { name: 'src_align', status: INPUT, args: ({ realm }, data, src) => [realm.rd, data, 0n, src + 8n, 0n] },
    { name: 'src_bound', status: INPUT, args: ({ realm }, data) => [realm.rd, data, 0n, 0x4000n, 0n] },
    { name: 'src_pas', status: INPUT, args: ({ fx, realm }, data) => [realm.rd, data, 0n, fx.delegated(), 0n] },
    { name: 'data_align', status: INPUT, args: ({ realm }, data, src) => [realm.rd, data + 8n, 0n, src, 0n] },
    { name: 'data_bound', status: INPUT, args: ({ realm }, _data, src) => [realm.rd, 0x3000n, 0n, src, 0n] },
    { name: 'data_state', status: INPUT, args: ({ fx, realm }, _data, src) => [realm.rd, fx.page(), 0n, src, 0n] },
    { name: 'rd_align', status: INPUT, args: ({ realm }, data, src) => [realm.rd + 8n, data, 0n, src, 0n] },
    { name: 'rd_bound', status: INPUT, args: (_env, data, src) => [0x2000n, data, 0n, src, 0n] },
    { name: 'rd_state', status: INPUT, args: ({ fx }, data, src) => [fx.delegated(), data, 0n, src, 0n] },
    { name: 'ipa_align', status: INPUT, args: ({ realm }, data, src) => [realm.rd, data, 0x800n, src, 0n] },
    { name: 'ipa_bound', status: INPUT, args: ({ realm }, data, src) => [realm.rd, data, 1n << 38n, src, 0n] },
    { name: 'rtt_walk', status: RTT, index: 2, args: ({ realm }, data, src) => [realm.rd, data, L2, src, 0n] },
    {
      name: 'rtte_state', status: RTT, index: 3, args: ({ realm }, data, src) => {
        realm.data(L3);
        return [realm.rd, data, L3, src, 0n];
      },
    },
  ];
  for (const c of cases) {
    it(`fails ${c.name} alone and changes nothing`, () => {
      const env = setup();
      const data = env.fx.delegated();
      const src = srcPage(env.fx, 1).pa;
      const args = c.args(env, data, src);
      const rim = env.realm.rim();
      const r = env.fx.call('RMI_DATA_CREATE', ...args);
      assert.deepEqual([r.status, r.index, r.check], [c.status, c.index ?? 0, c.name]);
      assert.equal(env.fx.rmm.granule(data).state, 'DELEGATED');
      assert.deepEqual(env.realm.rim(), rim);
      assert.equal(env.realm.read(0n).state, RMI_UNASSIGNED);
    });
  }

  it('fails data_bound2 for a data granule at or above 2^48 without LPA2', () => {
    const high = 1n << 48n;
    const fx = new Fixture('1.0', {}, [{ base: DRAM_BASE, size: 0x4000_0000n }, { base: high, size: L2 }]);
    const realm = fx.realm();
    realm.tables(0n, 3);
    const r = fx.call('RMI_DATA_CREATE', realm.rd, fx.delegate(high), 0n, fx.page(), 0n);
    assert.deepEqual([r.status, r.check], [INPUT, 'data_bound2']);
  });

  it('2.0 rejects flags other than 0 and 1 with flags_valid; 1.0 has no such condition (bits 63:1 SBZ)', () => {
    const two = setup('2.0');
    const r = two.fx.call('RMI_RTT_DATA_MAP_INIT', two.realm.rd, two.fx.delegated(), 0n, two.fx.page(), 2n);
    assert.deepEqual([r.status, r.check], [INPUT, 'flags_valid']);
    const one = setup('1.0');
    const rim = one.realm.rim();
    assert.equal(one.fx.call('RMI_DATA_CREATE', one.realm.rd, one.fx.delegated(), 0n, one.fx.page(), 2n).status, 0);
    assert.deepEqual(one.realm.rim(), rimExtendData(0, rim, 0n, 2n, undefined));
  });

  it('fails realm_state after activation: populate must happen while the realm is NEW (section 8, item 11)', () => {
    const { fx, realm } = setup();
    realm.activate();
    const data = fx.delegated();
    const r = fx.call('RMI_DATA_CREATE', realm.rd, data, 0n, fx.page(), 0n);
    assert.deepEqual([r.status, r.check], [REALM, 'realm_state']);
    assert.equal(fx.rmm.granule(data).state, 'DELEGATED');
  });

  it('double populate answers (RTT, 3); the spare page stays DELEGATED and must be undelegated (section 8, item 12)', () => {
    const { fx, realm } = setup();
    const first = realm.data(4n * L3, 1);
    const spare = fx.delegated();
    const r = fx.call('RMI_DATA_CREATE', realm.rd, spare, 4n * L3, fx.page(), 0n);
    assert.deepEqual([r.status, r.index, r.check], [RTT, 3, 'rtte_state']);
    assert.equal(realm.read(4n * L3).desc, first);
    assert.equal(fx.rmm.granule(spare).state, 'DELEGATED');
    assert.equal(fx.call('RMI_GRANULE_UNDELEGATE', spare).status, 0);
  });

  it('populates at contiguous IPAs across a whole level-3 RTT with one refcount per page', () => {
    const { fx, realm } = setup();
    const l3 = realm.read(0n, 2).desc;
    for (let i = 0n; i < 16n; i++) realm.data(i * PAGE);
    assert.equal(realm.refcount(l3), 16);
    assert.equal(fx.rmm.granule(realm.read(15n * PAGE).desc).state, 'DATA');
  });
});
