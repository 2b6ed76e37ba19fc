import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, Status } from '../../src/rmm';
import { rmiMpidrOfIndex } from '../../src/rmm/commands/rec/mpidr';
import { AffinityInfo, PsciFid, PsciReturn, encodePsci } from '../../src/rmm/commands/rec/psci';
import { OUTSIDE, ORDERS, RD, RD2, RTT2, RUN, Lab, expectFailure, recPa } from './helpers/rmm-setup';

const INPUT = Status.RMI_ERROR_INPUT;
const PROFILES = ['1.0', '2.0'] as const;
const SUCCESS = encodePsci(PsciReturn.SUCCESS);
const DENIED = encodePsci(PsciReturn.DENIED);

/**
 * Realm 1: RECs 0 (runnable), 1 (off) and 2 (runnable); realm 2 (RD2): RECs at recPa(3), recPa(4)
 * with indices 0 and 1. REC 0 has just exited with `fid` naming index `target` (MPIDR_EL1 layout).
 */
function pending(profile: '1.0' | '2.0', fid: bigint = PsciFid.CPU_ON_64, target = 1n, checkOrder: 'spec' | 'tf-rmm' = 'spec'): Lab {
  const lab = new Lab({ profile, options: { checkOrder } });
  lab.createRealm();
  lab.createRealm(RD2, RTT2, { vmid: 2n });
  if (profile === '1.0') {
    lab.createRec(0);
    lab.createRec(1, RD, { flags: 0n });
    lab.createRec(2);
    lab.createRec(3, RD2, { mpidr: rmiMpidrOfIndex(0) });
    lab.createRec(4, RD2, { mpidr: rmiMpidrOfIndex(1), flags: 0n });
  } else {
    lab.installRec(0);
    lab.installRec(1, RD, false);
    lab.installRec(2);
    const a = lab.installRec(3, RD2);
    const b = lab.installRec(4, RD2, false);
    lab.rec(a).index = 0;
    lab.rec(b).index = 1;
  }
  lab.ok(Fid.RMI_REALM_ACTIVATE, RD);
  lab.rmm.st.queueRecExit(recPa(0), { reason: 'PSCI', fid, args: [target, 0x8000_1000n, 0x42n] });
  lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
  return lab;
}

describe('RMI_PSCI_COMPLETE', () => {
  for (const profile of PROFILES) {
    describe(`profile ${profile}`, () => {
      const cases: [string, bigint, bigint, bigint][] = [
        ['alias', recPa(0), recPa(0), SUCCESS],
        ['calling_align', recPa(0) + 8n, recPa(1), SUCCESS],
        ['calling_bound', OUTSIDE, recPa(1), SUCCESS],
        ['calling_state', RD, recPa(1), SUCCESS],
        ['target_align', recPa(0), recPa(1) + 8n, SUCCESS],
        ['target_bound', recPa(0), OUTSIDE, SUCCESS],
        ['target_state', recPa(0), RD, SUCCESS],
        // REC 2 has no request pending; its X1 (0) names REC 0, so nothing else fails.
        ['pending', recPa(2), recPa(0), SUCCESS],
        ['owner', recPa(0), recPa(4), SUCCESS],
        ['target', recPa(0), recPa(2), SUCCESS],
        ['status', recPa(0), recPa(1), encodePsci(PsciReturn.INVALID_PARAMETERS)],
      ];
      for (const [name, calling, target, status] of cases) {
        for (const checkOrder of ORDERS) {
          it(`fails ${name} alone (check order ${checkOrder}) and changes nothing`, () => {
            const lab = pending(profile, PsciFid.CPU_ON_64, 1n, checkOrder);
            const before = lab.fingerprint();
            expectFailure(lab.call(Fid.RMI_PSCI_COMPLETE, calling, target, status), INPUT, name);
            assert.equal(lab.fingerprint(), before);
          });
        }
      }

      it('alias and a misaligned REC: alias in spec order, calling_align in TF-RMM order (no spec ordering)', () => {
        for (const [checkOrder, check] of [['spec', 'alias'], ['tf-rmm', 'calling_align']] as const) {
          const lab = pending(profile, PsciFid.CPU_ON_64, 1n, checkOrder);
          expectFailure(lab.call(Fid.RMI_PSCI_COMPLETE, recPa(0) + 8n, recPa(0) + 8n, SUCCESS), INPUT, check);
        }
      });

      it('CPU_ON SUCCESS starts the target at the entry point with the context id', () => {
        const lab = pending(profile);
        lab.ok(Fid.RMI_PSCI_COMPLETE, recPa(0), recPa(1), SUCCESS);
        const caller = lab.rec(recPa(0));
        const target = lab.rec(recPa(1));
        assert.equal(target.runnable, true);
        assert.equal(target.pc, 0x8000_1000n);
        assert.deepEqual(target.gprs, [0x42n, ...new Array(31).fill(0n)]);
        assert.deepEqual(caller.gprs.slice(0, 4), [SUCCESS, 0n, 0n, 0n]);
        assert.equal(caller.psciPending, false);
        expectFailure(lab.call(Fid.RMI_PSCI_COMPLETE, recPa(0), recPa(1), SUCCESS), INPUT, 'pending');
      });

      it('CPU_ON of a REC that is already on answers ALREADY_ON; DENIED is then not permitted', () => {
        const lab = pending(profile, PsciFid.CPU_ON_64, 2n);
        expectFailure(lab.call(Fid.RMI_PSCI_COMPLETE, recPa(0), recPa(2), DENIED), INPUT, 'status');
        lab.ok(Fid.RMI_PSCI_COMPLETE, recPa(0), recPa(2), SUCCESS);
        assert.equal(lab.rec(recPa(0)).gprs[0], encodePsci(PsciReturn.ALREADY_ON));
      });

      it('CPU_ON DENIED for a REC that is off passes DENIED to the realm and leaves the target off', () => {
        const lab = pending(profile);
        lab.ok(Fid.RMI_PSCI_COMPLETE, recPa(0), recPa(1), DENIED);
        assert.equal(lab.rec(recPa(0)).gprs[0], DENIED);
        assert.equal(lab.rec(recPa(1)).runnable, false);
      });

      it('AFFINITY_INFO reports ON or OFF from the target REC', () => {
        for (const [target, expected] of [[1n, AffinityInfo.OFF], [2n, AffinityInfo.ON]] as const) {
          const lab = pending(profile, PsciFid.AFFINITY_INFO_64, target);
          expectFailure(lab.call(Fid.RMI_PSCI_COMPLETE, recPa(0), recPa(Number(target)), DENIED), INPUT, 'status');
          lab.ok(Fid.RMI_PSCI_COMPLETE, recPa(0), recPa(Number(target)), SUCCESS);
          assert.equal(lab.rec(recPa(0)).gprs[0], expected);
        }
      });
    });
  }

  describe('classic host bugs (reference section 8)', () => {
    it('#24 a stale PSCI target: a REC with another MPIDR fails target, a REC of another realm fails owner', () => {
      const lab = pending('1.0');
      expectFailure(lab.call(Fid.RMI_PSCI_COMPLETE, recPa(0), recPa(2), SUCCESS), INPUT, 'target');
      expectFailure(lab.call(Fid.RMI_PSCI_COMPLETE, recPa(0), recPa(4), SUCCESS), INPUT, 'owner');
      lab.ok(Fid.RMI_PSCI_COMPLETE, recPa(0), recPa(1), SUCCESS);
    });

    it('#16 entering a REC whose PSCI request was not completed fails rec_psci', () => {
      const lab = pending('1.0');
      expectFailure(lab.call(Fid.RMI_REC_ENTER, recPa(0), RUN), Status.RMI_ERROR_REC, 'rec_psci');
    });
  });
});
