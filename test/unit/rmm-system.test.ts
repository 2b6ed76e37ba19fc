import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, Status } from '../../src/rmm';
import { negotiate } from '../../src/rmm/commands/system/version';
import { Lab } from './helpers/rmm-setup';

const V = (major: number, minor: number) => (BigInt(major) << 16n) | BigInt(minor);
const field = (v: bigint, hi: number, lo: number) => (v >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);

describe('RMI_VERSION', () => {
  const cases: { profile: '1.0' | '2.0'; req: bigint; status: number; lower: bigint; higher: bigint }[] = [
    { profile: '1.0', req: V(1, 0), status: Status.RMI_SUCCESS, lower: V(1, 0), higher: V(1, 0) },
    { profile: '1.0', req: V(1, 1), status: Status.RMI_ERROR_INPUT, lower: V(1, 0), higher: V(1, 0) },
    { profile: '1.0', req: V(2, 0), status: Status.RMI_ERROR_INPUT, lower: V(1, 0), higher: V(1, 0) },
    { profile: '1.0', req: V(0, 9), status: Status.RMI_ERROR_INPUT, lower: V(1, 0), higher: V(1, 0) },
    { profile: '2.0', req: V(2, 0), status: Status.RMI_SUCCESS, lower: V(2, 0), higher: V(2, 0) },
    { profile: '2.0', req: V(1, 0), status: Status.RMI_ERROR_INPUT, lower: V(2, 0), higher: V(2, 0) },
    { profile: '2.0', req: V(2, 1), status: Status.RMI_ERROR_INPUT, lower: V(2, 0), higher: V(2, 0) },
    { profile: '2.0', req: V(3, 0), status: Status.RMI_ERROR_INPUT, lower: V(2, 0), higher: V(2, 0) },
    // MBZ bits [63:31] set: never compatible.
    { profile: '1.0', req: (1n << 40n) | V(1, 0), status: Status.RMI_ERROR_INPUT, lower: V(1, 0), higher: V(1, 0) },
  ];
  for (const c of cases) {
    it(`profile ${c.profile}, request 0x${c.req.toString(16)}: status ${c.status}, lower 0x${c.lower.toString(16)}`, () => {
      const lab = new Lab({ profile: c.profile, options: { activated: false } });
      const o = lab.call(Fid.RMI_VERSION, c.req);
      assert.deepEqual([o.status, o.ret[1], o.ret[2]], [c.status, c.lower, c.higher]);
    });
  }

  it('follows the precedence of spec B2 for an RMM with several revisions', () => {
    // Scenarios 5, 7, 12 and 13 of the spec's table.
    assert.deepEqual(negotiate(V(1, 2), [V(1, 0), V(1, 1)]), { ok: false, lower: V(1, 1), higher: V(1, 1) });
    assert.deepEqual(negotiate(V(1, 2), [V(1, 0), V(1, 1), V(1, 3)]), { ok: true, lower: V(1, 2), higher: V(1, 3) });
    assert.deepEqual(negotiate(V(2, 1), [V(1, 0), V(1, 1), V(2, 0)]), { ok: false, lower: V(2, 0), higher: V(2, 0) });
    assert.deepEqual(negotiate(V(1, 1), [V(2, 0)]), { ok: false, lower: V(2, 0), higher: V(2, 0) });
  });

  it('2.0 answers before RMI_RMM_ACTIVATE', () => {
    const lab = new Lab({ profile: '2.0', options: { activated: false } });
    assert.equal(lab.call(Fid.RMI_VERSION, V(2, 0)).status, Status.RMI_SUCCESS);
  });
});

describe('RMI_FEATURES', () => {
  it('1.0 register 0 reflects the RMM options; other indices read 0', () => {
    const lab = new Lab({ options: { maxIpaWidth: 44, lpa2: true, numBps: 5, numWps: 3, maxRecsOrder: 9 } });
    const r0 = lab.ok(Fid.RMI_FEATURES, 0n).ret[1];
    assert.equal(field(r0, 7, 0), 44n, 'S2SZ');
    assert.equal(field(r0, 8, 8), 1n, 'LPA2');
    assert.equal(field(r0, 9, 9), 0n, 'SVE_EN');
    assert.equal(field(r0, 19, 14), 5n, 'NUM_BPS');
    assert.equal(field(r0, 25, 20), 3n, 'NUM_WPS');
    assert.equal(field(r0, 26, 26), 0n, 'PMU_EN');
    assert.equal(field(r0, 32, 32), 1n, 'HASH_SHA_256');
    assert.equal(field(r0, 33, 33), 1n, 'HASH_SHA_512');
    assert.equal(field(r0, 37, 34), 15n, 'GICV3_NUM_LRS (16 list registers)');
    assert.equal(field(r0, 41, 38), 9n, 'MAX_RECS_ORDER');
    assert.equal(r0 >> 42n, 0n);
    for (const i of [1n, 4n, 0xffff_ffffn]) assert.equal(lab.ok(Fid.RMI_FEATURES, i).ret[1], 0n);
    assert.equal(field(new Lab({ options: { lpa2: false } }).ok(Fid.RMI_FEATURES, 0n).ret[1], 8, 8), 0n);
  });

  it('2.0 moves hashes and MAX_RECS_ORDER to register 1, which also says 4 KB granules', () => {
    const lab = new Lab({ profile: '2.0', options: { activated: false, maxIpaWidth: 48, numBps: 2, numWps: 4, maxRecsOrder: 6 } });
    const r0 = lab.ok(Fid.RMI_FEATURES, 0n).ret[1];
    assert.equal(field(r0, 7, 0), 48n);
    assert.equal(field(r0, 19, 14), 2n);
    assert.equal(field(r0, 25, 20), 4n);
    assert.equal(r0 >> 32n, 0n, 'nothing above PMU_NUM_CTRS');
    const r1 = lab.ok(Fid.RMI_FEATURES, 1n).ret[1];
    assert.deepEqual([0, 1, 2].map((b) => field(r1, b, b)), [1n, 0n, 0n], 'only the 4 KB granule');
    assert.deepEqual([3, 4, 5].map((b) => field(r1, b, b)), [1n, 1n, 1n], 'SHA-256, SHA-384, SHA-512');
    assert.equal(field(r1, 9, 6), 6n, 'MAX_RECS_ORDER');
    assert.equal(field(r1, 16, 14), 5n, 'PPS 48 bits');
    for (const i of [2n, 3n, 4n, 5n]) assert.equal(lab.ok(Fid.RMI_FEATURES, i).ret[1], 0n);
  });
});
