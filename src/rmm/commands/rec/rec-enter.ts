// RMI_REC_ENTER (spec B4.3.14; reference 5.13): run a REC until it exits to the host. The entry
// checks are the spec's; what the realm does while running is scripted (realm-behaviour.ts), and
// the exit is written to the RmiRecExit half of the run page. 1.0 validates the GIC state the host
// passes in; 2.0 has no GIC fields and adds the ZOMBIE realm state (REALM_TERMINATE).
import { check, type Check, type Command } from '../../checks';
import { Fid, GranuleState, RealmState, Status, type Profile } from '../../constants';
import type { Realm, Rec } from '../../objects';
import type { RmmState } from '../../state';
import { granuleArg, INPUT, nsPage, num } from '../common';
import { completeEntry, runUntilExit } from './realm-behaviour';
import { EnterFlag, gicv3ConfigIsValid, readRecEnter, writeRecExit, type RecEnter } from './rec-run';

interface S {
  st: RmmState;
  recPa: number;
  runPa: number;
  cachedEnter?: RecEnter;
}

const REALM = Status.RMI_ERROR_REALM;
const REC = Status.RMI_ERROR_REC;

function recOf(s: S): Rec | undefined {
  const gi = s.st.gi(s.recPa);
  return gi >= 0 && s.st.granules.state[gi] === GranuleState.REC ? s.st.recs.get(gi) : undefined;
}

function realmOf(s: S): Realm | undefined {
  const r = recOf(s);
  return r ? s.st.realms.get(r.owner) : undefined;
}

/** RmiRecEnter, once the run page is known to be an NS granule. */
function enterOf(s: S): RecEnter | undefined {
  if (s.cachedEnter) return s.cachedEnter;
  const gi = s.st.gi(s.runPa);
  if (gi < 0 || s.st.granules.state[gi] !== GranuleState.UNDELEGATED) return undefined;
  return (s.cachedEnter = readRecEnter(s.st, s.runPa, s.st.profile));
}

// The conditions on the REC and its realm cannot be evaluated without a REC: they count as holding
// then ("fail closed"), so only the spec's orderings keep a bad rec_ptr reported as RMI_ERROR_INPUT.
const realmIs = (state: number) => (s: S) => {
  const realm = realmOf(s);
  return !realm || realm.state === state;
};

function checks(profile: Profile): Check<S>[] {
  const list: Check<S>[] = [
    ...nsPage<S>('run', (s) => s.runPa, 'run_ptr'),
    ...granuleArg<S>('rec', (s) => s.recPa, undefined, 'rec'),
    check<S>('rec_gran_state', INPUT, (s) => !recOf(s), undefined, 'rec granule is not REC'),
    check<S>('realm_new', REALM, realmIs(RealmState.NEW), () => 0, 'the realm is REALM_NEW: not activated yet (index 0)'),
    check<S>('system_off', REALM, realmIs(RealmState.SYSTEM_OFF),
      // TF-RMM main reports index 0 for every state but ACTIVE; the 1.0 spec says index 1.
      (s) => (profile === '2.0' && s.st.options.checkOrder === 'tf-rmm' ? 0 : 1),
      'the realm called PSCI_SYSTEM_OFF or SYSTEM_RESET (index 1)'),
  ];
  if (profile === '2.0') {
    list.push(check<S>('realm_zombie', REALM, realmIs(RealmState.ZOMBIE), () => 0, 'the realm was terminated (REALM_ZOMBIE)'));
  }
  list.push(
    check<S>('rec_state', REC, (s) => recOf(s)?.running ?? true, undefined, 'the REC is running on another CPU (REC_RUNNING)'),
    check<S>('rec_runnable', REC, (s) => !(recOf(s)?.runnable ?? false), undefined, 'the REC is not runnable'),
    check<S>('rec_mmio', REC, (s) => {
      const r = recOf(s);
      const e = enterOf(s);
      if (!r || !e) return true;
      // Spec A4.2.3: with inject_sea set, emul_mmio is ignored.
      const mmio = (e.flags & EnterFlag.EMUL_MMIO) !== 0n && (e.flags & EnterFlag.INJECT_SEA) === 0n;
      return mmio && !r.emulatableAbort;
    }, undefined, 'enter.flags.emul_mmio is set but the last exit was not an emulatable data abort'),
  );
  if (profile === '1.0') {
    list.push(check<S>('rec_gicv3', REC, (s) => {
      const e = enterOf(s);
      return !e || !gicv3ConfigIsValid(e);
    }, undefined, 'enter.gicv3_hcr or enter.gicv3_lrs is not a valid GICv3 configuration'));
  }
  list.push(check<S>('rec_psci', REC, (s) => recOf(s)?.psciPending ?? true, undefined,
    'a PSCI request is pending: the host must call RMI_PSCI_COMPLETE first'));
  return list;
}

function orderings(profile: Profile): [string[], string[]][] {
  const after = ['rec_state', 'rec_runnable', 'rec_mmio', 'realm_new', 'system_off', 'rec_psci'];
  if (profile === '1.0') after.push('rec_gicv3');
  else after.push('realm_zombie');
  return [[['rec_align', 'rec_bound', 'rec_gran_state', 'run_pas', 'run_bound', 'run_align'], after]];
}

/** TF-RMM: run page, then the REC (locked unless running), then realm state, runnable, PSCI, GIC, MMIO. */
function tfRmmOrder(profile: Profile): string[] {
  const head = ['run_align', 'run_bound', 'run_pas', 'rec_align', 'rec_bound', 'rec_gran_state', 'rec_state', 'realm_new', 'system_off'];
  return profile === '1.0'
    ? [...head, 'rec_runnable', 'rec_psci', 'rec_gicv3', 'rec_mmio']
    : [...head, 'realm_zombie', 'rec_runnable', 'rec_psci', 'rec_mmio'];
}

function command(profile: Profile): Command<S> {
  return {
    name: 'RMI_REC_ENTER',
    fid: Fid.RMI_REC_ENTER,
    profiles: [profile],
    checks: checks(profile),
    orderings: orderings(profile),
    tfRmmOrder: tfRmmOrder(profile),
    scope: (st, x) => ({ st, recPa: num(x[0]), runPa: num(x[1]) }),
    touches: (s) => [s.recPa],
    apply(s) {
      const rec = recOf(s)!;
      const enter = enterOf(s)!;
      // REC_RUNNING lasts for the call only: calls are atomic, so the REC is READY again on return.
      completeEntry(rec, enter);
      const exit = runUntilExit(rec, realmOf(s)!, enter);
      writeRecExit(s.st, s.runPa, exit, profile);
    },
  };
}

export const REC_ENTER_1_0 = command('1.0');
export const REC_ENTER_2_0 = command('2.0');
