// RMI_PSCI_COMPLETE (spec B4.3.7; reference 5.14), with the 1.0 / 2.0-bet1 signature in both
// profiles: X1 calling_rec, X2 target_rec, X3 status. The host names the REC the realm's pending
// PSCI_CPU_ON / PSCI_AFFINITY_INFO targets; the RMM checks it and completes the request.
import { check, type Command } from '../../checks';
import { Fid, GranuleState } from '../../constants';
import type { Rec } from '../../objects';
import type { RmmState } from '../../state';
import { granuleArg, INPUT, num } from '../common';
import { recIndexOfMpidrEl1 } from './mpidr';
import { AffinityInfo, decodePsci, encodePsci, isAffinityInfo, isCpuOn, PsciReturn } from './psci';
import { regBig } from '../../u64';

interface S {
  st: RmmState;
  calling: number;
  target: number;
  status: bigint;
}

function recAt(st: RmmState, pa: number): Rec | undefined {
  const gi = st.gi(pa);
  return gi >= 0 && st.granules.state[gi] === GranuleState.REC ? st.recs.get(gi) : undefined;
}

/** Spec PsciReturnCodePermitted: SUCCESS always; DENIED only for CPU_ON of a REC that is not on. */
function psciReturnCodePermitted(calling: Rec, target: Rec, status: bigint): boolean {
  const v = decodePsci(status);
  if (v === PsciReturn.SUCCESS) return true;
  return isCpuOn(calling.gprs[0]) && !target.runnable && v === PsciReturn.DENIED;
}

// Conditions on the two RECs count as holding while either is missing ("fail closed").
type Pair = { c: Rec; t: Rec };
const both = (s: S): Pair | undefined => {
  const c = recAt(s.st, s.calling);
  const t = recAt(s.st, s.target);
  return c && t ? { c, t } : undefined;
};

export const PSCI_COMPLETE: Command<S> = {
  name: 'RMI_PSCI_COMPLETE',
  fid: Fid.RMI_PSCI_COMPLETE,
  profiles: ['1.0', '2.0'],
  checks: [
    check<S>('alias', INPUT, (s) => s.calling === s.target, undefined, 'calling_rec and target_rec are the same REC'),
    ...granuleArg<S>('calling', (s) => s.calling, GranuleState.REC, 'calling_rec'),
    ...granuleArg<S>('target', (s) => s.target, GranuleState.REC, 'target_rec'),
    check<S>('pending', INPUT, (s) => !(recAt(s.st, s.calling)?.psciPending ?? false), undefined,
      'the calling REC has no PSCI request pending'),
    check<S>('owner', INPUT, (s) => {
      const p = both(s);
      return !p || p.c.owner !== p.t.owner;
    }, undefined, 'the two RECs belong to different realms'),
    check<S>('target', INPUT, (s) => {
      const p = both(s);
      // The realm passed the target MPIDR (MPIDR_EL1 layout) in X1 of its PSCI call.
      return !p || recIndexOfMpidrEl1(p.c.gprs[1]) !== p.t.index;
    }, undefined, 'target_rec is not the REC whose MPIDR the realm asked for'),
    check<S>('status', INPUT, (s) => {
      const p = both(s);
      return !p || !psciReturnCodePermitted(p.c, p.t, s.status);
    }, undefined, 'status is not a permitted answer to this PSCI request'),
  ],
  orderings: [],
  // TF-RMM 1.0: both alignments, then both RECs locked in address order (a duplicate is found
  // while locking the second), then pending, owner, target MPIDR and status.
  tfRmmOrder: ['calling_align', 'target_align', 'calling_bound', 'calling_state', 'alias', 'target_bound', 'target_state',
    'pending', 'owner', 'target', 'status'],
  scope: (st, x) => ({ st, calling: num(x[0]), target: num(x[1]), status: regBig(x[2]) }),
  touches: (s) => [s.calling, s.target],
  apply(s) {
    const { c, t } = both(s)!;
    const fid = c.gprs[0];
    if (decodePsci(s.status) !== PsciReturn.SUCCESS) {
      c.gprs[0] = s.status;
    } else if (isCpuOn(fid)) {
      if (t.runnable) {
        c.gprs[0] = encodePsci(PsciReturn.ALREADY_ON);
      } else {
        // The new CPU starts at the realm's entry point with its context id in X0.
        t.gprs = [c.gprs[3], ...new Array<bigint>(31).fill(0n)];
        t.pc = c.gprs[2];
        t.runnable = true;
        c.gprs[0] = encodePsci(PsciReturn.SUCCESS);
      }
    } else if (isAffinityInfo(fid)) {
      c.gprs[0] = t.runnable ? AffinityInfo.ON : AffinityInfo.OFF;
    }
    c.gprs[1] = c.gprs[2] = c.gprs[3] = 0n;
    c.psciPending = false;
  },
};
