// RMI_RTT_INIT_RIPAS (reference 5.18): progress within one RTT, blocks, every failure condition
// alone, the RIM extension of 1.0 checked against node:crypto, and the 2.0 differences.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from '../../src/rmm';
import { Fixture, L1, L2, L3, RMI_ASSIGNED, RMI_UNASSIGNED } from './helpers/realm-fixture';
import { rimExtendRipas, rimInit } from './helpers/rim-oracle';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_RTT: RTT, RMI_ERROR_REALM: REALM } = Status;
const EMPTY = 0;
const RAM = 1;
const DESTROYED = 2;

function setup(profile: '1.0' | '2.0' = '1.0', hashAlgo = 0) {
  const fx = new Fixture(profile);
  return { fx, realm: fx.realm({ hashAlgo }) };
}

describe('RMI_RTT_INIT_RIPAS', () => {
  it('sets RAM on level-3 entries, returns out_top, and extends the RIM once per entry (1.0, SHA-256)', () => {
    const { fx, realm } = setup();
    realm.tables(0n, 3);
    const rim0 = realm.rim();
    assert.deepEqual(rim0, rimInit(0, realm.params), 'RimInit');
    const r = fx.call('RMI_RTT_INIT_RIPAS', realm.rd, 4n * L3, 7n * L3);
    assert.deepEqual([r.status, r.x[1]], [0, 7n * L3]);
    let expected = rim0;
    for (let i = 4n; i < 7n; i++) expected = rimExtendRipas(0, expected, i * L3, (i + 1n) * L3);
    assert.deepEqual(realm.rim(), expected);
    assert.equal(realm.read(3n * L3).ripas, EMPTY);
    for (const i of [4n, 5n, 6n]) assert.deepEqual(realm.read(i * L3), { level: 3, state: RMI_UNASSIGNED, desc: 0n, ripas: RAM });
    assert.equal(realm.read(7n * L3).ripas, EMPTY);
  });

  it('works on whole blocks where no level-3 RTT exists, measuring each block (SHA-512)', () => {
    const { fx, realm } = setup('1.0', 1);
    realm.tables(0n, 2);
    const rim0 = realm.rim();
    const r = fx.call('RMI_RTT_INIT_RIPAS', realm.rd, L2, 3n * L2);
    assert.deepEqual([r.status, r.x[1]], [0, 3n * L2]);
    const expected = rimExtendRipas(1, rimExtendRipas(1, rim0, L2, 2n * L2), 2n * L2, 3n * L2);
    assert.deepEqual(realm.rim(), expected);
    assert.deepEqual(realm.read(L2 + 5n * L3), { level: 2, state: RMI_UNASSIGNED, desc: 0n, ripas: RAM });
  });

  it('stops at the end of the RTT the walk reached; the host continues from out_top', () => {
    const { fx, realm } = setup();
    realm.tables(0n, 3);
    let r = fx.call('RMI_RTT_INIT_RIPAS', realm.rd, L2 - 2n * L3, L2 + 4n * L3);
    assert.deepEqual([r.status, r.x[1]], [0, L2]);
    // The next call continues in the level-2 table, where L2 .. 2*L2 is one block entry larger than the range.
    r = fx.call('RMI_RTT_INIT_RIPAS', realm.rd, L2, L2 + 4n * L3);
    assert.deepEqual([r.status, r.index, r.check], [RTT, 2, 'no_progress']);
  });

  it('1.0 (spec B4.3.18 walk_top) carries on through an ASSIGNED entry after base, measuring it; one at base is rtte_state', () => {
    // TF-RMM 1.0 stops at the ASSIGNED entry (out_top = 2 pages); the spec's walk_top stops only at a TABLE.
    const one = setup('1.0');
    one.realm.tables(0n, 3);
    const oneData = one.fx.delegated();
    assert.equal(one.fx.call('RMI_DATA_CREATE_UNKNOWN', one.realm.rd, oneData, 2n * L3).status, 0);
    assert.equal(one.realm.read(2n * L3).ripas, EMPTY);
    const rim0 = one.realm.rim();
    const before = one.fx.rmm.snapshot();
    let r = one.fx.call('RMI_RTT_INIT_RIPAS', one.realm.rd, 2n * L3, 4n * L3);
    assert.deepEqual([r.status, r.index, r.check], [RTT, 3, 'rtte_state']);
    assert.deepEqual(one.realm.rim(), rim0, 'a failed INIT_RIPAS does not measure');
    one.fx.rmm.restore(before);
    r = one.fx.call('RMI_RTT_INIT_RIPAS', one.realm.rd, 0n, 4n * L3);
    assert.deepEqual([r.status, r.x[1]], [0, 4n * L3]);
    assert.deepEqual(one.realm.read(2n * L3), { level: 3, state: RMI_ASSIGNED, desc: oneData, ripas: RAM });
    let expected = rim0;
    for (let i = 0n; i < 4n; i++) expected = rimExtendRipas(0, expected, i * L3, (i + 1n) * L3);
    assert.deepEqual(one.realm.rim(), expected, 'one RIPAS descriptor per entry, the ASSIGNED one included');
    // A TABLE entry still stops it: level-2 entry 3 becomes a TABLE, so a range of level-2 blocks
    // starting at entry 2 ends there.
    one.realm.tables(3n * L2, 3);
    r = one.fx.call('RMI_RTT_INIT_RIPAS', one.realm.rd, 2n * L2, 5n * L2);
    assert.deepEqual([r.status, r.x[1]], [0, 3n * L2]);
    assert.equal(one.realm.read(3n * L2).ripas, EMPTY);

    const two = setup('2.0');
    two.realm.tables(0n, 3);
    const data = two.realm.data(2n * L3);
    // The realm asks for EMPTY over the page, so the entry becomes ASSIGNED with RIPAS EMPTY.
    const rec = two.realm.rec({ addr: 2n * L3, top: 3n * L3, value: EMPTY });
    assert.equal(two.fx.call('RMI_RTT_SET_RIPAS', two.realm.rd, rec, 2n * L3, 3n * L3).status, 0);
    assert.deepEqual(two.realm.read(2n * L3), { level: 3, state: RMI_ASSIGNED, desc: data, ripas: EMPTY });
    const rim = two.realm.rim();
    r = two.fx.call('RMI_RTT_INIT_RIPAS', two.realm.rd, 0n, 4n * L3);
    assert.deepEqual([r.status, r.x[1]], [0, 4n * L3]);
    assert.deepEqual(two.realm.read(2n * L3), { level: 3, state: RMI_ASSIGNED, desc: data, ripas: RAM });
    assert.deepEqual(two.realm.rim(), rim, '2.0 does not measure RTT_INIT_RIPAS');
  });

  it('1.0 accepts UNASSIGNED entries whatever their RIPAS, DESTROYED included (spec A5.3.5)', () => {
    const { fx, realm } = setup();
    realm.tables(0n, 3);
    realm.data(0n);
    assert.equal(fx.call('RMI_DATA_DESTROY', realm.rd, 0n).status, 0);
    assert.equal(realm.read(0n).ripas, DESTROYED);
    assert.deepEqual(fx.call('RMI_RTT_INIT_RIPAS', realm.rd, 0n, L3).x[1], L3);
    assert.equal(realm.read(0n).ripas, RAM);
  });

  const cases: { name: string; status: number; index?: number; args: (c: ReturnType<typeof setup>) => bigint[] }[] = [
    { name: 'rd_align', status: INPUT, args: ({ realm }) => [realm.rd + 8n, 0n, L3] },
    { name: 'rd_bound', status: INPUT, args: () => [0x5000n, 0n, L3] },
    { name: 'rd_state', status: INPUT, args: ({ fx }) => [fx.delegated(), 0n, L3] },
    { name: 'size_valid', status: INPUT, args: ({ realm }) => [realm.rd, L3, L3] },
    { name: 'top_bound', status: INPUT, args: ({ realm }) => [realm.rd, 0n, (1n << 38n) + L3] },
    { name: 'base_align', status: RTT, index: 2, args: ({ realm }) => [realm.rd, L1 + L3, L1 + 2n * L3] },
    { name: 'top_gran_align', status: INPUT, args: ({ realm }) => [realm.rd, 0n, L3 + 0x10n] },
    { name: 'no_progress', status: RTT, index: 2, args: ({ realm }) => [realm.rd, L1, L1 + L3] },
    {
      name: 'rtte_state', status: RTT, index: 3, args: ({ realm }) => {
        realm.data(0n);
        return [realm.rd, 0n, L3];
      },
    },
  ];
  for (const c of cases) {
    it(`fails ${c.name} alone and changes nothing`, () => {
      const env = setup();
      env.realm.tables(0n, 3);
      env.realm.tables(L1, 2);
      const args = c.args(env);
      const rim = env.realm.rim();
      const r = env.fx.call('RMI_RTT_INIT_RIPAS', ...args);
      assert.deepEqual([r.status, r.index, r.check], [c.status, c.index ?? 0, c.name]);
      assert.deepEqual(env.realm.rim(), rim);
      assert.equal(env.realm.read(L1).ripas, EMPTY);
      assert.equal(env.realm.read(L3).ripas, EMPTY);
    });
  }

  it('fails realm_state with RMI_ERROR_REALM once the realm is active (section 8, item 11)', () => {
    const { fx, realm } = setup();
    realm.tables(0n, 3);
    realm.activate();
    const r = fx.call('RMI_RTT_INIT_RIPAS', realm.rd, 0n, L3);
    assert.deepEqual([r.status, r.check], [REALM, 'realm_state']);
    assert.equal(realm.read(0n).ripas, EMPTY);
  });

  it('rejects an empty or inverted range with size_valid (section 8, item 21)', () => {
    const { fx, realm } = setup();
    realm.tables(0n, 3);
    for (const [base, top] of [[L3, L3], [2n * L3, L3]]) {
      const r = fx.call('RMI_RTT_INIT_RIPAS', realm.rd, base, top);
      assert.deepEqual([r.status, r.check], [INPUT, 'size_valid']);
    }
  });
});
