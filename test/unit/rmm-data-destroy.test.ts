// RMI_DATA_CREATE_UNKNOWN and RMI_DATA_DESTROY (1.0, reference 5.21, 5.22): RIPAS effects, the
// DATA_DESTROY outcome table with its `top` output, failure conditions alone, and the host bugs
// about DELEGATED leftovers and RIPAS DESTROYED.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, Status } from '../../src/rmm';
import { Fixture, L1, L2, L3, RMI_ASSIGNED, RMI_UNASSIGNED } from './helpers/realm-fixture';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_RTT: RTT } = Status;
const EMPTY = 0;
const RAM = 1;
const DESTROYED = 2;

function setup() {
  const fx = new Fixture('1.0');
  const realm = fx.realm();
  realm.tables(0n, 3);
  return { fx, realm };
}

describe('RMI_DATA_CREATE_UNKNOWN', () => {
  it('maps a wiped granule and keeps the entry RIPAS, also in an ACTIVE realm, without measuring', () => {
    const { fx, realm } = setup();
    assert.equal(fx.call('RMI_RTT_INIT_RIPAS', realm.rd, L3, 2n * L3).status, 0);
    const old = fx.page();
    fx.rmm.memory.write(old, new Uint8Array(4096).fill(0xaa)); // host data left in the page before delegation
    fx.delegate(old);
    realm.activate();
    const rim = realm.rim();
    assert.equal(fx.call('RMI_DATA_CREATE_UNKNOWN', realm.rd, old, L3).status, 0);
    assert.deepEqual(realm.read(L3), { level: 3, state: RMI_ASSIGNED, desc: old, ripas: RAM });
    assert.deepEqual(fx.rmm.memory.read(old, 4096), new Uint8Array(4096));
    const empty = fx.delegated();
    assert.equal(fx.call('RMI_DATA_CREATE_UNKNOWN', realm.rd, empty, 2n * L3).status, 0);
    assert.equal(realm.read(2n * L3).ripas, EMPTY);
    assert.deepEqual(realm.rim(), rim);
    assert.deepEqual(fx.rmm.granule(empty), { state: 'DATA', realm: realm.rd });
  });

  const cases: [name: string, status: number, index: number, args: (c: ReturnType<typeof setup>, data: bigint) => bigint[]][] = [
    ['data_align', INPUT, 0, ({ realm }, data) => [realm.rd, data + 8n, 0n]],
    ['data_bound', INPUT, 0, ({ realm }) => [realm.rd, 0x1000n, 0n]],
    ['data_state', INPUT, 0, ({ fx, realm }) => [realm.rd, fx.page(), 0n]],
    ['rd_align', INPUT, 0, ({ realm }, data) => [realm.rd + 8n, data, 0n]],
    ['rd_bound', INPUT, 0, (_c, data) => [0x1000n, data, 0n]],
    ['rd_state', INPUT, 0, ({ fx }, data) => [fx.delegated(), data, 0n]],
    ['ipa_align', INPUT, 0, ({ realm }, data) => [realm.rd, data, 8n]],
    ['ipa_bound', INPUT, 0, ({ realm }, data) => [realm.rd, data, (1n << 38n) + L3]],
    ['rtt_walk', RTT, 1, ({ realm }, data) => [realm.rd, data, L1]],
    ['rtte_state', RTT, 3, ({ realm }, data) => { realm.data(0n); return [realm.rd, data, 0n]; }],
  ];
  for (const [name, status, index, args] of cases) {
    it(`fails ${name} alone and changes nothing`, () => {
      const env = setup();
      const data = env.fx.delegated();
      const r = env.fx.call('RMI_DATA_CREATE_UNKNOWN', ...args(env, data));
      assert.deepEqual([r.status, r.index, r.check], [status, index, name]);
      assert.equal(env.fx.rmm.granule(data).state, 'DELEGATED');
    });
  }

  it('does not exist in 2.0 (replaced by RMI_RTT_DATA_MAP)', () => {
    const fx = new Fixture('2.0');
    assert.equal(fx.rmm.smc(BigInt(Fid.RMI_DATA_CREATE_UNKNOWN), 0n, 0n, 0n)[0], 0xffff_ffff_ffff_ffffn);
    assert.equal(fx.rmm.smc(BigInt(Fid.RMI_DATA_DESTROY), 0n, 0n)[0], 0xffff_ffff_ffff_ffffn);
  });
});

describe('RMI_DATA_DESTROY', () => {
  it('unmaps a page: X1 the DATA PA, X2 the next live IPA, RAM becomes DESTROYED, the granule is DELEGATED and wiped', () => {
    const { fx, realm } = setup();
    const l3 = realm.read(0n, 2).desc;
    const data = realm.data(3n * L3, 0x5a);
    realm.data(9n * L3);
    const r = fx.call('RMI_DATA_DESTROY', realm.rd, 3n * L3);
    assert.deepEqual([r.status, r.x[1], r.x[2]], [0, data, 9n * L3]);
    assert.deepEqual(realm.read(3n * L3), { level: 3, state: RMI_UNASSIGNED, desc: 0n, ripas: DESTROYED });
    assert.equal(fx.rmm.granule(data).state, 'DELEGATED');
    assert.deepEqual(fx.rmm.memory.read(data, 16), new Uint8Array(16));
    assert.equal(realm.refcount(l3), 1);
    // DELEGATED, not UNDELEGATED: the host must undelegate X1 itself (section 8, item 7).
    assert.equal(fx.call('RMI_GRANULE_UNDELEGATE', data).status, 0);
    assert.equal(fx.rmm.granule(data).state, 'UNDELEGATED');
  });

  it('keeps RIPAS EMPTY for a page mapped with unknown contents', () => {
    const { fx, realm } = setup();
    assert.equal(fx.call('RMI_DATA_CREATE_UNKNOWN', realm.rd, fx.delegated(), 0n).status, 0);
    assert.equal(fx.call('RMI_DATA_DESTROY', realm.rd, 0n).status, 0);
    assert.equal(realm.read(0n).ripas, EMPTY);
  });

  it('reports the outcome table: not mapped (top > ipa), RTT missing (top > ipa)', () => {
    const { fx, realm } = setup();
    realm.data(100n * L3);
    let r = fx.call('RMI_DATA_DESTROY', realm.rd, 7n * L3);
    assert.deepEqual([r.status, r.index, r.check, r.x[2]], [RTT, 3, 'rtte_state', 100n * L3]);
    r = fx.call('RMI_DATA_DESTROY', realm.rd, 101n * L3);
    assert.deepEqual([r.status, r.index, r.x[2]], [RTT, 3, L2]);
    // No level-3 RTT at 5 * L2 + 4 KB: the walk stops at level 2 and top skips the empty blocks up
    // to the next live entry, or to the end of the level-2 RTT.
    realm.tables(8n * L2, 3);
    r = fx.call('RMI_DATA_DESTROY', realm.rd, 5n * L2 + L3);
    assert.deepEqual([r.status, r.index, r.check, r.x[2]], [RTT, 2, 'rtt_walk', 8n * L2]);
    r = fx.call('RMI_DATA_DESTROY', realm.rd, 9n * L2);
    assert.deepEqual([r.status, r.index, r.x[2]], [RTT, 2, L1]);
  });

  it('leaves RIPAS DESTROYED behind; DATA_CREATE_UNKNOWN keeps it (section 8, item 22)', () => {
    const { fx, realm } = setup();
    realm.data(0n);
    assert.equal(fx.call('RMI_DATA_DESTROY', realm.rd, 0n).status, 0);
    const again = fx.delegated();
    assert.equal(fx.call('RMI_DATA_CREATE_UNKNOWN', realm.rd, again, 0n).status, 0);
    assert.deepEqual(realm.read(0n), { level: 3, state: RMI_ASSIGNED, desc: again, ripas: DESTROYED });
  });

  const cases: [name: string, args: (c: ReturnType<typeof setup>) => bigint[]][] = [
    ['rd_align', ({ realm }) => [realm.rd + 8n, 0n]],
    ['rd_bound', () => [0x1000n, 0n]],
    ['rd_state', ({ fx }) => [fx.delegated(), 0n]],
    ['ipa_align', ({ realm }) => [realm.rd, 0x10n]],
    ['ipa_bound', ({ realm }) => [realm.rd, 1n << 38n]],
  ];
  for (const [name, args] of cases) {
    it(`fails ${name} alone with RMI_ERROR_INPUT, X2 = 0, nothing changed`, () => {
      const env = setup();
      const data = env.realm.data(0n);
      const r = env.fx.call('RMI_DATA_DESTROY', ...args(env));
      assert.deepEqual([r.status, r.index, r.check, r.x[2]], [INPUT, 0, name, 0n]);
      assert.equal(env.fx.rmm.granule(data).state, 'DATA');
    });
  }
});
