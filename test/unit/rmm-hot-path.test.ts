// The shortcuts the SMC hot path takes must not change what the emulator answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, GranuleState, createRmm } from '../../src/rmm';
import { granuleArg, num } from '../../src/rmm/commands/common';
import { GRANULE_DELEGATE } from '../../src/rmm/commands/granule/granule-delegate';
import { GRANULE_UNDELEGATE } from '../../src/rmm/commands/granule/granule-undelegate';
import { clampedNumber, u64Wrap } from '../../src/rmm/u64';

const EDGES = [0n, 1n, 0xfffn, 0x1000n, 0x8000_0000n, 0xffff_ffffn, 0x1_0000_0000n, 0x1_0000_1000n, 2n ** 52n + 1n,
  2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 64n + 0xc400_0151n, -1n, -(2n ** 64n) + 5n];

describe('SMC hot path', () => {
  it('converts registers to numbers exactly as Number() does', () => {
    for (const x of EDGES) {
      assert.equal(clampedNumber(x), x > 0x1f_ffff_ffff_ffffn ? 2 ** 53 : Number(x), `clampedNumber(${x})`);
      assert.equal(num(x), clampedNumber(x));
      assert.equal(u64Wrap(x), Number(BigInt.asUintN(64, x)), `u64Wrap(${x})`);
    }
  });

  it('GRANULE_DELEGATE / UNDELEGATE list the same checks granuleArg would build', () => {
    const strip = (cs: readonly { name: string; status: number; doc?: string }[]) => cs.map(({ name, status, doc }) => ({ name, status, doc }));
    assert.deepEqual(strip(GRANULE_DELEGATE.checks), strip(granuleArg('gran', () => 0, GranuleState.UNDELEGATED, 'addr')));
    assert.deepEqual(strip(GRANULE_UNDELEGATE.checks), strip(granuleArg('gran', () => 0, GranuleState.DELEGATED, 'addr')));
  });

  it('answers the same for every way of passing registers (fewer than six, six, more than six)', () => {
    const rmm = createRmm({ profile: '1.0' });
    const events: bigint[][] = [];
    rmm.onTrace = (e) => events.push(e.args);
    const D = BigInt(Fid.RMI_GRANULE_DELEGATE);
    assert.equal(rmm.smc(D, 0x8000_0000n)[0], 0n);
    assert.equal(rmm.smc(D, 0x8000_1000n, 0n, 0n, 0n, 0n, 0n)[0], 0n);
    assert.equal(rmm.smc(D, 0x8000_2000n, 0n, 0n, 0n, 0n, 0n, 7n)[0], 0n);
    assert.equal(rmm.smc(D)[0], 1n, 'a missing X1 reads as 0: outside DRAM');
    assert.deepEqual(events.map((a) => a.length), [6, 6, 7, 6]);
    // A wrapped FID (X0 is 64 bits) still names the command.
    assert.equal(rmm.smc(2n ** 64n + D, 0x8000_3000n)[0], 0n);
    assert.equal(rmm.granule(0x8000_3000n).state, 'DELEGATED');
    assert.equal(rmm.smc(-1n)[0], 0xffff_ffff_ffff_ffffn);
  });

  it('answers the same when registers come as numbers (smcValues) as when they come as BigInts', () => {
    // Two machines, one driven through smc, the other through smcValues with every register
    // below 2^53 as a number: a realm created and populated, with failures on the way (a huge
    // address, a wrong level, a misaligned one) and a range command.
    const runs = (['2.0', '1.0'] as const).map((profile) => [createRmm({ profile }), createRmm({ profile })] as const);
    const toReg = (v: bigint) => (v >= 0n && v < 2n ** 53n ? Number(v) : BigInt.asUintN(64, v));
    for (const [a, b] of runs) {
      const both = (fid: number, ...x: bigint[]) => {
        const ra = a.smc(BigInt(fid), ...x);
        const r = [...x, 0n, 0n, 0n, 0n, 0n, 0n].slice(0, 6).map(toReg);
        const rb = b.smcValues(fid, r[0], r[1], r[2], r[3], r[4], r[5]);
        assert.deepEqual(rb, ra, `${fid.toString(16)}(${x.join(', ')})`);
        return ra;
      };
      for (const x of EDGES) {
        both(Fid.RMI_GRANULE_DELEGATE, x);
        both(Fid.RMI_GRANULE_UNDELEGATE, x);
        both(Fid.RMI_RTT_READ_ENTRY, 0x8000_0000n, x, x);
        both(Fid.RMI_DATA_CREATE, 0x8000_0000n, x, 0x1000n, 0x8000_5000n, x);
      }
      both(Fid.RMI_GRANULE_DELEGATE, 0x8000_1000n);
      both(Fid.RMI_GRANULE_UNDELEGATE, 0x8000_1000n);
      for (const [p, q] of [[a.st.granules.state, b.st.granules.state]]) assert.deepEqual(Array.from(q), Array.from(p));
    }
  });
});
