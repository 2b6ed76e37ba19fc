import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, RealmState, Ripas, Status, type RmmOptions } from '../../src/rmm';
import { PsciFid } from '../../src/rmm/commands/rec/psci';
import { OUTSIDE, ORDERS, RD, RUN, RTT, Lab, expectFailure, pa, recPa } from './helpers/rmm-setup';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_REALM: REALM, RMI_ERROR_REC: REC } = Status;
const PROFILES = ['1.0', '2.0'] as const;
const EXIT = RUN + 0x800n;
/** A second NS page, for calls after a test delegated RUN. */
const RUN2 = pa(3);
const EXIT_SYNC = 0n;
const EXIT_IRQ = 1n;
const EXIT_PSCI = 3n;
const EXIT_RIPAS_CHANGE = 4n;
const EXIT_HOST_CALL = 5n;
const EMUL_MMIO = 1n;
const INJECT_SEA = 2n;

/** A realm with REC 0 (runnable) and REC 1 (not runnable); activated unless asked otherwise. */
function world(profile: '1.0' | '2.0', options: Partial<RmmOptions> = {}, activate = true): Lab {
  const lab = new Lab({ profile, options });
  lab.createRealm();
  if (profile === '1.0') {
    lab.createRec(0);
    lab.createRec(1, RD, { flags: 0n });
  } else {
    lab.installRec(0);
    lab.installRec(1, RD, false);
  }
  if (activate) lab.ok(Fid.RMI_REALM_ACTIVATE, RD);
  return lab;
}

const u64 = (lab: Lab, at: bigint) => lab.rmm.st.memory.readU64(Number(at));
const enter = (lab: Lab, rec = recPa(0), run = RUN) => lab.call(Fid.RMI_REC_ENTER, rec, run);
const setEnterFlags = (lab: Lab, flags: bigint) => lab.rmm.st.memory.writeU64(Number(RUN), flags);
/** ESR of a data abort taken from the realm, ISV set, SRT = x5, 4-byte access (SAS = 2). */
const dabtEsr = (write: boolean) => (0x24n << 26n) | (1n << 25n) | (1n << 24n) | (2n << 22n) | (5n << 16n) | (write ? 1n << 6n : 0n) | 0x07n;
/** HPFAR_EL2 for an IPA (FIPA = IPA[51:12] at [47:4]). */
const hpfarOf = (ipa: bigint) => (ipa >> 12n) << 4n;
const UNPROTECTED_IPA = 1n << 38n; // s2sz 39: the top half is unprotected
const MPIDR_EL1_OF_REC1 = 1n;

describe('RMI_REC_ENTER', () => {
  for (const profile of PROFILES) {
    describe(`profile ${profile}`, () => {
      const cases: { name: string; status: number; index?: number; fresh?: boolean; setup: (lab: Lab) => bigint[] }[] = [
        { name: 'run_align', status: INPUT, setup: () => [recPa(0), RUN + 8n] },
        { name: 'run_bound', status: INPUT, setup: () => [recPa(0), OUTSIDE] },
        { name: 'run_pas', status: INPUT, setup: (lab) => (lab.delegate(RUN), [recPa(0), RUN]) },
        { name: 'rec_align', status: INPUT, setup: () => [recPa(0) + 8n, RUN] },
        { name: 'rec_bound', status: INPUT, setup: () => [OUTSIDE, RUN] },
        { name: 'rec_gran_state', status: INPUT, setup: () => [RD, RUN] },
        { name: 'realm_new', status: REALM, index: 0, fresh: true, setup: () => [recPa(0), RUN] },
        { name: 'system_off', status: REALM, index: 1, setup: (lab) => ((lab.realm().state = RealmState.SYSTEM_OFF), [recPa(0), RUN]) },
        { name: 'rec_state', status: REC, setup: (lab) => (lab.rmm.st.setRecRunning(recPa(0), true), [recPa(0), RUN]) },
        { name: 'rec_runnable', status: REC, setup: () => [recPa(1), RUN] },
        { name: 'rec_mmio', status: REC, setup: (lab) => (setEnterFlags(lab, EMUL_MMIO), [recPa(0), RUN]) },
        { name: 'rec_psci', status: REC, setup: (lab) => ((lab.rec(recPa(0)).psciPending = true), [recPa(0), RUN]) },
      ];
      if (profile === '1.0') {
        cases.push({ name: 'rec_gicv3', status: REC, setup: (lab) => (lab.rmm.st.memory.writeU64(Number(RUN) + 0x300, 1n), [recPa(0), RUN]) });
      } else {
        cases.push({ name: 'realm_zombie', status: REALM, index: 0, setup: (lab) => ((lab.realm().state = RealmState.ZOMBIE), [recPa(0), RUN]) });
      }
      for (const c of cases) {
        it(`fails ${c.name} alone, changes nothing and writes no exit`, () => {
          const lab = world(profile, {}, !c.fresh);
          const args = c.setup(lab);
          lab.rmm.st.memory.writeU64(Number(EXIT), 0xeeeen);
          const before = lab.fingerprint();
          expectFailure(lab.call(Fid.RMI_REC_ENTER, ...args), c.status, c.name, c.index ?? 0);
          assert.equal(lab.fingerprint(), before);
          assert.equal(u64(lab, EXIT), 0xeeeen);
        });
      }

      for (const checkOrder of ORDERS) {
        it(`input conditions come before realm and REC conditions (check order ${checkOrder})`, () => {
          // A NEW realm (realm_new holds) and a REC with a pending PSCI request (rec_psci holds).
          const lab = world(profile, { checkOrder }, false);
          lab.rec(recPa(0)).psciPending = true;
          lab.delegate(RUN);
          expectFailure(enter(lab), INPUT, 'run_pas');
          expectFailure(enter(lab, recPa(0), OUTSIDE), INPUT, 'run_bound');
          expectFailure(enter(lab, RD, RUN2), INPUT, 'rec_gran_state');
          expectFailure(enter(lab, recPa(0) + 8n, RUN2), INPUT, 'rec_align');
          expectFailure(enter(lab, recPa(0), RUN2), REALM, 'realm_new', 0);
        });
      }

      it('a running REC of a NEW realm: realm_new in spec order, rec_state in TF-RMM order', () => {
        for (const [checkOrder, status, check] of [['spec', REALM, 'realm_new'], ['tf-rmm', REC, 'rec_state']] as const) {
          const lab = world(profile, { checkOrder }, false);
          lab.rmm.st.setRecRunning(recPa(0), true);
          expectFailure(enter(lab), status, check);
        }
      });

      it('with nothing scripted the REC exits with RMI_EXIT_IRQ into a zeroed RmiRecExit', () => {
        const lab = world(profile);
        lab.rmm.memory.write(EXIT, new Uint8Array(0x800).fill(0xa5));
        const o = enter(lab);
        assert.equal(o.status, Status.RMI_SUCCESS);
        assert.equal(u64(lab, EXIT), EXIT_IRQ);
        for (let off = 0x8n; off < 0x800n; off += 8n) assert.equal(u64(lab, EXIT + off), 0n, `exit + 0x${off.toString(16)}`);
        assert.equal(lab.rec(recPa(0)).running, false, 'READY again after the call');
        assert.deepEqual(o.event.changes, []);
      });

      it('reports a scripted emulatable MMIO read, then completes it on the next entry', () => {
        const lab = world(profile);
        const rec = lab.rec(recPa(0));
        const pc = rec.pc;
        lab.rmm.st.queueRecExit(recPa(0), { reason: 'SYNC', esr: dabtEsr(false), far: 0xffff_0000_0000_0123n, hpfar: hpfarOf(UNPROTECTED_IPA) });
        lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
        assert.equal(u64(lab, EXIT), EXIT_SYNC);
        assert.equal(u64(lab, EXIT + 0x100n), dabtEsr(false) & ~((1n << 25n) | (0x1fn << 16n)), 'ISV/SAS/WnR kept; IL and SRT withheld');
        assert.equal(u64(lab, EXIT + 0x108n), 0x123n, 'FAR masked to the offset within the granule');
        assert.equal(u64(lab, EXIT + 0x110n), hpfarOf(UNPROTECTED_IPA));
        assert.equal(rec.emulatableAbort, true);
        setEnterFlags(lab, EMUL_MMIO);
        lab.rmm.st.memory.writeU64(Number(RUN) + 0x200, 0x1_2345_6789n);
        lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
        assert.equal(rec.gprs[5], 0x2345_6789n, 'the 4-byte read loads X5');
        assert.equal(rec.pc, pc + 4n);
        assert.equal(rec.emulatableAbort, false);
        expectFailure(enter(lab), REC, 'rec_mmio');
        setEnterFlags(lab, EMUL_MMIO | INJECT_SEA);
        lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
      });

      it('reports an emulatable MMIO write with its data in gprs[0]', () => {
        const lab = world(profile);
        lab.rmm.st.queueRecExit(recPa(0), { reason: 'SYNC', esr: dabtEsr(true), far: 0x40n, hpfar: hpfarOf(UNPROTECTED_IPA), data: 0xbeefn });
        lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
        assert.equal(u64(lab, EXIT + 0x200n), 0xbeefn);
      });

      it('a data abort at a protected IPA is not emulatable: syndrome trimmed, FAR hidden', () => {
        const lab = world(profile);
        lab.rmm.st.queueRecExit(recPa(0), { reason: 'SYNC', esr: dabtEsr(false), far: 0x1234n, hpfar: hpfarOf(0x4000_0000n) });
        lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
        assert.equal(u64(lab, EXIT + 0x100n), (0x24n << 26n) | 0x07n);
        assert.equal(u64(lab, EXIT + 0x108n), 0n);
        assert.equal(u64(lab, EXIT + 0x110n), hpfarOf(0x4000_0000n));
        setEnterFlags(lab, EMUL_MMIO);
        expectFailure(enter(lab), REC, 'rec_mmio');
      });

      it('a PSCI_CPU_ON request exits with the sanitised call and blocks the REC until PSCI_COMPLETE', () => {
        const lab = world(profile);
        lab.rmm.st.queueRecExit(recPa(0), { reason: 'PSCI', fid: PsciFid.CPU_ON_64, args: [MPIDR_EL1_OF_REC1, 0x8000_1000n, 0x42n] });
        lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
        assert.equal(u64(lab, EXIT), EXIT_PSCI);
        assert.deepEqual([0n, 8n, 16n, 24n].map((o) => u64(lab, EXIT + 0x200n + o)), [PsciFid.CPU_ON_64, MPIDR_EL1_OF_REC1, 0n, 0n]);
        expectFailure(enter(lab), REC, 'rec_psci');
        lab.ok(Fid.RMI_PSCI_COMPLETE, recPa(0), recPa(1), 0n);
        lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
        lab.ok(Fid.RMI_REC_ENTER, recPa(1), RUN);
      });

      it('PSCI_CPU_OFF makes the REC not runnable', () => {
        const lab = world(profile);
        lab.rmm.st.queueRecExit(recPa(0), { reason: 'PSCI', fid: PsciFid.CPU_OFF });
        lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
        assert.equal(lab.rec(recPa(0)).psciPending, false, 'CPU_OFF needs no PSCI_COMPLETE');
        expectFailure(enter(lab), REC, 'rec_runnable');
      });

      it('PSCI_SYSTEM_OFF stops the whole realm: REC_ENTER then fails system_off (index 1)', () => {
        const lab = world(profile);
        lab.rmm.st.queueRecExit(recPa(0), { reason: 'PSCI', fid: PsciFid.SYSTEM_OFF });
        lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
        assert.equal(lab.realm().state, RealmState.SYSTEM_OFF);
        expectFailure(enter(lab), REALM, 'system_off', 1);
      });

      it('a RIPAS change request sets ripas_addr/top/value until the next exit', () => {
        const lab = world(profile);
        const rec = lab.rec(recPa(0));
        lab.rmm.st.queueRecExit(recPa(0), { reason: 'RIPAS_CHANGE', base: 0x10_0000n, top: 0x30_0000n, ripas: Ripas.RAM });
        lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
        assert.equal(u64(lab, EXIT), EXIT_RIPAS_CHANGE);
        assert.deepEqual([0x500n, 0x508n, 0x510n].map((o) => u64(lab, EXIT + o)), [0x10_0000n, 0x30_0000n, BigInt(Ripas.RAM)]);
        assert.deepEqual([rec.ripasAddr, rec.ripasTop, rec.ripasValue], [0x10_0000, 0x30_0000, Ripas.RAM]);
        lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
        assert.deepEqual([rec.ripasAddr, rec.ripasTop], [0, 0]);
        assert.equal(rec.gprs[1], 0x10_0000n, 'the realm learns how far the host got');
      });

      it('a host call exits with imm and registers and stays pending until the next entry', () => {
        const lab = world(profile);
        lab.rmm.st.queueRecExit(recPa(0), { reason: 'HOST_CALL', imm: 0x1234, gprs: [7n, 8n, 9n] });
        lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
        assert.equal(u64(lab, EXIT), EXIT_HOST_CALL);
        assert.equal(u64(lab, EXIT + 0x600n), 0x1234n);
        assert.deepEqual([0n, 8n, 16n].map((o) => u64(lab, EXIT + 0x200n + o)), [7n, 8n, 9n]);
        assert.equal(lab.rec(recPa(0)).hostCallPending, true);
        lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
        assert.equal(lab.rec(recPa(0)).hostCallPending, false);
      });

      it('takes scripted exits in order, then IRQs', () => {
        const lab = world(profile);
        lab.rmm.st.queueRecExit(recPa(0), { reason: 'HOST_CALL', imm: 1 });
        lab.rmm.st.queueRecExit(recPa(0), { reason: 'FIQ' });
        const reasons = [0, 1, 2].map(() => (lab.ok(Fid.RMI_REC_ENTER, recPa(0), RUN), u64(lab, EXIT)));
        assert.deepEqual(reasons, [EXIT_HOST_CALL, 2n, EXIT_IRQ]);
      });
    });
  }

  it('1.0 checks and returns the GIC state; 2.0 has none', () => {
    const v1 = world('1.0');
    v1.rmm.st.memory.writeU64(Number(RUN) + 0x300, 0x40fen);
    v1.rmm.st.memory.writeU64(Number(RUN) + 0x308, (1n << 62n) | 27n);
    v1.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
    assert.equal(u64(v1, EXIT + 0x300n), 0x40fen);
    assert.equal(u64(v1, EXIT + 0x308n), (1n << 62n) | 27n);
    v1.rmm.st.memory.writeU64(Number(RUN) + 0x310, 1n << 61n);
    expectFailure(enter(v1), REC, 'rec_gicv3');
    const v2 = world('2.0');
    v2.rmm.st.memory.writeU64(Number(RUN) + 0x300, 1n);
    v2.ok(Fid.RMI_REC_ENTER, recPa(0), RUN);
    assert.equal(u64(v2, EXIT + 0x300n), 0n);
  });

  it('2.0 with TF-RMM check order reports SYSTEM_OFF with index 0, as TF-RMM main does', () => {
    const lab = world('2.0', { checkOrder: 'tf-rmm' });
    lab.realm().state = RealmState.SYSTEM_OFF;
    expectFailure(enter(lab), REALM, 'system_off', 0);
  });

  it('queueRecExit refuses a PA that holds no REC', () => {
    const lab = world('1.0');
    assert.throws(() => lab.rmm.st.queueRecExit(RTT, { reason: 'IRQ' }), /no REC/);
  });
});
