import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, GranuleState, createRmm, diffGranuleArrays, diffSnapshots, type GranuleDelta } from '../../src/rmm';
import { Lab, RD, RTT, pa } from './helpers/rmm-setup';

const D = BigInt(Fid.RMI_GRANULE_DELEGATE);
const U = BigInt(Fid.RMI_GRANULE_UNDELEGATE);
const { UNDELEGATED, DELEGATED, RD: RD_STATE, RTT: RTT_STATE } = GranuleState;

describe('granule diff', () => {
  it('lists the granules whose state changed between two snapshots, with their realm, in address order', () => {
    const lab = new Lab({ profile: '1.0' });
    const a = lab.rmm.snapshot();
    lab.createRealm();
    lab.delegate(pa(500));
    const b = lab.rmm.snapshot();
    const rd = Number(RD);
    assert.deepEqual(diffSnapshots(lab.rmm, a, b), [
      { pa: Number(RD), from: UNDELEGATED, to: RD_STATE, toRealm: rd },
      { pa: Number(RTT), from: UNDELEGATED, to: RTT_STATE, toRealm: rd },
      { pa: Number(pa(500)), from: UNDELEGATED, to: DELEGATED },
    ]);
    assert.deepEqual(diffSnapshots(lab.rmm, b, a).map((d) => [d.pa, d.from, d.to, d.fromRealm]), [
      [Number(RD), RD_STATE, UNDELEGATED, rd], [Number(RTT), RTT_STATE, UNDELEGATED, rd], [Number(pa(500)), DELEGATED, UNDELEGATED, undefined],
    ]);
    assert.deepEqual(diffSnapshots(lab.rmm, b, b), []);
  });

  it('compares a snapshot with the current state when no second snapshot is given', () => {
    const rmm = createRmm({ profile: '1.0' });
    rmm.smc(D, 0x8000_1000n);
    const s = rmm.snapshot();
    assert.deepEqual(diffSnapshots(rmm, s), []);
    rmm.smc(U, 0x8000_1000n);
    rmm.smc(D, 0xbfff_f000n);
    assert.deepEqual(diffSnapshots(rmm, s).map((d) => [d.pa, d.from, d.to]), [
      [0x8000_1000, DELEGATED, UNDELEGATED], [0xbfff_f000, UNDELEGATED, DELEGATED],
    ]);
    // A change and its undoing cancel out.
    rmm.smc(U, 0xbfff_f000n);
    rmm.smc(D, 0x8000_1000n);
    assert.deepEqual(diffSnapshots(rmm, s), []);
  });

  it('reports an owner change even when the state stays the same', () => {
    const lab = new Lab({ profile: '1.0' });
    lab.createRealm();
    lab.createRealm(pa(17), pa(33), { vmid: 2n });
    const g = lab.rmm.st.granules;
    const gi = g.index(Number(pa(600)));
    g.set(gi, GranuleState.DATA, g.index(Number(RD)));
    const a = lab.rmm.snapshot();
    g.set(gi, GranuleState.DATA, g.index(Number(pa(17))));
    const want: GranuleDelta[] = [{ pa: Number(pa(600)), from: GranuleState.DATA, to: GranuleState.DATA, fromRealm: Number(RD), toRealm: Number(pa(17)) }];
    assert.deepEqual(diffSnapshots(lab.rmm, a), want);
    assert.deepEqual(diffSnapshots(lab.rmm, a, lab.rmm.snapshot()), want);
  });

  it('maps granule indices back to addresses across several DRAM regions, and handles unaligned tails', () => {
    const rmm = createRmm({ profile: '1.0', dram: [{ base: 0x8000_0000n, size: 0x3000n }, { base: 0x1_0000_0000n, size: 0x5000n }] });
    const a = rmm.snapshot();
    for (const p of [0x8000_2000n, 0x1_0000_0000n, 0x1_0000_4000n]) rmm.smc(D, p);
    assert.deepEqual(diffSnapshots(rmm, a).map((d) => d.pa), [0x8000_2000, 0x1_0000_0000, 0x1_0000_4000]);
    const g = rmm.st.granules;
    const before = { state: new Uint8Array(g.count), owner: new Int32Array(g.count).fill(-1) };
    assert.deepEqual(diffGranuleArrays(g, before, g).map((d) => d.pa), [0x8000_2000, 0x1_0000_0000, 0x1_0000_4000]);
  });

  it('refuses to compare states of machines of different sizes', () => {
    const small = createRmm({ profile: '1.0', dram: [{ base: 0x8000_0000n, size: 0x10_0000n }] });
    const big = createRmm({ profile: '1.0' });
    assert.throws(() => diffSnapshots(big, small.snapshot()), RangeError);
    assert.equal(diffSnapshots(small, small.snapshot(), small.snapshot()).length, 0);
  });
});
