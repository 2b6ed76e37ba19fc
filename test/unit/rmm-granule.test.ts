import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, Status, createRmm } from '../../src/rmm';

const PA = 0x8000_0000n;
const st = (ret: bigint[]) => Number(ret[0] & 0xffn);

describe('RMI_GRANULE_DELEGATE / UNDELEGATE (1.0)', () => {
  it('moves a granule UNDELEGATED -> DELEGATED -> UNDELEGATED', () => {
    const rmm = createRmm({ profile: '1.0' });
    assert.equal(rmm.granule(PA).state, 'UNDELEGATED');
    assert.equal(st(rmm.smc(BigInt(Fid.RMI_GRANULE_DELEGATE), PA)), Status.RMI_SUCCESS);
    assert.equal(rmm.granule(PA).state, 'DELEGATED');
    assert.equal(st(rmm.smc(BigInt(Fid.RMI_GRANULE_UNDELEGATE), PA)), Status.RMI_SUCCESS);
    assert.equal(rmm.granule(PA).state, 'UNDELEGATED');
  });

  it('fails gran_align, gran_bound and gran_state with RMI_ERROR_INPUT and changes nothing', () => {
    const rmm = createRmm({ profile: '1.0' });
    const events: string[] = [];
    rmm.onTrace = (e) => events.push(e.failedCheck ?? 'ok');
    assert.equal(st(rmm.smc(BigInt(Fid.RMI_GRANULE_DELEGATE), PA + 8n)), Status.RMI_ERROR_INPUT);
    assert.equal(st(rmm.smc(BigInt(Fid.RMI_GRANULE_DELEGATE), 0x1000n)), Status.RMI_ERROR_INPUT);
    assert.equal(st(rmm.smc(BigInt(Fid.RMI_GRANULE_UNDELEGATE), PA)), Status.RMI_ERROR_INPUT);
    assert.deepEqual(events, ['gran_align', 'gran_bound', 'gran_state']);
    assert.equal(rmm.granule(PA).state, 'UNDELEGATED');
  });

  it('answers SMCCC NOT_SUPPORTED for an FID it does not implement, and for 1.0 FIDs in 2.0', () => {
    assert.equal(createRmm({ profile: '1.0' }).smc(0xc4000156n)[0], 0xffff_ffff_ffff_ffffn);
    assert.equal(createRmm({ profile: '2.0' }).smc(BigInt(Fid.RMI_GRANULE_DELEGATE), PA)[0], 0xffff_ffff_ffff_ffffn);
  });
});
