// RMI_REC_CREATE, 1.0 (spec B4.3.12; reference 5.11): turn a DELEGATED granule into a REC of a
// NEW realm, with the host-supplied auxiliary granules (num_aux / aux[] of RmiRecParams) becoming
// REC_AUX. RECs must be created in MPIDR index order; a runnable REC extends the RIM. The 2.0
// command (memory donated through an SRO instead of aux[]) lives in commands/v2.
import { check, type Command } from '../../checks';
import { Fid, GRANULE_SIZE, GranuleState, RealmState, Status } from '../../constants';
import { extendRec } from '../../measurement';
import type { Realm, Rec } from '../../objects';
import type { RmmState } from '../../state';
import { granuleArg, INPUT, nsPage, num, rdArg } from '../common';
import { recIndexOfRmiMpidr } from './mpidr';
import { MAX_AUX, readRecParams, recAuxCount, REC_FLAG_RUNNABLE, type RecParams } from './rec-params';

interface S {
  st: RmmState;
  rd: number;
  rec: number;
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

/** The first num_aux entries of aux[] (the spec's functions assert num_aux <= 16). */
function auxList(p: RecParams): number[] {
  return p.aux.slice(0, Number(p.numAux > BigInt(MAX_AUX) ? BigInt(MAX_AUX) : p.numAux));
}

/** Spec AuxAlias: an aux address equals the REC or another aux address. */
function auxAlias(rec: number, aux: readonly number[]): boolean {
  const seen = new Set<number>();
  for (const pa of aux) {
    if (pa === rec || seen.has(pa)) return true;
    seen.add(pa);
  }
  return false;
}

// Conditions on the realm or the params page count as holding while those cannot be read ("fail
// closed"): only the spec's orderings keep a bad rd reported as RMI_ERROR_INPUT, not REALM.
const CHECKS = [
  ...nsPage<S>('params', (s) => s.paramsPa, 'params_ptr'),
  ...granuleArg<S>('rec', (s) => s.rec, GranuleState.DELEGATED, 'rec'),
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
  check<S>('num_aux', INPUT, (s) => {
    const p = params(s);
    return !p || p.numAux !== BigInt(recAuxCount(s.st));
  }, undefined, 'params.num_aux differs from RMI_REC_AUX_COUNT'),
  check<S>('aux_align', INPUT, (s) => {
    const p = params(s);
    return !p || auxList(p).some((pa) => pa % GRANULE_SIZE !== 0);
  }, undefined, 'an aux granule address is not 4 KB aligned'),
  check<S>('aux_alias', INPUT, (s) => {
    const p = params(s);
    return !p || auxAlias(s.rec, auxList(p));
  }, undefined, 'an aux granule is the REC itself or is listed twice'),
  check<S>('aux_state', INPUT, (s) => {
    const p = params(s);
    return !p || auxList(p).some((pa) => s.st.stateOf(s.st.gi(pa)) !== GranuleState.DELEGATED);
  }, undefined, 'an aux granule is not DELEGATED (or not delegable)'),
];

function apply(s: S): void {
  const st = s.st;
  const g = st.granules;
  const p = params(s)!;
  const realm = realmOf(s)!;
  const recGi = g.index(s.rec);
  const aux = auxList(p).map((pa) => g.index(pa));
  // TF-RMM moves the aux granules first, then the REC; the order shows in the trace only.
  for (const gi of aux) g.set(gi, GranuleState.REC_AUX, realm.rd);
  g.set(recGi, GranuleState.REC, realm.rd);
  const rec: Rec = {
    gi: recGi, owner: realm.rd, running: false, runnable: (p.flags & REC_FLAG_RUNNABLE) !== 0n,
    mpidr: p.mpidr, index: realm.recIndex, pc: p.pc, gprs: [...p.gprs, ...new Array<bigint>(24).fill(0n)], aux,
    psciPending: false, ripasAddr: 0, ripasTop: 0, ripasValue: 0, ripasDestroyed: false, hostCallPending: false,
    emulatableAbort: false,
  };
  st.recs.set(recGi, rec);
  realm.recIndex += 1;
  realm.numRecs += 1;
  // The RD's refcount is its number of RECs (TF-RMM); REALM_DESTROY's liveness reads num_recs.
  g.refcount[realm.rd] += 1;
  if (rec.runnable) realm.measurements[0] = extendRec(realm.hashAlgo, realm.measurements[0], p.bytes);
}

export const REC_CREATE_1_0: Command<S> = {
  name: 'RMI_REC_CREATE',
  fid: Fid.RMI_REC_CREATE,
  profiles: ['1.0'],
  checks: CHECKS,
  orderings: [[['rd_bound', 'rd_state'], ['realm_state', 'num_recs']]],
  // TF-RMM 1.0: params page, then each aux granule locked as DELEGATED, then rec and rd, then the
  // RD refcount limit, realm state, MPIDR index and, last, num_aux against the realm's aux count.
  tfRmmOrder: [
    'params_align', 'params_bound', 'params_pas', 'aux_align', 'aux_alias', 'aux_state', 'rec_align', 'rec_bound', 'rec_state',
    'rd_align', 'rd_bound', 'rd_state', 'num_recs', 'realm_state', 'mpidr_index', 'num_aux',
  ],
  scope: (st, x) => ({ st, rd: num(x[0]), rec: num(x[1]), paramsPa: num(x[2]) }),
  touches: (s) => {
    const p = params(s);
    return [s.rd, s.rec, ...(p ? auxList(p) : [])];
  },
  apply,
};
