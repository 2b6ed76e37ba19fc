// RMI_RTT_CREATE, RMI_RTT_DESTROY and RMI_RTT_READ_ENTRY (reference 5.15, 5.16, 5.26): every
// failure condition alone, the RTT_DESTROY outcome table, refcounts, and the teardown-order bug.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from '../../src/rmm';
import { DRAM_BASE, Fixture, L1, L2, L3, PAGE, RMI_ASSIGNED, RMI_TABLE, RMI_UNASSIGNED } from './helpers/realm-fixture';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_RTT: RTT } = Status;
const RIPAS_EMPTY = 0;
const RIPAS_DESTROYED = 2;

function setup() {
  const fx = new Fixture('1.0');
  const realm = fx.realm(); // 39-bit IPA, starting level 1, one root RTT
  return { fx, realm };
}

describe('RMI_RTT_CREATE', () => {
  it('builds a path of RTTs; READ_ENTRY shows each TABLE entry, granule states and refcounts follow', () => {
    const { fx, realm } = setup();
    const l2 = fx.delegated();
    const l3 = fx.delegated();
    assert.equal(fx.call('RMI_RTT_CREATE', realm.rd, l2, 0n, 2n).status, 0);
    assert.equal(fx.call('RMI_RTT_CREATE', realm.rd, l3, 0n, 3n).status, 0);
    assert.deepEqual(realm.read(0n, 1), { level: 1, state: RMI_TABLE, desc: l2, ripas: RIPAS_EMPTY });
    assert.deepEqual(realm.read(0n, 2), { level: 2, state: RMI_TABLE, desc: l3, ripas: RIPAS_EMPTY });
    assert.deepEqual(realm.read(0x5000n, 3), { level: 3, state: RMI_UNASSIGNED, desc: 0n, ripas: RIPAS_EMPTY });
    // A walk deeper than the tree stops at the last entry that exists.
    assert.equal(realm.read(L2 * 7n, 3).level, 2);
    assert.deepEqual(fx.rmm.granule(l3), { state: 'RTT', realm: realm.rd });
    assert.deepEqual([realm.refcount(realm.rtts[0]), realm.refcount(l2), realm.refcount(l3)], [1, 1, 0]);
  });

  const cases: { name: string; status: number; index?: number; make: (c: ReturnType<typeof setup>) => bigint[] }[] = [
    { name: 'rd_align', status: INPUT, make: ({ fx, realm }) => [realm.rd + 8n, fx.delegated(), 0n, 2n] },
    { name: 'rd_bound', status: INPUT, make: ({ fx }) => [0x1000n, fx.delegated(), 0n, 2n] },
    { name: 'rd_state', status: INPUT, make: ({ fx }) => [fx.delegated(), fx.delegated(), 0n, 2n] },
    { name: 'level_bound', status: INPUT, make: ({ fx, realm }) => [realm.rd, fx.delegated(), 0n, 1n] },
    { name: 'ipa_align', status: INPUT, make: ({ fx, realm }) => [realm.rd, fx.delegated(), L1 + L3, 2n] },
    { name: 'ipa_bound', status: INPUT, make: ({ fx, realm }) => [realm.rd, fx.delegated(), 1n << 39n, 2n] },
    { name: 'rtt_align', status: INPUT, make: ({ fx, realm }) => [realm.rd, fx.delegated() + 8n, 0n, 2n] },
    { name: 'rtt_bound', status: INPUT, make: ({ realm }) => [realm.rd, 0x2000n, 0n, 2n] },
    { name: 'rtt_state', status: INPUT, make: ({ fx, realm }) => [realm.rd, fx.page(), 0n, 2n] },
    { name: 'rtt_walk', status: RTT, index: 1, make: ({ fx, realm }) => [realm.rd, fx.delegated(), 0n, 3n] },
    {
      name: 'rtte_state', status: RTT, index: 1, make: ({ fx, realm }) => {
        realm.tables(0n, 2);
        return [realm.rd, fx.delegated(), 0n, 2n];
      },
    },
  ];
  for (const c of cases) {
    it(`fails ${c.name} alone and changes nothing`, () => {
      const env = setup();
      const args = c.make(env);
      const before = env.realm.read(0n, 3);
      const rttState = env.fx.rmm.st.granules.index(Number(args[1])) >= 0 ? env.fx.rmm.granule(args[1]).state : undefined;
      const r = env.fx.call('RMI_RTT_CREATE', ...args);
      assert.deepEqual([r.status, r.index, r.check], [c.status, c.index ?? 0, c.name]);
      assert.deepEqual(env.realm.read(0n, 3), before);
      if (rttState) assert.equal(env.fx.rmm.granule(args[1]).state, rttState);
    });
  }

  it('fails rtt_bound2 for an RTT granule at or above 2^48 when the realm does not use LPA2', () => {
    const high = 1n << 48n;
    const fx = new Fixture('1.0', {}, [{ base: DRAM_BASE, size: 0x4000_0000n }, { base: high, size: L2 }]);
    const realm = fx.realm();
    fx.delegate(high);
    const r = fx.call('RMI_RTT_CREATE', realm.rd, high, 0n, 2n);
    assert.deepEqual([r.status, r.check], [INPUT, 'rtt_bound2']);
    assert.equal(fx.rmm.granule(high).state, 'DELEGATED');
  });

  it('accepts an RTT granule above 2^48 for an LPA2 realm', () => {
    const high = 1n << 48n;
    const fx = new Fixture('1.0', { lpa2: true, maxIpaWidth: 52 }, [{ base: DRAM_BASE, size: 0x4000_0000n }, { base: high, size: L2 }]);
    const realm = fx.realm({ s2sz: 48, levelStart: 0, lpa2: true });
    fx.delegate(high);
    assert.equal(fx.call('RMI_RTT_CREATE', realm.rd, high, 0n, 1n).status, 0);
    assert.equal(realm.read(0n, 0).desc, high);
  });
});

describe('RMI_RTT_DESTROY', () => {
  it('frees a non-live RTT: X1 its PA, X2 the next live IPA, parent UNASSIGNED with RIPAS DESTROYED', () => {
    const { fx, realm } = setup();
    const [l2, l3] = realm.tables(0n, 3);
    realm.tables(L2 * 9n, 3); // a live entry further on in the level-2 table
    const r = fx.call('RMI_RTT_DESTROY', realm.rd, 0n, 3n);
    assert.equal(r.status, 0);
    assert.deepEqual([r.x[1], r.x[2]], [l3, L2 * 9n]);
    assert.equal(fx.rmm.granule(l3).state, 'DELEGATED');
    assert.deepEqual(realm.read(0n, 3), { level: 2, state: RMI_UNASSIGNED, desc: 0n, ripas: RIPAS_DESTROYED });
    assert.equal(realm.refcount(l2), 1);
    assert.equal(fx.rmm.st.rtts.has(fx.rmm.st.granules.index(Number(l3))), false);
    // The freed granule is DELEGATED, not UNDELEGATED: the host still has to undelegate it (section 8, item 7).
    assert.equal(fx.call('RMI_GRANULE_UNDELEGATE', l3).status, 0);
  });

  it('reports the outcome table: missing RTT, block mapping above, live RTT', () => {
    const { fx, realm } = setup();
    realm.tables(0n, 3);
    realm.tables(L2 * 7n, 3);
    // Missing RTT: walk to level 2 stops at an UNASSIGNED entry; top skips to the next live entry.
    let r = fx.call('RMI_RTT_DESTROY', realm.rd, L2 * 3n, 3n);
    assert.deepEqual([r.status, r.index, r.check, r.x[2]], [RTT, 2, 'rtte_state', L2 * 7n]);
    // Missing RTT one level further up: walk to level 2 stops at level 1.
    r = fx.call('RMI_RTT_DESTROY', realm.rd, L1 * 5n, 3n);
    assert.deepEqual([r.status, r.index, r.check, r.x[2]], [RTT, 1, 'rtt_walk', 512n * L1]);
    // Live RTT: top == ipa.
    realm.data(L2 * 7n + 5n * L3);
    r = fx.call('RMI_RTT_DESTROY', realm.rd, L2 * 7n, 3n);
    assert.deepEqual([r.status, r.index, r.check, r.x[2]], [RTT, 3, 'rtt_live', L2 * 7n]);
    // Block mapping above: an ASSIGNED level-2 block (fold of a fully mapped level-3 table).
    const pa = fx.block();
    for (let i = 0n; i < 512n; i++) {
      const src = fx.page();
      assert.equal(fx.call('RMI_DATA_CREATE', realm.rd, fx.delegate(pa + i * PAGE), i * PAGE, src, 0n).status, 0);
    }
    assert.equal(fx.call('RMI_RTT_FOLD', realm.rd, 0n, 3n).status, 0);
    r = fx.call('RMI_RTT_DESTROY', realm.rd, 0n, 3n);
    assert.deepEqual([r.status, r.index, r.check, r.x[2]], [RTT, 2, 'rtte_state', 0n]);
  });

  const cases: { name: string; status: number; index?: number; ipa?: bigint; level: bigint; rd?: 'bad-align' | 'out' | 'not-rd' }[] = [
    { name: 'rd_align', status: INPUT, level: 3n, rd: 'bad-align' },
    { name: 'rd_bound', status: INPUT, level: 3n, rd: 'out' },
    { name: 'rd_state', status: INPUT, level: 3n, rd: 'not-rd' },
    { name: 'level_bound', status: INPUT, level: 1n },
    { name: 'ipa_align', status: INPUT, level: 3n, ipa: L3 },
    { name: 'ipa_bound', status: INPUT, level: 2n, ipa: 1n << 39n },
  ];
  for (const c of cases) {
    it(`fails ${c.name} alone with RMI_ERROR_INPUT and X2 = 0`, () => {
      const { fx, realm } = setup();
      realm.tables(0n, 3);
      const rd = c.rd === 'bad-align' ? realm.rd + 8n : c.rd === 'out' ? 0x1000n : c.rd === 'not-rd' ? fx.delegated() : realm.rd;
      const r = fx.call('RMI_RTT_DESTROY', rd, c.ipa ?? 0n, c.level);
      assert.deepEqual([r.status, r.index, r.check, r.x[2]], [c.status, c.index ?? 0, c.name, 0n]);
      assert.equal(realm.read(0n, 3).level, 3);
    });
  }

  it('teardown in the wrong order fails; bottom-up after unmapping succeeds (section 8, item 6)', () => {
    const { fx, realm } = setup();
    const [l2, l3] = realm.tables(0n, 3);
    const data = realm.data(0n);
    // Level 2 still has a level-3 table under it.
    let r = fx.call('RMI_RTT_DESTROY', realm.rd, 0n, 2n);
    assert.deepEqual([r.status, r.index, r.check, r.x[2]], [RTT, 2, 'rtt_live', 0n]);
    // Level 3 still maps DATA.
    r = fx.call('RMI_RTT_DESTROY', realm.rd, 0n, 3n);
    assert.deepEqual([r.status, r.index, r.check], [RTT, 3, 'rtt_live']);
    // The starting level cannot be destroyed with RTT_DESTROY at all.
    r = fx.call('RMI_RTT_DESTROY', realm.rd, 0n, 1n);
    assert.deepEqual([r.status, r.check], [INPUT, 'level_bound']);
    assert.equal(fx.call('RMI_DATA_DESTROY', realm.rd, 0n).x[1], data);
    assert.equal(fx.call('RMI_RTT_DESTROY', realm.rd, 0n, 3n).x[1], l3);
    assert.equal(fx.call('RMI_RTT_DESTROY', realm.rd, 0n, 2n).x[1], l2);
    assert.equal(realm.refcount(realm.rtts[0]), 0);
    for (const pa of [data, l3, l2]) assert.equal(fx.call('RMI_GRANULE_UNDELEGATE', pa).status, 0);
  });
});

describe('RMI_RTT_READ_ENTRY', () => {
  it('reads the starting level and reports the level the walk reached', () => {
    const { realm } = setup();
    assert.deepEqual(realm.read(L1 * 3n, 1), { level: 1, state: RMI_UNASSIGNED, desc: 0n, ripas: RIPAS_EMPTY });
    assert.equal(realm.read(L1 * 3n + L2, 2).level, 1);
  });

  it('reports ASSIGNED with the DATA PA and RIPAS', () => {
    const { realm } = setup();
    realm.tables(0n, 3);
    const data = realm.data(L3 * 4n);
    assert.deepEqual(realm.read(L3 * 4n, 3), { level: 3, state: RMI_ASSIGNED, desc: data, ripas: 1 });
  });

  const cases: [name: string, args: (rd: bigint, other: bigint) => bigint[]][] = [
    ['rd_align', (rd) => [rd + 1n, 0n, 3n]],
    ['rd_bound', () => [0x3000n, 0n, 3n]],
    ['rd_state', (_rd, other) => [other, 0n, 3n]],
    ['level_bound', (rd) => [rd, 0n, 0n]],
    ['ipa_align', (rd) => [rd, L3, 2n]],
    ['ipa_bound', (rd) => [rd, 1n << 39n, 1n]],
  ];
  for (const [name, args] of cases) {
    it(`fails ${name} alone with RMI_ERROR_INPUT`, () => {
      const { fx, realm } = setup();
      const r = fx.call('RMI_RTT_READ_ENTRY', ...args(realm.rd, fx.delegated()));
      assert.deepEqual([r.status, r.index, r.check], [INPUT, 0, name]);
    });
  }

  it('rejects level 4 and negative levels as level_bound', () => {
    const { fx, realm } = setup();
    assert.equal(fx.call('RMI_RTT_READ_ENTRY', realm.rd, 0n, 4n).check, 'level_bound');
    assert.equal(fx.call('RMI_RTT_READ_ENTRY', realm.rd, 0n, BigInt.asUintN(64, -1n)).check, 'level_bound');
  });
});
