// RMI_RTT_FOLD and unfolding through RMI_RTT_CREATE (reference 4.6, 5.17): round trips for
// UNASSIGNED and ASSIGNED tables, every homogeneity failure, and the host bugs around blocks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from '../../src/rmm';
import { Fixture, L1, L2, L3, PAGE, RMI_ASSIGNED, RMI_UNASSIGNED, type RealmHandle } from './helpers/realm-fixture';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_RTT: RTT } = Status;
const RAM = 1;
const DESTROYED = 2;

function setup() {
  const fx = new Fixture('1.0');
  return { fx, realm: fx.realm() };
}

/** Maps 512 DATA granules starting at `pa` (2 MB-aligned unless shifted) over [ipa, ipa + 2 MB). */
function mapBlock(fx: Fixture, realm: RealmHandle, ipa: bigint, pa: bigint): void {
  realm.tables(ipa, 3);
  for (let i = 0n; i < 512n; i++) {
    const r = fx.call('RMI_DATA_CREATE', realm.rd, fx.delegate(pa + i * PAGE), ipa + i * PAGE, fx.page(), 0n);
    assert.equal(r.status, 0, r.check);
  }
}

describe('RMI_RTT_FOLD', () => {
  it('folds an UNASSIGNED table into its parent entry, keeping the RIPAS, and unfolds it back', () => {
    const { fx, realm } = setup();
    const [l2, l3] = realm.tables(L2, 3);
    assert.equal(fx.call('RMI_RTT_INIT_RIPAS', realm.rd, L2, 2n * L2).status, 0);
    assert.equal(realm.refcount(l2), 1);
    const r = fx.call('RMI_RTT_FOLD', realm.rd, L2, 3n);
    assert.deepEqual([r.status, r.x[1]], [0, l3]);
    assert.equal(fx.rmm.granule(l3).state, 'DELEGATED');
    assert.equal(realm.refcount(l2), 0);
    assert.deepEqual(realm.read(L2, 3), { level: 2, state: RMI_UNASSIGNED, desc: 0n, ripas: RAM });
    // The folded RTT comes back DELEGATED: the host undelegates X1 (section 8, item 7).
    assert.equal(fx.call('RMI_GRANULE_UNDELEGATE', r.x[1]).status, 0);
    // Unfold: every new entry copies the parent's state and RIPAS.
    const again = fx.delegated();
    assert.equal(fx.call('RMI_RTT_CREATE', realm.rd, again, L2, 3n).status, 0);
    for (const i of [0n, 1n, 300n, 511n]) assert.deepEqual(realm.read(L2 + i * L3), { level: 3, state: RMI_UNASSIGNED, desc: 0n, ripas: RAM });
    assert.equal(realm.refcount(again), 0);
    assert.equal(realm.refcount(l2), 1);
  });

  it('folds 512 contiguous aligned DATA pages into an ASSIGNED level-2 block and splits it back', () => {
    const { fx, realm } = setup();
    const pa = fx.block();
    mapBlock(fx, realm, L2 * 3n, pa);
    const l2 = fx.rmm.st.rtts.get(fx.rmm.st.granules.index(Number(realm.read(0n, 1).desc)))!;
    const l2pa = BigInt(fx.rmm.st.granules.pa(l2.gi));
    assert.equal(realm.refcount(l2pa), 1);
    const folded = fx.call('RMI_RTT_FOLD', realm.rd, L2 * 3n, 3n);
    assert.equal(folded.status, 0);
    assert.deepEqual(realm.read(L2 * 3n + 17n * L3), { level: 2, state: RMI_ASSIGNED, desc: pa, ripas: RAM });
    assert.equal(realm.refcount(l2pa), 1, 'TABLE -> ASSIGNED keeps the parent live count');
    assert.equal(fx.rmm.granule(pa + 100n * PAGE).state, 'DATA');
    // RTT_CREATE under the block unfolds it into contiguous pages.
    const l3 = fx.delegated();
    assert.equal(fx.call('RMI_RTT_CREATE', realm.rd, l3, L2 * 3n, 3n).status, 0);
    for (const i of [0n, 1n, 255n, 511n]) {
      assert.deepEqual(realm.read(L2 * 3n + i * L3), { level: 3, state: RMI_ASSIGNED, desc: pa + i * PAGE, ripas: RAM });
    }
    assert.equal(realm.refcount(l3), 512);
    assert.equal(realm.refcount(l2pa), 1);
  });

  it('DATA_DESTROY on a block answers (RTT, 2) with top == ipa until the host splits it (section 8, item 9)', () => {
    const { fx, realm } = setup();
    const pa = fx.block();
    mapBlock(fx, realm, 0n, pa);
    assert.equal(fx.call('RMI_RTT_FOLD', realm.rd, 0n, 3n).status, 0);
    const ipa = 5n * L3;
    let r = fx.call('RMI_DATA_DESTROY', realm.rd, ipa);
    assert.deepEqual([r.status, r.index, r.check, r.x[2]], [RTT, 2, 'rtt_walk', ipa]);
    // Retrying the same call without splitting loops forever: the answer does not change.
    r = fx.call('RMI_DATA_DESTROY', realm.rd, ipa);
    assert.deepEqual([r.status, r.index, r.x[2]], [RTT, 2, ipa]);
    assert.equal(fx.call('RMI_RTT_CREATE', realm.rd, fx.delegated(), 0n, 3n).status, 0);
    r = fx.call('RMI_DATA_DESTROY', realm.rd, ipa);
    assert.deepEqual([r.status, r.x[1], r.x[2]], [0, pa + 5n * PAGE, ipa + L3]);
    assert.deepEqual(realm.read(ipa), { level: 3, state: RMI_UNASSIGNED, desc: 0n, ripas: DESTROYED });
  });

  it('fails rtt_homo for a table mixing ASSIGNED and UNASSIGNED entries (section 8, item 23)', () => {
    const { fx, realm } = setup();
    const [l2, l3] = realm.tables(0n, 3);
    realm.data(7n * L3);
    const r = fx.call('RMI_RTT_FOLD', realm.rd, 0n, 3n);
    assert.deepEqual([r.status, r.index, r.check], [RTT, 3, 'rtt_homo']);
    assert.equal(fx.rmm.granule(l3).state, 'RTT');
    assert.equal(realm.read(0n, 2).desc, l3);
    assert.equal(realm.refcount(l2), 1);
  });

  it('fails rtt_homo for UNASSIGNED entries with different RIPAS', () => {
    const { fx, realm } = setup();
    realm.tables(0n, 3);
    assert.equal(fx.call('RMI_RTT_INIT_RIPAS', realm.rd, 0n, 8n * L3).status, 0);
    assert.equal(fx.call('RMI_RTT_FOLD', realm.rd, 0n, 3n).check, 'rtt_homo');
  });

  it('fails rtt_homo for contiguous DATA that does not start on a 2 MB boundary', () => {
    const { fx, realm } = setup();
    const pa = fx.block(1024) + PAGE;
    mapBlock(fx, realm, 0n, pa);
    const r = fx.call('RMI_RTT_FOLD', realm.rd, 0n, 3n);
    assert.deepEqual([r.status, r.index, r.check], [RTT, 3, 'rtt_homo']);
  });

  it('fails rtt_homo for aligned DATA that is not contiguous', () => {
    const { fx, realm } = setup();
    const pa = fx.block(1024);
    realm.tables(0n, 3);
    for (let i = 0n; i < 512n; i++) {
      const data = fx.delegate(pa + (i === 511n ? 600n : i) * PAGE);
      assert.equal(fx.call('RMI_DATA_CREATE', realm.rd, data, i * PAGE, fx.page(), 0n).status, 0);
    }
    assert.equal(fx.call('RMI_RTT_FOLD', realm.rd, 0n, 3n).check, 'rtt_homo');
  });

  it('fails rtt_homo for contiguous aligned DATA whose RIPAS differ', () => {
    const { fx, realm } = setup();
    const pa = fx.block();
    realm.tables(0n, 3);
    for (let i = 0n; i < 512n; i++) {
      const data = fx.delegate(pa + i * PAGE);
      const name = i === 3n ? 'RMI_DATA_CREATE_UNKNOWN' : 'RMI_DATA_CREATE';
      const args = i === 3n ? [realm.rd, data, i * PAGE] : [realm.rd, data, i * PAGE, fx.page(), 0n];
      assert.equal(fx.call(name, ...args).status, 0);
    }
    assert.equal(realm.read(3n * PAGE).ripas, 0);
    assert.equal(fx.call('RMI_RTT_FOLD', realm.rd, 0n, 3n).check, 'rtt_homo');
  });

  const cases: { name: string; status: number; index?: number; args: (c: ReturnType<typeof setup>) => bigint[] }[] = [
    { name: 'rd_align', status: INPUT, args: ({ realm }) => [realm.rd + 16n, 0n, 3n] },
    { name: 'rd_bound', status: INPUT, args: () => [0n, 0n, 3n] },
    { name: 'rd_state', status: INPUT, args: ({ fx }) => [fx.page(), 0n, 3n] },
    { name: 'level_bound', status: INPUT, args: ({ realm }) => [realm.rd, 0n, 1n] },
    { name: 'ipa_align', status: INPUT, args: ({ realm }) => [realm.rd, L2 + L3, 3n] },
    { name: 'ipa_bound', status: INPUT, args: ({ realm }) => [realm.rd, 1n << 39n, 2n] },
    { name: 'rtt_walk', status: RTT, index: 1, args: ({ realm }) => [realm.rd, L1, 3n] },
    { name: 'rtte_state', status: RTT, index: 2, args: ({ realm }) => [realm.rd, L2, 3n] },
  ];
  for (const c of cases) {
    it(`fails ${c.name} alone`, () => {
      const env = setup();
      const [, l3] = env.realm.tables(0n, 3);
      const r = env.fx.call('RMI_RTT_FOLD', ...c.args(env));
      assert.deepEqual([r.status, r.index, r.check], [c.status, c.index ?? 0, c.name]);
      assert.equal(env.fx.rmm.granule(l3).state, 'RTT');
    });
  }
});
