import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, GranuleState, Status, createRmm } from '../../src/rmm';
import { GranuleTable } from '../../src/rmm/granules';
import { defaultOptions } from '../../src/rmm/options';
import { GRANULE_TABLE_FIELDS, STATE_FIELDS } from '../../src/rmm/snapshot';
import { RmmState } from '../../src/rmm/state';
import { Lab, PARAMS, RD, RUN, pa, recPa } from './helpers/rmm-setup';
import { digest } from './helpers/state-digest';
import { V2Machine, desc } from './helpers/v2-boot';

const DRAM = [{ base: 0x8000_0000, size: 0x100_0000 }];

/** A 1.0 realm with a REC, level-2 and level-3 RTTs, two DATA granules and a delegated spare. */
function richLab(): Lab {
  const lab = new Lab({ profile: '1.0' });
  lab.createRealm();
  lab.createRec(0);
  for (const [rtt, level] of [[pa(300), 2n], [pa(301), 3n]] as const) {
    lab.delegate(rtt);
    lab.ok(Fid.RMI_RTT_CREATE, RD, rtt, 0n, level);
  }
  lab.rmm.memory.write(pa(310), new Uint8Array(4096).fill(0x5a));
  for (const [data, ipa] of [[pa(320), 0n], [pa(321), 0x1000n]] as const) {
    lab.delegate(data);
    lab.ok(Fid.RMI_DATA_CREATE, RD, data, ipa, pa(310), 1n);
  }
  lab.delegate(pa(400));
  return lab;
}

describe('snapshot / restore: coverage of the state', () => {
  for (const profile of ['1.0', '2.0'] as const) {
    it(`STATE_FIELDS classifies every field of a ${profile} RmmState, fresh and after use`, () => {
      const fresh = new RmmState(profile, defaultOptions(profile), DRAM);
      const used = profile === '1.0' ? richLab().rmm.st : new V2Machine().rmm.st;
      for (const st of [fresh, used]) {
        assert.deepEqual(Object.keys(st).sort(), Object.keys(STATE_FIELDS).sort(),
          'RmmState gained or lost a field: classify it in STATE_FIELDS (src/rmm/snapshot.ts) and save/restore it there');
      }
    });
  }

  it('GRANULE_TABLE_FIELDS classifies every field of GranuleTable', () => {
    const g = new GranuleTable(DRAM);
    assert.deepEqual(Object.keys(g).sort(), Object.keys(GRANULE_TABLE_FIELDS).sort(),
      'GranuleTable gained or lost a field: classify it in GRANULE_TABLE_FIELDS (src/rmm/snapshot.ts)');
  });
});

describe('snapshot / restore', () => {
  it('puts back every granule, object, memory page, VMID and the call count', () => {
    const lab = richLab();
    const rmm = lab.rmm;
    const before = digest(rmm);
    const s = rmm.snapshot();

    // Change a bit of everything: RTT entries, DATA, RECs, realm state, memory, VMIDs, a 2nd realm.
    lab.ok(Fid.RMI_DATA_DESTROY, RD, 0x1000n);
    lab.ok(Fid.RMI_REC_DESTROY, recPa(0));
    lab.ok(Fid.RMI_REALM_ACTIVATE, RD);
    lab.ok(Fid.RMI_GRANULE_UNDELEGATE, pa(400));
    lab.delegate(pa(401));
    rmm.memory.write(pa(310), new Uint8Array(16).fill(1));
    lab.createRealm(pa(17), pa(33), { vmid: 2n });
    assert.notDeepEqual(digest(rmm), before);

    rmm.restore(s);
    assert.deepEqual(digest(rmm), before);
    assert.equal(rmm.granule(recPa(0)).state, 'REC');

    // The same snapshot restores again after further changes (restore does not consume it).
    lab.ok(Fid.RMI_GRANULE_UNDELEGATE, pa(400));
    rmm.restore(s);
    assert.deepEqual(digest(rmm), before);
  });

  it('keeps memory written after a snapshot out of it (copy-on-write pages)', () => {
    const rmm = createRmm({ profile: '1.0' });
    const page = 0x8010_0000n;
    const fresh = 0x8020_0000n;
    rmm.memory.write(page, new Uint8Array(4096).fill(0x11));
    const s = rmm.snapshot();
    rmm.memory.write(page, new Uint8Array([0x22, 0x22]));
    rmm.memory.write(fresh, new Uint8Array([7]));
    assert.deepEqual([...rmm.memory.read(page, 3)], [0x22, 0x22, 0x11]);

    rmm.restore(s);
    assert.deepEqual([...rmm.memory.read(page, 3)], [0x11, 0x11, 0x11]);
    assert.deepEqual([...rmm.memory.read(fresh, 1)], [0], 'a page first written after the snapshot reads as zero again');

    // Writes after a restore must not reach into the snapshot either.
    rmm.memory.write(page, new Uint8Array([0x33]));
    rmm.restore(s);
    assert.deepEqual([...rmm.memory.read(page, 2)], [0x11, 0x11]);
  });

  it('keeps wipes and writes of neighbouring pages after a snapshot out of it', () => {
    const rmm = createRmm({ profile: '1.0' });
    const [a, b, c] = [0x8000_0000n, 0x8000_1000n, 0x8000_2000n]; // one copy-on-write chunk
    rmm.memory.write(a, new Uint8Array([1]));
    rmm.memory.write(b, new Uint8Array([2]));
    const s = rmm.snapshot();
    rmm.smc(BigInt(Fid.RMI_GRANULE_DELEGATE), a);
    rmm.smc(BigInt(Fid.RMI_GRANULE_UNDELEGATE), a); // undelegate scrubs the page
    rmm.memory.write(b, new Uint8Array([3]));
    rmm.memory.write(c, new Uint8Array([4]));
    assert.deepEqual([a, b, c].map((p) => rmm.memory.read(p, 1)[0]), [0, 3, 4]);
    rmm.restore(s);
    assert.deepEqual([a, b, c].map((p) => rmm.memory.read(p, 1)[0]), [1, 2, 0]);
    assert.equal(rmm.st.memory.residentGranules, 2);
  });

  it('keeps changes made inside objects after a snapshot out of it (deep copies)', () => {
    const lab = richLab();
    const st = lab.rmm.st;
    const before = digest(lab.rmm);
    const s = lab.rmm.snapshot();
    const realm = st.realms.get(st.granules.index(Number(RD)))!;
    realm.measurements[0][0] ^= 0xff;
    realm.rpv[0] ^= 0xff;
    realm.roots.push(12345);
    const rec = st.recs.get(st.granules.index(Number(recPa(0))))!;
    rec.gprs[3] = 99n;
    rec.aux.pop();
    for (const t of st.rtts.values()) {
      t.state[7] = 4;
      t.addr[7] = 42;
      t.ripas[7] = 2;
      t.attr[7] = 3;
    }
    st.vmids.add(77);
    st.config.granuleSize = 9n;
    lab.rmm.restore(s);
    assert.deepEqual(digest(lab.rmm), before);
    // And the restored objects are copies too: changing them leaves the snapshot intact.
    st.realms.get(st.granules.index(Number(RD)))!.measurements[0][1] ^= 0xff;
    lab.rmm.restore(s);
    assert.deepEqual(digest(lab.rmm), before);
  });

  it('continues call numbers and fault counters from the snapshot, so a replay is identical', () => {
    const rmm = createRmm({ profile: '1.0', faults: [{ command: 'RMI_GRANULE_DELEGATE', nth: 3, status: 'RMI_ERROR_INPUT' }] });
    const seen: { seq: number; status: number; fault?: string }[] = [];
    rmm.onTrace = (e) => seen.push({ seq: e.seq, status: e.status, fault: e.fault });
    const D = BigInt(Fid.RMI_GRANULE_DELEGATE);
    rmm.smc(D, pa(1));
    rmm.smc(D, pa(2));
    const s = rmm.snapshot();
    rmm.smc(D, pa(3));
    rmm.smc(D, pa(4));
    const first = seen.splice(0);
    assert.equal(first[2].status, Status.RMI_ERROR_INPUT, 'the third delegate is the faulted one');
    rmm.restore(s);
    assert.equal(rmm.calls, 2);
    assert.equal(rmm.granule(pa(3)).state, 'UNDELEGATED');
    rmm.smc(D, pa(3));
    rmm.smc(D, pa(4));
    assert.deepEqual(seen, first.slice(2));
  });

  it('restores a 2.0 stateful operation in progress, which then completes as before', () => {
    const m = new V2Machine();
    const realm = m.createRealm();
    const rec = m.delegate(m.alloc());
    const params = m.alloc();
    m.writeRecParams(params, 0);
    const first = m.call('RMI_REC_CREATE', realm.rd, rec, params);
    assert.equal(first.status, Status.RMI_INCOMPLETE);
    const before = digest(m.rmm);
    const s = m.rmm.snapshot();
    const finish = () => {
      const aux = m.scatteredDelegated(m.rmm.st.options.recAuxCount);
      const list = m.alloc();
      m.writeList(list, aux.map((p) => desc(p)));
      m.call('RMI_OP_MEM_DONATE', first.x[1], list, BigInt(aux.length));
      return m.call('RMI_OP_CONTINUE', first.x[1], 0n).status;
    };
    assert.equal(finish(), Status.RMI_SUCCESS);
    assert.equal(m.state(rec), 'REC');
    m.rmm.restore(s);
    assert.deepEqual(digest(m.rmm), before);
    assert.equal(m.state(rec), 'PARTIAL');
    assert.equal(finish(), Status.RMI_SUCCESS);
    assert.equal(m.state(rec), 'REC');
  });

  it('refuses a snapshot of a machine of another size or profile', () => {
    const small = createRmm({ profile: '1.0', dram: [{ base: 0x8000_0000n, size: 0x100_0000n }] });
    assert.throws(() => createRmm({ profile: '1.0' }).restore(small.snapshot()), RangeError);
    assert.throws(() => createRmm({ profile: '2.0', dram: [{ base: 0x8000_0000n, size: 0x100_0000n }] }).restore(small.snapshot()), RangeError);
  });

  it('copies only what changed since the last snapshot and restores into the same arrays', () => {
    const rmm = createRmm({ profile: '1.0', dram: [{ base: 0x8000_0000n, size: 0x1_0000_0000n }] });
    const s1 = rmm.snapshot();
    rmm.smc(BigInt(Fid.RMI_GRANULE_DELEGATE), 0x8000_0000n + 0x4000_0000n);
    const s2 = rmm.snapshot();
    const shared = s1.granules.chunks.filter((c, i) => c === s2.granules.chunks[i]).length;
    assert.equal(shared, s1.granules.chunks.length - 1, 'one delegate dirties one chunk');
    const view = rmm.st.granules.state;
    rmm.restore(s1);
    assert.equal(rmm.st.granules.state, view, 'views of the granule table stay valid across a restore');
    assert.equal(rmm.granule(0xc000_0000n).state, 'UNDELEGATED');
    rmm.restore(s2);
    assert.equal(rmm.granule(0xc000_0000n).state, 'DELEGATED');
    assert.equal(rmm.st.granules.lastChange[rmm.st.granules.index(0xc000_0000)], 1);
  });

  it('restores RD, RTT and REC refcounts and leaves every other granule at 0', () => {
    const lab = richLab();
    const g = lab.rmm.st.granules;
    const s = lab.rmm.snapshot();
    const counts = [RD, pa(32), pa(300), pa(301), recPa(0)].map((p) => g.refcount[g.index(Number(p))]);
    assert.deepEqual(counts, [1, 1, 1, 2, 0]);
    lab.ok(Fid.RMI_DATA_DESTROY, RD, 0n);
    lab.ok(Fid.RMI_REC_DESTROY, recPa(0));
    lab.rmm.restore(s);
    assert.deepEqual([RD, pa(32), pa(300), pa(301), recPa(0)].map((p) => g.refcount[g.index(Number(p))]), counts);
    assert.equal(g.refcount.reduce((a, b) => a + b, 0), 5);
    assert.equal(lab.state(RUN), 'UNDELEGATED');
    assert.equal(lab.state(PARAMS), 'UNDELEGATED');
    assert.equal(g.state[g.index(Number(pa(320)))], GranuleState.DATA);
  });
});
