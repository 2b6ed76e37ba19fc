// RMI_RTT_MAP_UNPROTECTED and RMI_RTT_UNMAP_UNPROTECTED (1.0, reference 5.24, 5.25), and the
// unprotected half under RTT_CREATE / RTT_DESTROY / RTT_FOLD / RTT_READ_ENTRY.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from '../../src/rmm';
import { Fixture, L1, L2, L3, PAGE, RMI_ASSIGNED, RMI_UNASSIGNED } from './helpers/realm-fixture';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_RTT: RTT } = Status;
/** First Unprotected IPA of a 39-bit realm. */
const NS = 1n << 38n;
const MEMATTR_WB = 0b110n << 2n;
const S2AP_RW = 0b11n << 6n;
const ATTRS = MEMATTR_WB | S2AP_RW;
const EMPTY = 0;

function setup() {
  const fx = new Fixture('1.0');
  const realm = fx.realm();
  realm.tables(NS, 3);
  return { fx, realm };
}

describe('RMI_RTT_MAP_UNPROTECTED', () => {
  it('maps NS memory as a page: READ_ENTRY returns ASSIGNED, the descriptor and RIPAS EMPTY; no refcount', () => {
    const { fx, realm } = setup();
    const ns = fx.page();
    const l3 = realm.read(NS, 2).desc;
    const r = fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, NS + 3n * L3, 3n, ns | ATTRS);
    assert.equal(r.status, 0);
    assert.deepEqual(realm.read(NS + 3n * L3), { level: 3, state: RMI_ASSIGNED, desc: ns | ATTRS, ripas: EMPTY });
    assert.equal(realm.refcount(l3), 0, 'ASSIGNED_NS does not make an RTT live');
    assert.equal(fx.rmm.granule(ns).state, 'UNDELEGATED');
  });

  it('maps a 2 MB block at level 2', () => {
    const { fx, realm } = setup();
    const r = fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, NS + 4n * L2, 2n, 0x8040_0000n | S2AP_RW);
    assert.equal(r.status, 0);
    assert.deepEqual(realm.read(NS + 4n * L2 + 5n * L3), { level: 2, state: RMI_ASSIGNED, desc: 0x8040_0000n | S2AP_RW, ripas: EMPTY });
  });

  const ok = (fx: Fixture) => fx.page() | ATTRS;
  const cases: { name: string; status: number; index?: number; args: (c: ReturnType<typeof setup>) => bigint[] }[] = [
    { name: 'attr_valid', status: INPUT, args: ({ fx, realm }) => [realm.rd, NS, 3n, ok(fx) | 1n] },
    { name: 'rd_align', status: INPUT, args: ({ fx, realm }) => [realm.rd + 8n, NS, 3n, ok(fx)] },
    { name: 'rd_bound', status: INPUT, args: ({ fx }) => [0x1000n, NS, 3n, ok(fx)] },
    { name: 'rd_state', status: INPUT, args: ({ fx }) => [fx.delegated(), NS, 3n, ok(fx)] },
    { name: 'level_bound', status: INPUT, args: ({ fx, realm }) => [realm.rd, NS, 4n, ok(fx)] },
    { name: 'addr_align', status: INPUT, args: ({ fx, realm }) => [realm.rd, NS + 2n * L2, 2n, ok(fx) + PAGE] },
    { name: 'addr_bound', status: INPUT, args: ({ realm }) => [realm.rd, NS, 3n, (1n << 48n) | ATTRS] },
    { name: 'ipa_align', status: INPUT, args: ({ fx, realm }) => [realm.rd, NS + L3, 2n, ok(fx) & ~0x1f_f000n] },
    { name: 'ipa_bound', status: INPUT, args: ({ fx, realm }) => [realm.rd, L3, 3n, ok(fx)] },
    { name: 'rtt_walk', status: RTT, index: 1, args: ({ fx, realm }) => [realm.rd, NS + L1, 3n, ok(fx)] },
    {
      name: 'rtte_state', status: RTT, index: 3, args: ({ fx, realm }) => {
        assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, NS, 3n, ok(fx)).status, 0);
        return [realm.rd, NS, 3n, ok(fx)];
      },
    },
  ];
  for (const c of cases) {
    it(`fails ${c.name} alone and changes nothing`, () => {
      const env = setup();
      const args = c.args(env);
      const before = env.realm.read(NS);
      const r = env.fx.call('RMI_RTT_MAP_UNPROTECTED', ...args);
      assert.deepEqual([r.status, r.index, r.check], [c.status, c.index ?? 0, c.name]);
      assert.deepEqual(env.realm.read(NS), before);
    });
  }

  it('rejects the reserved MemAttr 0b100 and bits outside the host-controlled fields as attr_valid', () => {
    const { fx, realm } = setup();
    for (const bad of [(0b100n << 2n), 1n << 10n, 1n << 54n, 1n << 5n]) {
      assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, NS, 3n, fx.page() | bad).check, 'attr_valid');
    }
  });
});

describe('RMI_RTT_UNMAP_UNPROTECTED', () => {
  it('unmaps: X1 = top, the next live entry of the RTT', () => {
    const { fx, realm } = setup();
    assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, NS + 2n * L3, 3n, fx.page() | ATTRS).status, 0);
    assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, NS + 6n * L3, 3n, fx.page() | ATTRS).status, 0);
    const r = fx.call('RMI_RTT_UNMAP_UNPROTECTED', realm.rd, NS + 2n * L3, 3n);
    assert.deepEqual([r.status, r.x[1]], [0, NS + 6n * L3]);
    assert.deepEqual(realm.read(NS + 2n * L3), { level: 3, state: RMI_UNASSIGNED, desc: 0n, ripas: EMPTY });
  });

  it('reports the outcome table: not mapped (top > ipa), mapped by a bigger block (top == ipa)', () => {
    const { fx, realm } = setup();
    let r = fx.call('RMI_RTT_UNMAP_UNPROTECTED', realm.rd, NS + 5n * L3, 3n);
    assert.deepEqual([r.status, r.index, r.check, r.x[1]], [RTT, 3, 'rtte_state', NS + L2]);
    assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, NS + 3n * L2, 2n, 0x8060_0000n | ATTRS).status, 0);
    r = fx.call('RMI_RTT_UNMAP_UNPROTECTED', realm.rd, NS + 3n * L2 + 7n * L3, 3n);
    assert.deepEqual([r.status, r.index, r.check, r.x[1]], [RTT, 2, 'rtt_walk', NS + 3n * L2 + 7n * L3]);
    // The missing-RTT case skips to the mapped block.
    r = fx.call('RMI_RTT_UNMAP_UNPROTECTED', realm.rd, NS + L2, 3n);
    assert.deepEqual([r.status, r.index, r.x[1]], [RTT, 2, NS + 3n * L2]);
    r = fx.call('RMI_RTT_UNMAP_UNPROTECTED', realm.rd, NS + 3n * L2, 2n);
    assert.deepEqual([r.status, r.x[1]], [0, NS + L1]);
  });

  const cases: [name: string, args: (c: ReturnType<typeof setup>) => bigint[]][] = [
    ['rd_align', ({ realm }) => [realm.rd + 8n, NS, 3n]],
    ['rd_bound', () => [0x1000n, NS, 3n]],
    ['rd_state', ({ fx }) => [fx.delegated(), NS, 3n]],
    ['level_bound', ({ realm }) => [realm.rd, NS, 0n]],
    ['ipa_align', ({ realm }) => [realm.rd, NS + L3, 2n]],
    ['ipa_bound', ({ realm }) => [realm.rd, 1n << 39n, 3n]],
  ];
  for (const [name, args] of cases) {
    it(`fails ${name} alone with RMI_ERROR_INPUT and leaves the mapping`, () => {
      const env = setup();
      assert.equal(env.fx.call('RMI_RTT_MAP_UNPROTECTED', env.realm.rd, NS, 3n, env.fx.page() | ATTRS).status, 0);
      const r = env.fx.call('RMI_RTT_UNMAP_UNPROTECTED', ...args(env));
      assert.deepEqual([r.status, r.index, r.check, r.x[1]], [INPUT, 0, name, 0n]);
      assert.equal(env.realm.read(NS).state, RMI_ASSIGNED);
    });
  }
});

describe('the unprotected half under the RTT structure commands', () => {
  it('folds 512 contiguous NS pages with identical attributes into a block and unfolds it back', () => {
    const { fx, realm } = setup();
    const base = 0x8080_0000n;
    for (let i = 0n; i < 512n; i++) {
      assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, NS + i * L3, 3n, (base + i * PAGE) | ATTRS).status, 0);
    }
    const l2 = realm.read(NS, 1).desc;
    assert.equal(realm.refcount(l2), 1);
    assert.equal(fx.call('RMI_RTT_FOLD', realm.rd, NS, 3n).status, 0);
    assert.deepEqual(realm.read(NS + 9n * L3), { level: 2, state: RMI_ASSIGNED, desc: base | ATTRS, ripas: EMPTY });
    assert.equal(realm.refcount(l2), 0, 'ASSIGNED_NS does not count');
    assert.equal(fx.call('RMI_RTT_CREATE', realm.rd, fx.delegated(), NS, 3n).status, 0);
    assert.deepEqual(realm.read(NS + 9n * L3), { level: 3, state: RMI_ASSIGNED, desc: (base + 9n * PAGE) | ATTRS, ripas: EMPTY });
    assert.equal(realm.refcount(l2), 1);
  });

  it('does not fold NS pages whose attributes differ', () => {
    const { fx, realm } = setup();
    for (let i = 0n; i < 512n; i++) {
      const attrs = i === 100n ? MEMATTR_WB : ATTRS;
      assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, NS + i * L3, 3n, (0x8080_0000n + i * PAGE) | attrs).status, 0);
    }
    const r = fx.call('RMI_RTT_FOLD', realm.rd, NS, 3n);
    assert.deepEqual([r.status, r.index, r.check], [RTT, 3, 'rtt_homo']);
  });

  it('destroys an RTT holding only NS mappings (not live); the parent becomes UNASSIGNED_NS', () => {
    const { fx, realm } = setup();
    const l3 = realm.read(NS, 2).desc;
    assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, NS, 3n, fx.page() | ATTRS).status, 0);
    const r = fx.call('RMI_RTT_DESTROY', realm.rd, NS, 3n);
    assert.deepEqual([r.status, r.x[1], r.x[2]], [0, l3, NS + L1]);
    assert.deepEqual(realm.read(NS, 3), { level: 2, state: RMI_UNASSIGNED, desc: 0n, ripas: EMPTY });
    // UNASSIGNED_NS, not UNASSIGNED: the IPA can be mapped unprotected again.
    assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, NS, 2n, 0x8020_0000n | ATTRS).status, 0);
  });

  it('skips live ASSIGNED_NS entries in RTT_DESTROY top (they are live RTTEs)', () => {
    const { fx, realm } = setup();
    assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, NS + 6n * L2, 2n, 0x80c0_0000n | ATTRS).status, 0);
    const r = fx.call('RMI_RTT_DESTROY', realm.rd, NS + 2n * L2, 3n);
    assert.deepEqual([r.status, r.index, r.x[2]], [RTT, 2, NS + 6n * L2]);
  });
});
