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
});
