// The second half of the 2.0 RMI_REC_CREATE, run by RMI_OP_CONTINUE once every requested granule
// has been donated (reference 5.11): the checks the first call deferred, then the REC itself.
// A failing check does not end the command: the RMM starts a reclaim of the donated granules and
// the final RMI_OP_CONTINUE reports the failure (sro.ts).
//
// Spec order is the 1.0 listing (params, rd, realm_state, num_recs, mpidr_index); TF-RMM main
// checks params, rd, its RD refcount limit (num_recs), the realm state, then the MPIDR. Both keep
// the spec's ordering [rd_bound, rd_state] < [realm_state, num_recs].
import { check, type Check, type Outcome } from '../../checks';
import { GranuleState, RealmState, Status } from '../../constants';
import { extendRec } from '../../measurement';
import type { Realm, Rec, SroContext } from '../../objects';
import type { RmmState } from '../../state';
import { INPUT, nsPage, rdArg } from '../common';
import { recIndexOfRmiMpidr } from '../rec/mpidr';
import { readRecParams, REC_FLAG_RUNNABLE, type RecParams } from '../rec/rec-params';
import { startReclaim } from './sro';

interface S {
  st: RmmState;
  rd: number;
  paramsPa: number;
  cached?: RecParams;
}

const REALM = Status.RMI_ERROR_REALM;

function params(s: S): RecParams | undefined {
  if (s.cached) return s.cached;
  const gi = s.st.gi(s.paramsPa);
  if (gi < 0 || s.st.granules.state[gi] !== GranuleState.UNDELEGATED) return undefined;
  return (s.cached = readRecParams(s.st, s.paramsPa));
}

const realmOf = (s: S): Realm | undefined => s.st.realmAt(s.rd);

// Without an RD these hold ("fail closed"); the order keeps rd_* ahead of them anyway.
const BY_NAME = new Map<string, Check<S>>([
  ...nsPage<S>('params', (s) => s.paramsPa, 'params_ptr'),
  ...rdArg<S>(),
  check<S>('realm_state', REALM, (s) => realmOf(s)?.state !== RealmState.NEW, undefined, 'the realm is not REALM_NEW (RECs are created before activation)'),
  check<S>('num_recs', REALM, (s) => {
    const realm = realmOf(s);
    return !realm || realm.numRecs >= 2 ** s.st.options.maxRecsOrder - 1;
  }, undefined, 'the realm already has the maximum number of RECs (2^MAX_RECS_ORDER - 1)'),
  check<S>('mpidr_index', INPUT, (s) => {
    const p = params(s);
    const realm = realmOf(s);
    return !p || !realm || recIndexOfRmiMpidr(p.mpidr) !== realm.recIndex;
  }, undefined, 'params.mpidr does not name the next REC index (or sets SBZ bits)'),
].map((c) => [c.name, c]));

const ORDER = {
  spec: ['params_align', 'params_bound', 'params_pas', 'rd_align', 'rd_bound', 'rd_state', 'realm_state', 'num_recs', 'mpidr_index'],
  'tf-rmm': ['params_align', 'params_bound', 'params_pas', 'rd_align', 'rd_bound', 'rd_state', 'num_recs', 'realm_state', 'mpidr_index'],
} as const;

/** The deferred checks in the order the RMM evaluates them. */
export function recCreateCompletionChecks(order: 'spec' | 'tf-rmm'): Check<S>[] {
  return ORDER[order].map((n) => BY_NAME.get(n)!);
}

/**
 * RMI_OP_CONTINUE of a REC_CREATE whose memory is all in: creates the REC (PARTIAL -> REC, the
 * donated granules become its aux granules, rec_index and num_recs + 1, RD refcount + 1, RIM
 * extended for a runnable REC) and ends the operation; or starts the reclaim of the donated
 * granules, returning RMI_INCOMPLETE named after the failing check.
 */
export function completeRecCreate(st: RmmState, sro: SroContext): Outcome | undefined {
  const s: S = { st, rd: sro.rdPa, paramsPa: sro.paramsPa };
  for (const c of recCreateCompletionChecks(st.options.checkOrder)) {
    if (c.fails(s)) return startReclaim(sro, { status: c.status, index: 0, check: c.name }, c.name);
  }
  const g = st.granules;
  const p = params(s)!;
  const realm = realmOf(s)!;
  for (const gi of sro.held) g.set(gi, GranuleState.REC_AUX, realm.rd);
  g.set(sro.obj, GranuleState.REC, realm.rd);
  const rec: Rec = {
    gi: sro.obj, owner: realm.rd, running: false, runnable: (p.flags & REC_FLAG_RUNNABLE) !== 0n,
    mpidr: p.mpidr, index: realm.recIndex, pc: p.pc, gprs: [...p.gprs, ...new Array<bigint>(24).fill(0n)], aux: [...sro.held],
    psciPending: false, ripasAddr: 0, ripasTop: 0, ripasValue: 0, ripasDestroyed: false, hostCallPending: false,
    emulatableAbort: false,
  };
  st.recs.set(sro.obj, rec);
  realm.recIndex += 1;
  realm.numRecs += 1;
  g.refcount[realm.rd] += 1;
  if (rec.runnable) realm.measurements[0] = extendRec(realm.hashAlgo, realm.measurements[0], p.bytes);
  st.sro.delete(sro.handle);
  return undefined;
}
