// A whole 2.0 realm lifetime through raw SMCs, in the order the Linux v14 host takes it
// (reference 7.1-7.8): bring-up, realm_create_rd with range delegation, RTT levels, INIT_RIPAS,
// populate with RTT_DATA_MAP_INIT, RECs through the SRO, activation, a run, fault-time mappings,
// then teardown down to every granule UNDELEGATED again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RealmState, Status } from '../../src/rmm';
import { GRANULE, V2Machine, desc, granulesOf } from './helpers/v2-boot';

const { RMI_SUCCESS: SUCCESS, RMI_ERROR_RTT: RTT } = Status;
const KB4 = GRANULE;
const S2SZ = 40;
const PROTECTED_TOP = 1n << BigInt(S2SZ - 1);
const IPA_TOP = 1n << BigInt(S2SZ);

/** The host's unmap loop (reference 7.7): go on from X1, undelegate what comes back, skip what is not mapped. */
function unmapAll(m: V2Machine, name: 'RMI_RTT_DATA_UNMAP' | 'RMI_RTT_UNPROT_UNMAP', rd: bigint, base: bigint, top: bigint): number {
  let addr = base;
  let calls = 0;
  while (addr < top) {
    calls++;
    const r = m.call(name, rd, addr, top, 1n, 0n);
    if (r.status === SUCCESS) {
      const back = granulesOf(r.x[2] ? [r.x[2]] : []);
      if (name === 'RMI_RTT_DATA_UNMAP') m.undelegateEach(back);
      addr = r.x[1];
    } else {
      assert.equal(r.status, RTT, `${name} at 0x${addr.toString(16)}: ${r.check}`);
      assert.ok(r.x[1] > addr, 'nothing here to split: the RMM says how far to skip');
      addr = r.x[1];
    }
  }
  return calls;
}

function destroyRtt(m: V2Machine, rd: bigint, ipa: bigint, level: number): void {
  const r = m.ok('RMI_RTT_DESTROY', rd, ipa, BigInt(level));
  m.undelegate(r.x[1]);
}

describe('a 2.0 realm from RMM bring-up to teardown', () => {
  it('leaves every granule UNDELEGATED and no RMM object behind', () => {
    const m = new V2Machine({ boot: false, options: { rangeGranulesPerCall: 4 } });

    // 7.1 bring-up.
    assert.equal(m.ok('RMI_VERSION', 0x20000n).x[1], 0x20000n);
    const cfg = m.alloc();
    m.ok('RMI_RMM_CONFIG_SET', cfg);
    m.ok('RMI_RMM_ACTIVATE');
    assert.deepEqual(m.ok('RMI_GRANULE_TRACKING_GET', 0x8000_0000n, 0xc000_0000n).x.slice(1, 4), [0n, 2n, 0xc000_0000n]);

    // 7.3 realm_create_rd: RD, then the two concatenated level-1 root RTTs of a 40-bit realm.
    const rd = m.delegate(m.alloc());
    const pgd = m.alloc(2, 2);
    m.delegate(pgd, 2);
    const params = m.alloc();
    m.writeRealmParams(params, pgd, 2, S2SZ, 1);
    m.ok('RMI_REALM_CREATE', rd, params);
    assert.deepEqual([m.state(rd), ...m.states(pgd, 2)], ['RD', 'RTT', 'RTT']);

    // RTT levels for IPA 0 and for the first shared IPA.
    const tables: [bigint, number][] = [[0n, 2], [0n, 3], [PROTECTED_TOP, 2], [PROTECTED_TOP, 3]];
    for (const [ipa, level] of tables) m.ok('RMI_RTT_CREATE', rd, m.delegate(m.alloc()), ipa, BigInt(level));

    // 7.6 INIT_RIPAS, 7.5 populate (measured).
    assert.equal(m.ok('RMI_RTT_INIT_RIPAS', rd, 0n, 0x8000n).x[1], 0x8000n);
    const rimBefore = m.realm(rd).measurements[0].slice();
    const src = m.alloc();
    m.rmm.memory.write(src, new Uint8Array(4096).fill(0x42));
    const image = [m.delegate(m.alloc()), m.delegate(m.alloc())];
    image.forEach((d, i) => m.ok('RMI_RTT_DATA_MAP_INIT', rd, d, BigInt(i) * KB4, src, 1n));
    assert.notDeepEqual(m.realm(rd).measurements[0], rimBefore);

    // kvm_create_rec for two vCPUs, the memory donated in pieces.
    const recs = [m.createRec(rd, 0, { chunks: [8, 8] }), m.createRec(rd, 1, { chunks: [16], runnable: false })];
    assert.equal(m.realm(rd).numRecs, 2);

    // 7.6 activation, 7.7 a run that exits on an interrupt.
    m.ok('RMI_REALM_ACTIVATE', rd);
    const run = m.alloc();
    m.ok('RMI_REC_ENTER', recs[0].rec, run);
    assert.equal(m.rmm.st.memory.readU64(Number(run) + 0x800), 1n, 'RMI_EXIT_IRQ');

    // 7.7 fault-time mappings: private memory with RTT_DATA_MAP, shared with RTT_UNPROT_MAP.
    const priv = m.delegate(m.alloc(4), 4);
    assert.equal(m.ok('RMI_RTT_DATA_MAP', rd, 0x10_000n, 0x14_000n, 1n, desc(priv, 4)).x[1], 0x14_000n);
    const shared = m.alloc(2);
    m.ok('RMI_RTT_UNPROT_MAP', rd, PROTECTED_TOP, PROTECTED_TOP + 2n * KB4, 1n | (2n << 19n), desc(shared, 2));
    assert.equal(m.state(shared), 'UNDELEGATED');

    // 7.8 teardown: RECs first (aux granules reclaimed, then undelegated with the REC).
    for (const { rec, aux } of recs) {
      const back = m.destroyRec(rec, 5);
      assert.deepEqual([...back].sort(), [...aux].sort());
      m.undelegateEach([...back, rec]);
    }
    assert.equal(m.realm(rd).numRecs, 0);

    // Unmap everything, private and shared.
    assert.ok(unmapAll(m, 'RMI_RTT_DATA_UNMAP', rd, 0n, PROTECTED_TOP) >= 3);
    unmapAll(m, 'RMI_RTT_UNPROT_UNMAP', rd, PROTECTED_TOP, IPA_TOP);
    assert.deepEqual([...image.map((p) => m.state(p)), ...m.states(priv, 4)], Array(6).fill('UNDELEGATED'));

    m.ok('RMI_REALM_TERMINATE', rd);
    assert.equal(m.realm(rd).state, RealmState.ZOMBIE);
    for (const [ipa, level] of [...tables].reverse()) destroyRtt(m, rd, ipa, level);
    m.ok('RMI_REALM_DESTROY', rd);
    m.undelegate(rd);
    m.undelegate(pgd, 2);

    assert.deepEqual(m.notUndelegated(), []);
    const st = m.rmm.st;
    assert.deepEqual([st.realms.size, st.recs.size, st.rtts.size, st.sro.size, st.vmids.size], [0, 0, 0, 0, 0]);
  });
});
