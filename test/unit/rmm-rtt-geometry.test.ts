// RTT walks beyond the common 39-bit case (reference 4.5): a 52-bit LPA2 realm starting at level
// -1, and concatenated starting-level tables at levels 1 and 2.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from '../../src/rmm';
import { Fixture, L1, L2, L3, RMI_ASSIGNED, RMI_TABLE, RMI_UNASSIGNED } from './helpers/realm-fixture';

const L0 = 1n << 39n;
const LM1 = 1n << 48n;
const RAM = 1;

describe('a 52-bit LPA2 realm (starting level -1)', () => {
  function setup() {
    const fx = new Fixture('1.0', { lpa2: true, maxIpaWidth: 52 });
    const realm = fx.realm({ s2sz: 52, levelStart: -1, numStart: 1, lpa2: true });
    return { fx, realm };
  }

  it('walks five levels to map a page high in the protected half', () => {
    const { fx, realm } = setup();
    const ipa = 7n * LM1 + 3n * L0 + 5n * L1 + 9n * L2 + 4n * L3;
    assert.deepEqual(realm.entry(ipa, -1), { level: -1, state: RMI_UNASSIGNED, desc: 0n, ripas: 0 });
    const [l0, l1, l2, l3] = realm.tables(ipa, 3);
    const data = realm.data(ipa);
    assert.deepEqual(realm.entry(ipa, -1), { level: -1, state: RMI_TABLE, desc: l0, ripas: 0 });
    assert.equal(realm.entry(ipa, 0).desc, l1);
    assert.equal(realm.entry(ipa, 1).desc, l2);
    assert.equal(realm.entry(ipa, 2).desc, l3);
    assert.deepEqual(realm.entry(ipa, 3), { level: 3, state: RMI_ASSIGNED, desc: data, ripas: RAM });
    assert.equal(realm.refcount(realm.rtts[0]), 1);
    // The level -1 table has 16 entries; the last protected one is entry 7.
    assert.equal(fx.call('RMI_RTT_DESTROY', realm.rd, 7n * LM1, 0n).check, 'rtt_live');
  });

  it('reports walks stopping at level -1 as index 0xFF (the signed level in the 8-bit field)', () => {
    const { fx, realm } = setup();
    const r = fx.call('RMI_RTT_CREATE', realm.rd, fx.delegated(), 0n, 2n);
    assert.deepEqual([r.status, r.index, r.check], [Status.RMI_ERROR_RTT, 0xff, 'rtt_walk']);
    assert.equal(fx.last?.index, -1);
    // RTT_READ_ENTRY returns the walk level as UInt64.
    assert.equal(fx.call('RMI_RTT_READ_ENTRY', realm.rd, 0n, 3n).x[1], 0xffff_ffff_ffff_ffffn);
  });

  it('maps unprotected memory above 2^51 and rejects level -1 and 0 for mappings', () => {
    const { fx, realm } = setup();
    const ns = (1n << 51n) + 2n * L0;
    realm.tables(ns, 3);
    const page = fx.page();
    assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, ns, 3n, page | (0b11n << 6n)).status, 0);
    assert.deepEqual(realm.read(ns), { level: 3, state: RMI_ASSIGNED, desc: page | (0b11n << 6n), ripas: 0 });
    for (const level of [0n, BigInt.asUintN(64, -1n)]) {
      assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, 1n << 51n, level, 0n).check, 'level_bound');
    }
    // A 52-bit descriptor address (OA[51:50] in bits 9:8) is accepted with LPA2.
    assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, ns + L3, 3n, (1n << 8n) | (0b11n << 6n)).status, 0);
    assert.equal(realm.read(ns + L3).desc, (1n << 8n) | (0b11n << 6n));
  });

  it('rejects level -1 for RTT_CREATE (starting level) but reads it', () => {
    const { fx, realm } = setup();
    assert.equal(fx.call('RMI_RTT_CREATE', realm.rd, fx.delegated(), 0n, BigInt.asUintN(64, -1n)).check, 'level_bound');
    assert.equal(fx.call('RMI_RTT_CREATE', realm.rd, fx.delegated(), 0n, 0n).status, 0);
    assert.equal(realm.read(0n, -1).state, RMI_TABLE);
  });
});

describe('concatenated starting-level RTTs', () => {
  it('s2sz 41 at level 1 uses four root RTTs; IPAs in the second one walk through it', () => {
    const fx = new Fixture('1.0');
    const realm = fx.realm({ s2sz: 41, levelStart: 1, numStart: 4 });
    const ipa = (1n << 39n) + 3n * L1 + 2n * L2 + 8n * L3; // root RTT 1, entry 3
    const [l2, l3] = realm.tables(ipa, 3);
    const data = realm.data(ipa);
    assert.deepEqual(realm.entry(ipa, 1), { level: 1, state: RMI_TABLE, desc: l2, ripas: 0 });
    assert.equal(realm.entry(ipa, 2).desc, l3);
    assert.equal(realm.read(ipa).desc, data);
    assert.deepEqual(realm.rtts.map((pa) => realm.refcount(pa)), [0, 1, 0, 0]);
    // The same entry index in root RTT 0 is untouched.
    assert.equal(realm.entry(ipa - (1n << 39n), 1).state, RMI_UNASSIGNED);
    // RTT_DESTROY's top stops at the end of the root RTT the walk reached.
    const r = fx.call('RMI_RTT_DESTROY', realm.rd, (1n << 39n) + 10n * L1, 2n);
    assert.deepEqual([r.status, r.index, r.x[2]], [Status.RMI_ERROR_RTT, 1, 2n << 39n]);
  });

  it('s2sz 34 at level 2 uses sixteen root RTTs of 1 GB each', () => {
    const fx = new Fixture('1.0');
    const realm = fx.realm({ s2sz: 34, levelStart: 2, numStart: 16 });
    const ipa = 5n * L1 + 7n * L2 + 3n * L3;
    const [l3] = realm.tables(ipa, 3);
    realm.data(ipa);
    assert.equal(realm.entry(ipa, 2).desc, l3);
    assert.equal(realm.refcount(realm.rtts[5]), 1);
    assert.equal(fx.call('RMI_RTT_CREATE', realm.rd, fx.delegated(), 0n, 2n).check, 'level_bound');
    // The unprotected half starts at 8 GB: root RTT 8.
    assert.equal(fx.call('RMI_DATA_CREATE', realm.rd, fx.delegated(), 8n * L1, fx.page(), 0n).check, 'ipa_bound');
    assert.equal(fx.call('RMI_RTT_MAP_UNPROTECTED', realm.rd, 8n * L1, 2n, 0x8000_0000n | (0b11n << 6n)).status, 0);
    assert.equal(realm.read(8n * L1, 2).state, RMI_ASSIGNED);
  });
});
