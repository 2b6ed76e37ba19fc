// RMI_RTT_DATA_MAP and RMI_RTT_DATA_UNMAP (2.0; reference 5.21, 5.22, 6.6): range mapping of
// DELEGATED memory at Protected IPAs with SINGLE / LIST address descriptors, progress per leaf RTT.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ripas, RealmState, Status } from '../../src/rmm';
import { GRANULE, L2_BLOCK, OUTSIDE, V2Machine, decodeDesc, desc, expectFailure, type Result } from './helpers/v2-boot';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_REALM: REALM, RMI_ERROR_RTT: RTT } = Status;
const SINGLE = 1n;
const LIST = 2n;
const list = (n: number) => LIST | (BigInt(n) << 2n);
const KB4 = GRANULE;

interface Setup {
  m: V2Machine;
  rd: bigint;
  /** Level-2 RTT covering [0, 1 GB), level-3 RTT covering [0, 2 MB). */
  l2: bigint;
  l3: bigint;
}

function setup(): Setup {
  const m = new V2Machine();
  const { rd } = m.createRealm();
  const l2 = m.delegate(m.alloc());
  m.ok('RMI_RTT_CREATE', rd, l2, 0n, 2n);
  const l3 = m.delegate(m.alloc());
  m.ok('RMI_RTT_CREATE', rd, l3, 0n, 3n);
  return { m, rd, l2, l3 };
}

function entry(m: V2Machine, rd: bigint, ipa: bigint, level = 3) {
  const r = m.ok('RMI_RTT_READ_ENTRY', rd, ipa, BigInt(level));
  return { level: Number(r.x[1]), state: Number(r.x[2]), addr: r.x[3], ripas: Number(r.x[4]) };
}

const refcount = (m: V2Machine, rtt: bigint) => m.rmm.st.granules.refcount[m.gi(rtt)];

/** `n` contiguous DELEGATED pages holding junk (delegation does not scrub). */
function delegatedPages(m: V2Machine, n: number, align = 1): bigint {
  const base = m.alloc(n, align);
  m.rmm.memory.write(base, new Uint8Array(n * 4096).fill(0x5a));
  return m.delegate(base, n);
}

function dataMap(m: V2Machine, rd: bigint, base: bigint, top: bigint, flags: bigint, oaddr: bigint): Result {
  return m.call('RMI_RTT_DATA_MAP', rd, base, top, flags, oaddr);
}

describe('RMI_RTT_DATA_MAP', () => {
  it('maps contiguous pages from one SINGLE descriptor: DATA, ASSIGNED with RIPAS unchanged, contents wiped', () => {
    const { m, rd, l3 } = setup();
    const data = delegatedPages(m, 4);
    const r = m.ok('RMI_RTT_DATA_MAP', rd, 0n, 4n * KB4, SINGLE, desc(data, 4));
    assert.equal(r.x[1], 4n * KB4);
    for (let i = 0n; i < 4n; i++) {
      assert.deepEqual(entry(m, rd, i * KB4), { level: 3, state: 1, addr: data + i * KB4, ripas: Ripas.EMPTY });
      assert.equal(m.state(data + i * KB4), 'DATA');
      assert.equal(m.rmm.granule(data + i * KB4).realm, rd);
    }
    assert.equal(refcount(m, l3), 4);
    assert.deepEqual(m.rmm.memory.read(data, 4096), new Uint8Array(4096));
  });

  it('maps scattered pages from a LIST in NS memory, in list order', () => {
    const { m, rd } = setup();
    const pages = m.scatteredDelegated(3);
    const l = m.alloc();
    m.writeList(l, pages.map((p) => desc(p)));
    assert.equal(m.ok('RMI_RTT_DATA_MAP', rd, 0x10_000n, 0x13_000n, list(3), l).x[1], 0x13_000n);
    assert.deepEqual(pages.map((p, i) => entry(m, rd, 0x10_000n + BigInt(i) * KB4).addr), pages);
  });

  it('makes progress over one leaf RTT only: out_top stops at its end', () => {
    const { m, rd } = setup();
    const data = delegatedPages(m, 4);
    const r = m.ok('RMI_RTT_DATA_MAP', rd, L2_BLOCK - 2n * KB4, L2_BLOCK + 2n * KB4, SINGLE, desc(data, 4));
    assert.equal(r.x[1], L2_BLOCK);
    assert.deepEqual([m.state(data + KB4), m.state(data + 2n * KB4)], ['DATA', 'DELEGATED']);
    // The rest needs the next level-3 RTT.
    expectFailure(dataMap(m, rd, L2_BLOCK, L2_BLOCK + 2n * KB4, SINGLE, desc(data + 2n * KB4, 2)), RTT, 'rtt_walk', 2);
  });

  it('stops with RMI_SUCCESS where the descriptors or the DELEGATED granules run out', () => {
    const { m, rd } = setup();
    const data = delegatedPages(m, 2);
    assert.equal(m.ok('RMI_RTT_DATA_MAP', rd, 0n, 4n * KB4, SINGLE, desc(data, 2)).x[1], 2n * KB4);
    const more = m.alloc(2);
    m.delegate(more);
    assert.equal(m.ok('RMI_RTT_DATA_MAP', rd, 2n * KB4, 4n * KB4, SINGLE, desc(more, 2)).x[1], 3n * KB4);
    assert.equal(m.state(more + KB4), 'UNDELEGATED');
  });

  it('maps a 2 MB block at level 2 from a level-2 descriptor', () => {
    const { m, rd, l2 } = setup();
    const block = delegatedPages(m, 512, 512);
    const before = refcount(m, l2);
    assert.equal(m.ok('RMI_RTT_DATA_MAP', rd, L2_BLOCK, 2n * L2_BLOCK, SINGLE, desc(block, 1, 2)).x[1], 2n * L2_BLOCK);
    assert.deepEqual(entry(m, rd, L2_BLOCK, 2), { level: 2, state: 1, addr: block, ripas: Ripas.EMPTY });
    assert.deepEqual(new Set(m.states(block, 512)), new Set(['DATA']));
    assert.equal(refcount(m, l2), before + 1);
  });

  it('mapping the same PA again is no error and changes nothing', () => {
    const { m, rd } = setup();
    const data = delegatedPages(m, 1);
    m.ok('RMI_RTT_DATA_MAP', rd, 0n, KB4, SINGLE, desc(data));
    const before = m.fingerprint();
    assert.equal(m.ok('RMI_RTT_DATA_MAP', rd, 0n, KB4, SINGLE, desc(data)).x[1], KB4);
    assert.equal(m.fingerprint(), before);
  });

  it('is allowed in REALM_ACTIVE (fault-time mapping) but not after REALM_TERMINATE', () => {
    const { m, rd } = setup();
    const data = delegatedPages(m, 2);
    m.ok('RMI_REALM_ACTIVATE', rd);
    m.ok('RMI_RTT_DATA_MAP', rd, 0n, KB4, SINGLE, desc(data));
    m.ok('RMI_REALM_TERMINATE', rd);
    expectFailure(dataMap(m, rd, KB4, 2n * KB4, SINGLE, desc(data + KB4)), REALM, 'realm_state');
  });

  type Case = {
    check: string; status: number; index?: number;
    /** State changes the case needs, made before the fingerprint; may return a second PA for `call`. */
    prep?: (s: Setup, data: bigint) => bigint | void;
    call: (s: Setup, data: bigint, other: bigint) => Result;
  };
  const cases: Case[] = [
    { check: 'rd_state', status: INPUT, call: ({ m, l3 }, d) => dataMap(m, l3, 0n, KB4, SINGLE, desc(d)) },
    { check: 'realm_state', status: REALM, prep: ({ m, rd }) => { m.realm(rd).state = RealmState.SYSTEM_OFF; }, call: ({ m, rd }, d) => dataMap(m, rd, 0n, KB4, SINGLE, desc(d)) },
    { check: 'size_valid', status: INPUT, call: ({ m, rd }, d) => dataMap(m, rd, KB4, KB4, SINGLE, desc(d)) },
    { check: 'oaddr_type', status: INPUT, call: ({ m, rd }, d) => dataMap(m, rd, 0n, KB4, 0n, desc(d)) },
    { check: 'list_align', status: INPUT, call: ({ m, rd }) => dataMap(m, rd, 0n, KB4, list(1), m.alloc() + 4n) },
    { check: 'list_count', status: INPUT, call: ({ m, rd }) => dataMap(m, rd, 0n, KB4, list(0), m.alloc()) },
    { check: 'list_pas', status: INPUT, call: ({ m, rd }, d) => dataMap(m, rd, 0n, KB4, list(1), d) },
    { check: 'list_pas', status: INPUT, call: ({ m, rd }) => dataMap(m, rd, 0n, KB4, list(1), OUTSIDE) },
    { check: 'desc_state', status: INPUT, call: ({ m, rd }, d) => dataMap(m, rd, 0n, KB4, SINGLE, desc(d, 1, 3, true)) },
    { check: 'level_bound', status: INPUT, call: ({ m, rd }, d) => dataMap(m, rd, 0n, KB4, SINGLE, desc(d, 1, 0)) },
    { check: 'base_align', status: INPUT, call: ({ m, rd }, d) => dataMap(m, rd, KB4, L2_BLOCK + KB4, SINGLE, desc(d, 1, 2)) },
    { check: 'top_gran_align', status: INPUT, call: ({ m, rd }, d) => dataMap(m, rd, 0n, KB4 + 8n, SINGLE, desc(d)) },
    { check: 'ipa_bound', status: INPUT, call: ({ m, rd }, d) => dataMap(m, rd, 1n << 38n, (1n << 38n) + KB4, SINGLE, desc(d)) },
    { check: 'ipa_bound', status: INPUT, call: ({ m, rd }, d) => dataMap(m, rd, (1n << 38n) - KB4, (1n << 38n) + KB4, SINGLE, desc(d)) },
    { check: 'block_size', status: RTT, index: 2, call: ({ m, rd }, d) => dataMap(m, rd, L2_BLOCK, L2_BLOCK + KB4, SINGLE, desc(d, 1, 2)) },
    { check: 'rtt_walk', status: RTT, index: 1, call: ({ m, rd }, d) => dataMap(m, rd, 1n << 30n, (1n << 30n) + KB4, SINGLE, desc(d)) },
    { check: 'oaddr_end', status: INPUT, call: ({ m, rd }, d) => dataMap(m, rd, 0n, KB4, SINGLE, desc(d, 0)) },
    { check: 'oaddr_align', status: INPUT, call: ({ m, rd }, d) => dataMap(m, rd, L2_BLOCK, 2n * L2_BLOCK, SINGLE, desc(d, 1, 2)) },
    { check: 'data_state', status: INPUT, call: ({ m, rd }) => dataMap(m, rd, 0n, KB4, SINGLE, desc(m.alloc())) },
    {
      check: 'rtte_state', status: RTT, index: 3,
      prep: ({ m, rd }, d) => {
        m.ok('RMI_RTT_DATA_MAP', rd, 0n, KB4, SINGLE, desc(d));
        return m.delegate(m.alloc());
      },
      call: ({ m, rd }, _d, other) => dataMap(m, rd, 0n, KB4, SINGLE, desc(other)),
    },
  ];
  for (const c of cases) {
    it(`fails ${c.check} on the first block and changes nothing`, () => {
      const s = setup();
      const d = delegatedPages(s.m, 1);
      const other = c.prep?.(s, d) ?? 0n;
      const before = s.m.fingerprint();
      expectFailure(c.call(s, d, other), c.status, c.check, c.index ?? 0);
      assert.equal(s.m.fingerprint(), before);
    });
  }

  it('a later descriptor of another block size ends the progress (desc_level)', () => {
    const { m, rd } = setup();
    const page = delegatedPages(m, 1);
    const block = delegatedPages(m, 512, 512);
    const l = m.alloc();
    m.writeList(l, [desc(page), desc(block, 1, 2)]);
    const r = m.ok('RMI_RTT_DATA_MAP', rd, 0n, 4n * KB4, list(2), l);
    assert.equal(r.x[1], KB4);
    assert.equal(m.state(block), 'DELEGATED');
  });
});

describe('RMI_RTT_DATA_UNMAP', () => {
  function mapped(pages = 4) {
    const s = setup();
    const data = delegatedPages(s.m, pages);
    s.m.ok('RMI_RTT_DATA_MAP', s.rd, 0n, BigInt(pages) * KB4, SINGLE, desc(data, pages));
    return { ...s, data };
  }

  it('unmaps a range and returns the freed memory as one DELEGATED range (SINGLE)', () => {
    const { m, rd, l3, data } = mapped();
    const r = m.ok('RMI_RTT_DATA_UNMAP', rd, 0n, 4n * KB4, SINGLE, 0n);
    assert.equal(r.x[1], 4n * KB4);
    assert.deepEqual(decodeDesc(r.x[2]), { addr: data, count: 4, level: 3, undelegated: false });
    assert.equal(r.x[3], 0n);
    assert.deepEqual(m.states(data, 4), Array(4).fill('DELEGATED'));
    assert.equal(entry(m, rd, 0n).state, 0);
    assert.equal(refcount(m, l3), 0);
    m.undelegate(data, 4);
  });

  it('turns RIPAS RAM into DESTROYED and keeps EMPTY', () => {
    const s = setup();
    const { m, rd } = s;
    const src = m.alloc();
    const initData = m.delegate(m.alloc());
    m.ok('RMI_RTT_DATA_MAP_INIT', rd, initData, 0n, src, 0n);
    const other = delegatedPages(m, 1);
    m.ok('RMI_RTT_DATA_MAP', rd, KB4, 2n * KB4, SINGLE, desc(other));
    assert.deepEqual([entry(m, rd, 0n).ripas, entry(m, rd, KB4).ripas], [Ripas.RAM, Ripas.EMPTY]);
    m.ok('RMI_RTT_DATA_UNMAP', rd, 0n, 2n * KB4, 0n, 0n);
    assert.deepEqual([entry(m, rd, 0n).ripas, entry(m, rd, KB4).ripas], [Ripas.DESTROYED, Ripas.EMPTY]);
  });

  it('SINGLE stops where the PAs stop being contiguous; LIST returns one entry per run', () => {
    const s = setup();
    const { m, rd } = s;
    const pages = m.scatteredDelegated(3);
    const l = m.alloc();
    m.writeList(l, pages.map((p) => desc(p)));
    m.ok('RMI_RTT_DATA_MAP', rd, 0n, 3n * KB4, list(3), l);
    const r1 = m.ok('RMI_RTT_DATA_UNMAP', rd, 0n, 3n * KB4, SINGLE, 0n);
    assert.equal(r1.x[1], KB4);
    assert.deepEqual(decodeDesc(r1.x[2]), { addr: pages[0], count: 1, level: 3, undelegated: false });
    const out = m.alloc();
    const r2 = m.ok('RMI_RTT_DATA_UNMAP', rd, KB4, 3n * KB4, list(8), out);
    assert.deepEqual([r2.x[1], r2.x[2], r2.x[3]], [3n * KB4, 0n, 2n]);
    assert.deepEqual(m.readList(out, 2), [desc(pages[1]), desc(pages[2])]);
  });

  it('a full output list ends the progress', () => {
    const s = setup();
    const { m, rd } = s;
    const pages = m.scatteredDelegated(3);
    const l = m.alloc();
    m.writeList(l, pages.map((p) => desc(p)));
    m.ok('RMI_RTT_DATA_MAP', rd, 0n, 3n * KB4, list(3), l);
    const r = m.ok('RMI_RTT_DATA_UNMAP', rd, 0n, 3n * KB4, list(2), m.alloc());
    assert.deepEqual([r.x[1], r.x[3]], [2n * KB4, 2n]);
    assert.equal(m.state(pages[2]), 'DATA');
  });

  it('NONE returns no addresses; entries that map nothing are skipped to the end of the leaf RTT', () => {
    const s = setup();
    const { m, rd } = s;
    const d = delegatedPages(m, 1);
    m.ok('RMI_RTT_DATA_MAP', rd, 0x8000n, 0x9000n, SINGLE, desc(d));
    const r = m.ok('RMI_RTT_DATA_UNMAP', rd, 0n, 1n << 30n, 0n, 0n);
    assert.deepEqual([r.x[1], r.x[2], r.x[3]], [L2_BLOCK, 0n, 0n]);
    assert.equal(m.state(d), 'DELEGATED');
  });

  it('unmaps a level-2 block as a whole; splitting is needed for part of it (X1 == base)', () => {
    const s = setup();
    const { m, rd } = s;
    const block = delegatedPages(m, 512, 512);
    m.ok('RMI_RTT_DATA_MAP', rd, L2_BLOCK, 2n * L2_BLOCK, SINGLE, desc(block, 1, 2));
    const inside = m.call('RMI_RTT_DATA_UNMAP', rd, L2_BLOCK + KB4, L2_BLOCK + 2n * KB4, SINGLE, 0n);
    expectFailure(inside, RTT, 'base_align', 2);
    assert.equal(inside.x[1], L2_BLOCK + KB4);
    const part = m.call('RMI_RTT_DATA_UNMAP', rd, L2_BLOCK, L2_BLOCK + KB4, SINGLE, 0n);
    expectFailure(part, RTT, 'block_top', 2);
    assert.equal(part.x[1], L2_BLOCK);
    const r = m.ok('RMI_RTT_DATA_UNMAP', rd, L2_BLOCK, 2n * L2_BLOCK, SINGLE, 0n);
    assert.deepEqual(decodeDesc(r.x[2]), { addr: block, count: 1, level: 2, undelegated: false });
    assert.deepEqual(new Set(m.states(block, 512)), new Set(['DELEGATED']));
  });

  it('where nothing is mapped at a bigger level, the error says how far to skip (X1 > base)', () => {
    const { m, rd } = setup();
    const r = m.call('RMI_RTT_DATA_UNMAP', rd, 2n * L2_BLOCK, 2n * L2_BLOCK + KB4, SINGLE, 0n);
    expectFailure(r, RTT, 'block_top', 2);
    assert.ok(r.x[1] > 2n * L2_BLOCK);
    const mis = m.call('RMI_RTT_DATA_UNMAP', rd, 2n * L2_BLOCK + KB4, 2n * L2_BLOCK + 2n * KB4, SINGLE, 0n);
    expectFailure(mis, RTT, 'base_align', 2);
    assert.ok(mis.x[1] > 2n * L2_BLOCK);
  });

  it('a TABLE entry met after the first entry ends the progress', () => {
    const s = setup();
    const { m, rd } = s;
    const l3 = m.delegate(m.alloc());
    m.ok('RMI_RTT_CREATE', rd, l3, 3n * L2_BLOCK, 3n);
    const r = m.ok('RMI_RTT_DATA_UNMAP', rd, 2n * L2_BLOCK, 4n * L2_BLOCK, 0n, 0n);
    assert.equal(r.x[1], 3n * L2_BLOCK);
  });

  it('works in any realm state, REALM_ZOMBIE included', () => {
    const { m, rd, data } = mapped(1);
    m.ok('RMI_REALM_TERMINATE', rd);
    m.ok('RMI_RTT_DATA_UNMAP', rd, 0n, KB4, SINGLE, 0n);
    assert.equal(m.state(data), 'DELEGATED');
  });

  const bad: { check: string; args: (rd: bigint, s: Setup) => bigint[] }[] = [
    { check: 'rd_state', args: (_rd, s) => [s.l3, 0n, KB4, 0n, 0n] },
    { check: 'base_gran_align', args: (rd) => [rd, 8n, KB4, 0n, 0n] },
    { check: 'top_gran_align', args: (rd) => [rd, 0n, KB4 + 8n, 0n, 0n] },
    { check: 'size_valid', args: (rd) => [rd, KB4, KB4, 0n, 0n] },
    { check: 'ipa_bound', args: (rd) => [rd, 1n << 38n, (1n << 38n) + KB4, 0n, 0n] },
    { check: 'ipa_bound', args: (rd) => [rd, 0n, (1n << 39n) + KB4, 0n, 0n] },
    { check: 'oaddr_type', args: (rd) => [rd, 0n, KB4, 3n, 0n] },
    { check: 'oaddr_valid', args: (rd) => [rd, 0n, KB4, SINGLE, 0x1000n] },
    { check: 'oaddr_valid', args: (rd) => [rd, 0n, KB4, 0n | (1n << 2n), 0n] },
    { check: 'list_count', args: (rd, s) => [rd, 0n, KB4, LIST, s.m.alloc()] },
    { check: 'list_align', args: (rd, s) => [rd, 0n, KB4, list(1), s.m.alloc() + 4n] },
    { check: 'list_pas', args: (rd, s) => [rd, 0n, KB4, list(1), s.l2] },
  ];
  for (const b of bad) {
    it(`fails ${b.check} with RMI_ERROR_INPUT and changes nothing`, () => {
      const { m, rd, data, ...rest } = mapped(1);
      const before = m.fingerprint();
      const r = m.call('RMI_RTT_DATA_UNMAP', ...b.args(rd, { m, rd, ...rest }));
      expectFailure(r, INPUT, b.check);
      assert.equal(m.fingerprint(), before);
      assert.equal(m.state(data), 'DATA');
    });
  }
});
