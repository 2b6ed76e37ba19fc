// RMI_RTT_SET_RIPAS (reference 5.19): carrying out a REC's pending RIPAS change, the DESTROYED
// rule, blocks that already hold the requested RIPAS, and every failure condition alone.
// The REC is made directly in the emulator's state (realm-fixture.ts explains why).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from '../../src/rmm';
import { Fixture, L1, L2, L3, RMI_ASSIGNED, RMI_UNASSIGNED } from './helpers/realm-fixture';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_RTT: RTT, RMI_ERROR_REC: REC } = Status;
const EMPTY = 0;
const RAM = 1;
const DESTROYED = 2;

function setup(profile: '1.0' | '2.0' = '1.0') {
  const fx = new Fixture(profile);
  const realm = fx.realm();
  realm.tables(0n, 3);
  return { fx, realm };
}

const recOf = (fx: Fixture, pa: bigint) => fx.rmm.st.recs.get(fx.rmm.st.granules.index(Number(pa)))!;

describe('RMI_RTT_SET_RIPAS', () => {
  for (const profile of ['1.0', '2.0'] as const) {
    it(`${profile}: changes RIPAS over [base, top), advances rec.ripas_addr, leaves HIPAS alone`, () => {
      const { fx, realm } = setup(profile);
      const data = realm.data(2n * L3);
      const rec = realm.rec({ addr: L3, top: 8n * L3, value: EMPTY });
      const rim = realm.rim();
      const r = fx.call('RMI_RTT_SET_RIPAS', realm.rd, rec, L3, 4n * L3);
      assert.deepEqual([r.status, r.x[1]], [0, 4n * L3]);
      assert.equal(recOf(fx, rec).ripasAddr, 4 * 4096);
      assert.deepEqual(realm.read(2n * L3), { level: 3, state: RMI_ASSIGNED, desc: data, ripas: EMPTY });
      assert.deepEqual(realm.rim(), rim, 'not measured');
      // The next chunk must start where the last one ended.
      assert.equal(fx.call('RMI_RTT_SET_RIPAS', realm.rd, rec, L3, 8n * L3).check, 'base_bound');
      assert.equal(fx.call('RMI_RTT_SET_RIPAS', realm.rd, rec, 4n * L3, 8n * L3).x[1], 8n * L3);
    });
  }

  it('stops at RIPAS DESTROYED unless the realm allowed changing it', () => {
    const { fx, realm } = setup();
    realm.data(3n * L3);
    assert.equal(fx.call('RMI_DATA_DESTROY', realm.rd, 3n * L3).status, 0);
    const keep = realm.rec({ addr: 0n, top: 8n * L3, value: RAM });
    assert.equal(fx.call('RMI_RTT_SET_RIPAS', realm.rd, keep, 0n, 8n * L3).x[1], 3n * L3);
    const r = fx.call('RMI_RTT_SET_RIPAS', realm.rd, keep, 3n * L3, 8n * L3);
    assert.deepEqual([r.status, r.index, r.check], [RTT, 3, 'no_progress']);
    assert.equal(realm.read(3n * L3).ripas, DESTROYED);
    const change = realm.rec({ addr: 3n * L3, top: 8n * L3, value: RAM, changeDestroyed: true });
    assert.equal(fx.call('RMI_RTT_SET_RIPAS', realm.rd, change, 3n * L3, 8n * L3).x[1], 8n * L3);
    assert.equal(realm.read(3n * L3).ripas, RAM);
  });

  it('changes whole blocks, and does not ask to split a block that already holds the requested RIPAS', () => {
    const { fx, realm } = setup();
    // L2 .. 3*L2: two level-2 entries without level-3 RTTs.
    const rec = realm.rec({ addr: L2, top: 3n * L2, value: RAM });
    assert.equal(fx.call('RMI_RTT_SET_RIPAS', realm.rd, rec, L2, 3n * L2).x[1], 3n * L2);
    assert.deepEqual(realm.read(L2 + L3), { level: 2, state: RMI_UNASSIGNED, desc: 0n, ripas: RAM });
    // Asking for EMPTY inside a block that is EMPTY already: done without an RTT_CREATE.
    const inside = realm.rec({ addr: 4n * L2 + L3, top: 4n * L2 + 3n * L3, value: EMPTY });
    const r = fx.call('RMI_RTT_SET_RIPAS', realm.rd, inside, 4n * L2 + L3, 4n * L2 + 3n * L3);
    assert.deepEqual([r.status, r.x[1]], [0, 4n * L2 + 3n * L3]);
    assert.equal(realm.read(4n * L2, 3).level, 2);
  });

  const cases: { name: string; status: number; index?: number; args: (c: ReturnType<typeof setup>) => bigint[] }[] = [
    { name: 'rd_align', status: INPUT, args: ({ realm }) => [realm.rd + 8n, realm.rec({ addr: 0n, top: L3, value: RAM }), 0n, L3] },
    { name: 'rd_bound', status: INPUT, args: ({ realm }) => [0x1000n, realm.rec({ addr: 0n, top: L3, value: RAM }), 0n, L3] },
    { name: 'rd_state', status: INPUT, args: ({ fx, realm }) => [fx.delegated(), realm.rec({ addr: 0n, top: L3, value: RAM }), 0n, L3] },
    { name: 'rec_align', status: INPUT, args: ({ realm }) => [realm.rd, realm.rec({ addr: 0n, top: L3, value: RAM }) + 8n, 0n, L3] },
    { name: 'rec_bound', status: INPUT, args: ({ realm }) => [realm.rd, 0x2000n, 0n, L3] },
    { name: 'rec_gran_state', status: INPUT, args: ({ fx, realm }) => [realm.rd, fx.delegated(), 0n, L3] },
    { name: 'rec_state', status: REC, args: ({ realm }) => [realm.rd, realm.rec({ addr: 0n, top: L3, value: RAM }, true), 0n, L3] },
    {
      name: 'rec_owner', status: REC, args: ({ fx, realm }) => {
        const other = fx.realm({ vmid: 2 });
        return [realm.rd, other.rec({ addr: 0n, top: L3, value: RAM }), 0n, L3];
      },
    },
    { name: 'size_valid', status: INPUT, args: ({ realm }) => [realm.rd, realm.rec({ addr: L3, top: 2n * L3, value: RAM }), L3, L3] },
    { name: 'base_bound', status: INPUT, args: ({ realm }) => [realm.rd, realm.rec({ addr: 0n, top: 2n * L3, value: RAM }), L3, 2n * L3] },
    { name: 'top_bound', status: INPUT, args: ({ realm }) => [realm.rd, realm.rec({ addr: 0n, top: L3, value: RAM }), 0n, 2n * L3] },
    {
      name: 'base_align', status: RTT, index: 2,
      args: ({ realm }) => [realm.rd, realm.rec({ addr: L2 + L3, top: L2 + 2n * L3, value: RAM }), L2 + L3, L2 + 2n * L3],
    },
    { name: 'top_gran_align', status: INPUT, args: ({ realm }) => [realm.rd, realm.rec({ addr: 0n, top: 2n * L3, value: RAM }), 0n, L3 + 1n] },
    {
      name: 'no_progress', status: RTT, index: 2,
      args: ({ realm }) => [realm.rd, realm.rec({ addr: L2, top: L2 + L3, value: RAM }), L2, L2 + L3],
    },
  ];
  for (const c of cases) {
    it(`fails ${c.name} alone and changes nothing`, () => {
      const env = setup();
      const args = c.args(env);
      const rec = env.fx.rmm.st.recs.get(env.fx.rmm.st.granules.index(Number(args[1])));
      const addr = rec?.ripasAddr;
      const r = env.fx.call('RMI_RTT_SET_RIPAS', ...args);
      assert.deepEqual([r.status, r.index, r.check], [c.status, c.index ?? 0, c.name]);
      if (rec) assert.equal(rec.ripasAddr, addr);
      for (const ipa of [0n, L2, L2 + L3, L1]) assert.equal(env.realm.read(ipa).ripas, EMPTY);
    });
  }

  it('rejects an empty range with size_valid (section 8, item 21)', () => {
    const { fx, realm } = setup();
    const rec = realm.rec({ addr: 0n, top: L3, value: RAM });
    assert.deepEqual([fx.call('RMI_RTT_SET_RIPAS', realm.rd, rec, 0n, 0n).status, fx.last?.failedCheck], [INPUT, 'size_valid']);
  });
});
