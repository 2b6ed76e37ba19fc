// RMI_RTT_UNPROT_MAP and RMI_RTT_UNPROT_UNMAP (2.0; reference 5.24, 5.25, 6.6): NS memory at
// Unprotected IPAs, attributes in RmiRttUnprotMapFlags (MemAttr [18:16], S2AP [22:19]).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from '../../src/rmm';
import { GRANULE, L2_BLOCK, V2Machine, decodeDesc, desc, expectFailure, type Result } from './helpers/v2-boot';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_REALM: REALM, RMI_ERROR_RTT: RTT } = Status;
const KB4 = GRANULE;
const SINGLE = 1n;
const U = 1n << 38n; // the first Unprotected IPA of a 39-bit realm
const S2AP_W = 1n;
const S2AP_R = 2n;
const flags = (memattr: bigint, s2ap: bigint, type = SINGLE) => type | (memattr << 16n) | (s2ap << 19n);

function setup() {
  const m = new V2Machine();
  const { rd } = m.createRealm();
  const l2 = m.delegate(m.alloc());
  m.ok('RMI_RTT_CREATE', rd, l2, U, 2n);
  const l3 = m.delegate(m.alloc());
  m.ok('RMI_RTT_CREATE', rd, l3, U, 3n);
  // NS pages the host shares with the realm: plain UNDELEGATED memory.
  const ns = m.alloc(4);
  return { m, rd, l2, l3, ns };
}

function read(m: V2Machine, rd: bigint, ipa: bigint, level = 3) {
  const r = m.ok('RMI_RTT_READ_ENTRY', rd, ipa, BigInt(level));
  return { state: Number(r.x[2]), desc: r.x[3] };
}

describe('RMI_RTT_UNPROT_MAP', () => {
  it('maps NS pages with MemAttr and S2AP; the NS memory is not tracked', () => {
    const { m, rd, l3, ns } = setup();
    const r = m.ok('RMI_RTT_UNPROT_MAP', rd, U, U + 2n * KB4, flags(5n, S2AP_R | S2AP_W), desc(ns, 2));
    assert.equal(r.x[1], U + 2n * KB4);
    // RTT_READ_ENTRY shows a stage-2 descriptor: MemAttr at [4:2], S2AP read at bit 6, write at bit 7.
    assert.deepEqual(read(m, rd, U), { state: 1, desc: ns | (5n << 2n) | 0x40n | 0x80n });
    assert.deepEqual(read(m, rd, U + KB4), { state: 1, desc: ns + KB4 | (5n << 2n) | 0x40n | 0x80n });
    assert.deepEqual(r.event.changes, []);
    assert.equal(m.rmm.st.granules.refcount[m.gi(l3)], 0, 'ASSIGNED_NS does not make the RTT live');
  });

  it('maps read-only, and ignores the state field of the descriptor', () => {
    const { m, rd, ns } = setup();
    m.ok('RMI_RTT_UNPROT_MAP', rd, U, U + KB4, flags(0n, S2AP_R), desc(ns, 1, 3, true));
    assert.equal(read(m, rd, U).desc, ns | 0x40n);
  });

  it('maps a 2 MB block at level 2', () => {
    const { m, rd } = setup();
    const nsBlock = m.alloc(512, 512);
    m.ok('RMI_RTT_UNPROT_MAP', rd, U + L2_BLOCK, U + 2n * L2_BLOCK, flags(0n, S2AP_R), desc(nsBlock, 1, 2));
    assert.deepEqual(read(m, rd, U + L2_BLOCK, 2), { state: 1, desc: nsBlock | 0x40n });
  });

  it('the same mapping again is no error; other attributes over it are (RTT, 3)', () => {
    const { m, rd, ns } = setup();
    m.ok('RMI_RTT_UNPROT_MAP', rd, U, U + KB4, flags(0n, S2AP_R), desc(ns));
    m.ok('RMI_RTT_UNPROT_MAP', rd, U, U + KB4, flags(0n, S2AP_R), desc(ns));
    const before = m.fingerprint();
    expectFailure(m.call('RMI_RTT_UNPROT_MAP', rd, U, U + KB4, flags(0n, S2AP_R | S2AP_W), desc(ns)), RTT, 'rtte_state', 3);
    assert.equal(m.fingerprint(), before);
  });

  const bad: { check: string; status: number; index?: number; args: (s: ReturnType<typeof setup>) => bigint[] }[] = [
    { check: 'ipa_bound', status: INPUT, args: ({ rd, ns }) => [rd, 0n, KB4, flags(0n, S2AP_R), desc(ns)] },
    { check: 'ipa_bound', status: INPUT, args: ({ rd, ns }) => [rd, U - KB4, U + KB4, flags(0n, S2AP_R), desc(ns)] },
    { check: 'ipa_bound', status: INPUT, args: ({ rd, ns }) => [rd, 1n << 39n, (1n << 39n) + KB4, flags(0n, S2AP_R), desc(ns)] },
    { check: 'attr_valid', status: INPUT, args: ({ rd, ns }) => [rd, U, U + KB4, flags(4n, S2AP_R), desc(ns)] },
    { check: 'attr_valid', status: INPUT, args: ({ rd, ns }) => [rd, U, U + KB4, flags(0n, 4n), desc(ns)] },
    { check: 'block_size', status: RTT, index: 2, args: ({ rd, ns }) => [rd, U, U + KB4, flags(0n, S2AP_R), desc(ns, 1, 2)] },
    { check: 'rtt_walk', status: RTT, index: 1, args: ({ rd, ns }) => [rd, U + (1n << 30n), U + (1n << 30n) + KB4, flags(0n, S2AP_R), desc(ns)] },
    { check: 'oaddr_type', status: INPUT, args: ({ rd, ns }) => [rd, U, U + KB4, flags(0n, S2AP_R, 0n), desc(ns)] },
  ];
  for (const b of bad) {
    it(`fails ${b.check} and changes nothing`, () => {
      const s = setup();
      const before = s.m.fingerprint();
      expectFailure(s.m.call('RMI_RTT_UNPROT_MAP', ...b.args(s)), b.status, b.check, b.index ?? 0);
      assert.equal(s.m.fingerprint(), before);
    });
  }

  it('needs a NEW or ACTIVE realm', () => {
    const { m, rd, ns } = setup();
    m.ok('RMI_REALM_TERMINATE', rd);
    expectFailure(m.call('RMI_RTT_UNPROT_MAP', rd, U, U + KB4, flags(0n, S2AP_R), desc(ns)), REALM, 'realm_state');
  });
});

describe('RMI_RTT_UNPROT_UNMAP', () => {
  function mapped() {
    const s = setup();
    s.m.ok('RMI_RTT_UNPROT_MAP', s.rd, U, U + 4n * KB4, flags(0n, S2AP_R), desc(s.ns, 4));
    return s;
  }

  it('unmaps and reports the NS range with state UNDELEGATED (SINGLE)', () => {
    const { m, rd, ns } = mapped();
    const r: Result = m.ok('RMI_RTT_UNPROT_UNMAP', rd, U, U + 4n * KB4, SINGLE, 0n);
    assert.equal(r.x[1], U + 4n * KB4);
    assert.deepEqual(decodeDesc(r.x[2]), { addr: ns, count: 4, level: 3, undelegated: true });
    assert.equal(read(m, rd, U).state, 0);
    assert.deepEqual(r.event.changes, []);
  });

  it('writes LIST entries and returns their number in X3', () => {
    const { m, rd, ns } = mapped();
    const out = m.alloc();
    const r = m.ok('RMI_RTT_UNPROT_UNMAP', rd, U, U + 2n * KB4, 2n | (4n << 2n), out);
    assert.deepEqual([r.x[1], r.x[2], r.x[3]], [U + 2n * KB4, 0n, 1n]);
    assert.deepEqual(m.readList(out, 1), [desc(ns, 2, 3, true)]);
  });

  it('refuses the Protected half (ipa_bound) and changes nothing', () => {
    const { m, rd } = mapped();
    const before = m.fingerprint();
    expectFailure(m.call('RMI_RTT_UNPROT_UNMAP', rd, 0n, KB4, 0n, 0n), INPUT, 'ipa_bound');
    assert.equal(m.fingerprint(), before);
  });

  it('where nothing is mapped at a bigger level, reports (RTT, level) with X1 beyond base', () => {
    const { m, rd } = mapped();
    const r = m.call('RMI_RTT_UNPROT_UNMAP', rd, U + L2_BLOCK, U + L2_BLOCK + KB4, 0n, 0n);
    expectFailure(r, RTT, 'block_top', 2);
    assert.ok(r.x[1] > U + L2_BLOCK);
  });
});
