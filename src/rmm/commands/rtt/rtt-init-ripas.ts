// RMI_RTT_INIT_RIPAS (spec B4.3.18; reference 5.18): while the realm is NEW, set RIPAS RAM on the
// entries of [base, top) that one RTT holds, starting at the entry the walk to base reaches
// (possibly a block), and return X1 = out_top so the host can call again from there.
// 1.0: each entry processed extends the RIM with a RIPAS descriptor {entry IPA, entry end}.
// 2.0 (TF-RMM main, Linux v14): not measured, and ASSIGNED entries with RIPAS EMPTY become RAM too.
//
// Which entries are processed. 1.0 follows the spec's formal conditions (B4.3.18): the entry at
// base must be UNASSIGNED (rtte_state, any RIPAS), and walk_top = RttSkipEntriesWithRipas(..., FALSE)
// stops only at a TABLE entry or top, so later ASSIGNED entries of the same RTT get RIPAS RAM too
// and are measured (rtte_ripas). TF-RMM 1.0 instead stops at the first entry that is not
// UNASSIGNED with RIPAS EMPTY or RAM; the spec wins here. 2.0 follows TF-RMM main: (UN)ASSIGNED
// with RIPAS EMPTY or RAM. Processing stops at the first entry that is refused or that crosses top.
import { check, type Command } from '../../checks';
import { Fid, GRANULE_SIZE, RealmState, Ripas, RttState, Status, type Profile } from '../../constants';
import { extendRipas } from '../../measurement';
import { INPUT, num, rdArg } from '../common';
import { realmOf, rtteState, walkOf, type WalkScope } from './rtt-args';
import { isLevelAligned, isProtected, PAGE_LEVEL } from './rtt-levels';
import { scanEntries } from './rtt-scan';

interface S extends WalkScope {
  base: number;
  top: number;
  scan_?: number;
}

type Accept = (state: number, ripas: number) => boolean;

const ACCEPT: Record<Profile, Accept> = {
  // Inside the Protected IPA space (top_bound) an entry is UNASSIGNED, ASSIGNED or TABLE.
  '1.0': (state) => state !== RttState.TABLE,
  '2.0': (state, ripas) => (state === RttState.UNASSIGNED || state === RttState.ASSIGNED) && (ripas === Ripas.EMPTY || ripas === Ripas.RAM),
};

function command(profile: Profile): Command<S> {
  const accept = ACCEPT[profile];
  /** End of the processable run from base (the spec's walk_top, refined by `accept`). */
  const scanEnd = (s: S): number => {
    if (s.scan_ === undefined) s.scan_ = scanEntries(walkOf(s)!, s.top, accept);
    return s.scan_;
  };
  const walkLevel = (s: S) => walkOf(s)!.level;
  return {
    name: 'RMI_RTT_INIT_RIPAS',
    fid: Fid.RMI_RTT_INIT_RIPAS,
    profiles: [profile],
    checks: [
      ...rdArg<S>(),
      check<S>('size_valid', INPUT, (s) => s.top <= s.base, undefined, 'top is not above base'),
      check<S>('top_bound', INPUT, (s) => {
        const r = realmOf(s);
        return !!r && (s.top < GRANULE_SIZE || !isProtected(r, s.top - GRANULE_SIZE));
      }, undefined, 'the range reaches beyond the Protected IPA space'),
      check<S>('realm_state', Status.RMI_ERROR_REALM, (s) => {
        const r = realmOf(s);
        return !!r && r.state !== RealmState.NEW;
      }, undefined, 'the realm is not NEW (RIPAS can only be initialised before activation)'),
      check<S>('base_align', Status.RMI_ERROR_RTT, (s) => {
        const w = walkOf(s);
        return !!w && !isLevelAligned(s.base, w.level);
      }, walkLevel, 'base is inside the entry the walk reached: create a deeper RTT first'),
      rtteState<S>((state, ripas) => (profile === '1.0' ? state !== RttState.UNASSIGNED : !accept(state, ripas)),
        profile === '1.0' ? 'the entry at base is not UNASSIGNED' : 'the entry at base has RIPAS DESTROYED or is not a protected mapping'),
      check<S>('top_gran_align', INPUT, (s) => s.top % GRANULE_SIZE !== 0, undefined, 'top is not 4 KB aligned'),
      check<S>('no_progress', Status.RMI_ERROR_RTT, (s) => walkOf(s) !== undefined && isLevelAligned(s.base, walkLevel(s)) && scanEnd(s) === s.base,
        walkLevel, 'the entry at base is larger than [base, top): create a deeper RTT first'),
    ],
    orderings: [
      [['rd_bound', 'rd_state'], ['realm_state']],
      [['rd_bound', 'rd_state'], ['base_align', 'rtte_state']],
      [['rd_bound', 'rd_state'], ['no_progress']],
      [['top_gran_align'], ['no_progress']],
    ],
    // TF-RMM checks the range first, then rd, then the range against the realm, its state, and walks.
    tfRmmOrder: [
      'size_valid', 'rd_align', 'rd_bound', 'rd_state', 'top_gran_align', 'top_bound', 'realm_state',
      'base_align', 'rtte_state', 'no_progress',
    ],
    scope: (st, x) => {
      const base = num(x[1]);
      return { st, rd: num(x[0]), base, top: num(x[2]), walkIpa: base, walkLevel: PAGE_LEVEL };
    },
    touches: (s) => [s.rd],
    apply(s, ctx) {
      const realm = realmOf(s)!;
      const w = walkOf(s)!;
      const t = w.table;
      let rim = realm.measurements[0];
      const end = scanEntries(w, s.top, accept, (i, ipa, next) => {
        t.ripas[i] = Ripas.RAM; // RIPAS only: HIPAS and liveness are unchanged
        if (profile === '1.0') rim = extendRipas(realm.hashAlgo, rim, BigInt(ipa), BigInt(next));
      });
      realm.measurements[0] = rim;
      ctx.out[0] = BigInt(end);
    },
  };
}

export const RTT_INIT_RIPAS_1_0 = command('1.0');
export const RTT_INIT_RIPAS_2_0 = command('2.0');
