// RMI_RTT_SET_RIPAS (spec B4.3.21; reference 5.19): carry out the RIPAS change a REC asked for
// (RSI_IPA_STATE_SET exit: rec.ripas_addr .. rec.ripas_top, to rec.ripas_value) over the part of
// [base, top) that one RTT holds; X1 = out_top, which also becomes rec.ripas_addr. No realm-state
// condition. Entries with RIPAS DESTROYED stop the change unless the realm allowed changing them
// (rec.ripas_destroyed).
//
// The spec lets a change proceed without splitting a block when the entry at base already has
// the requested RIPAS (base_align and no_progress only hold when the RIPAS differs). Such an
// entry counts as done up to min(its end, top); the spec's own formula would report
// out_top == base (or below it) there, and TF-RMM reports an error instead.
import { check, type Check, type Command } from '../../checks';
import { Fid, GRANULE_SIZE, GranuleState, Ripas, RttState, Status, type Profile } from '../../constants';
import type { Rec } from '../../objects';
import { granuleArg, INPUT, num, rdArg } from '../common';
import { walkOf, type WalkScope } from './rtt-args';
import { entryIpa } from './rtt-entries';
import { alignDown, entrySize, isLevelAligned, PAGE_LEVEL } from './rtt-levels';

interface S extends WalkScope {
  recPa: number;
  base: number;
  top: number;
  progress_?: number;
}

/** Rec(rec_ptr), when the granule is a REC. */
function recOf(s: S): Rec | undefined {
  const gi = s.st.gi(s.recPa);
  return gi >= 0 && s.st.granules.state[gi] === GranuleState.REC ? s.st.recs.get(gi) : undefined;
}

/** RIPAS of the entry the walk to base reached. */
function ripasAtBase(s: S): number {
  const w = walkOf(s)!;
  return w.table.ripas[w.index];
}

/** Whether an entry may take part in the change: a protected entry not stopped by DESTROYED. */
function changeable(rec: Rec, state: number, ripas: number): boolean {
  if (state !== RttState.UNASSIGNED && state !== RttState.ASSIGNED) return false;
  return rec.ripasDestroyed || ripas !== Ripas.DESTROYED;
}

/** min(top, walk_top): the end of the change this call makes; base when it can make none. */
function progress(s: S): number {
  if (s.progress_ !== undefined) return s.progress_;
  const rec = recOf(s)!;
  const w = walkOf(s)!;
  const t = w.table;
  const size = entrySize(w.level);
  let i = w.index;
  let addr = alignDown(s.base, w.level);
  if (t.ripas[i] === rec.ripasValue && changeable(rec, t.state[i], t.ripas[i])) {
    // Already what the realm asked for: no need to split it, even where it crosses base or top.
    if (addr + size >= s.top) return (s.progress_ = s.top);
    addr += size;
    i++;
  }
  for (; i < t.entries; i++) {
    const next = addr + size;
    if (next > s.top || !changeable(rec, t.state[i], t.ripas[i])) break;
    addr = next;
  }
  return (s.progress_ = Math.max(addr, s.base));
}

const walkLevel = (s: S) => walkOf(s)!.level;

function checks(): Check<S>[] {
  return [
    ...rdArg<S>(),
    ...granuleArg<S>('rec', (s) => s.recPa, undefined, 'rec_ptr'),
    check<S>('rec_gran_state', INPUT, (s) => s.st.stateOf(s.st.granules.index(s.recPa)) !== GranuleState.REC, undefined,
      'rec_ptr granule is not a REC'),
    check<S>('rec_state', Status.RMI_ERROR_REC, (s) => !!recOf(s)?.running, undefined, 'the REC is running'),
    check<S>('rec_owner', Status.RMI_ERROR_REC, (s) => {
      const rec = recOf(s);
      return !!rec && s.st.granules.pa(rec.owner) !== s.rd;
    }, undefined, 'the REC belongs to another realm'),
    check<S>('size_valid', INPUT, (s) => s.top <= s.base, undefined, 'top is not above base'),
    check<S>('base_bound', INPUT, (s) => {
      const rec = recOf(s);
      return !!rec && s.base !== rec.ripasAddr;
    }, undefined, 'base is not where the pending RIPAS change continues (rec.ripas_addr)'),
    check<S>('top_bound', INPUT, (s) => {
      const rec = recOf(s);
      return !!rec && s.top > rec.ripasTop;
    }, undefined, 'top is beyond the end of the requested RIPAS change (rec.ripas_top)'),
    check<S>('base_align', Status.RMI_ERROR_RTT, (s) => {
      const w = walkOf(s);
      const rec = recOf(s);
      return !!w && !!rec && !isLevelAligned(s.base, w.level) && ripasAtBase(s) !== rec.ripasValue;
    }, walkLevel, 'base is inside a larger entry whose RIPAS must change: create a deeper RTT first'),
    check<S>('top_gran_align', INPUT, (s) => s.top % GRANULE_SIZE !== 0, undefined, 'top is not 4 KB aligned'),
    check<S>('no_progress', Status.RMI_ERROR_RTT, (s) => {
      const w = walkOf(s);
      const rec = recOf(s);
      if (!w || !rec || s.top <= s.base || ripasAtBase(s) === rec.ripasValue) return false;
      return isLevelAligned(s.base, w.level) && progress(s) === s.base;
    }, walkLevel, 'the entry at base crosses top or may not change (DESTROYED): nothing could be changed'),
  ];
}

const ORDERINGS: readonly (readonly [readonly string[], readonly string[]])[] = [
  [['rd_bound', 'rd_state'], ['base_align']],
  [['rd_bound', 'rd_state'], ['no_progress']],
  [['rec_bound', 'rec_gran_state'], ['rec_state', 'rec_owner']],
  [['base_bound'], ['base_align']],
  [['top_gran_align'], ['no_progress']],
];

const REC_AND_RANGE = ['rd_align', 'rd_bound', 'rd_state', 'rec_align', 'rec_bound', 'rec_gran_state', 'rec_state', 'rec_owner', 'base_bound', 'top_bound'];

/** TF-RMM 1.0 does not check top alignment itself (an unaligned top just stops the change); TF-RMM main checks it first. */
const TF_RMM_ORDER: Record<Profile, string[]> = {
  '1.0': ['size_valid', ...REC_AND_RANGE, 'base_align', 'top_gran_align', 'no_progress'],
  '2.0': ['size_valid', 'top_gran_align', ...REC_AND_RANGE, 'base_align', 'no_progress'],
};

function command(profile: Profile): Command<S> {
  return {
    name: 'RMI_RTT_SET_RIPAS',
    fid: Fid.RMI_RTT_SET_RIPAS,
    profiles: [profile],
    checks: checks(),
    orderings: ORDERINGS,
    tfRmmOrder: TF_RMM_ORDER[profile],
    scope: (st, x) => {
      const base = num(x[2]);
      return { st, rd: num(x[0]), recPa: num(x[1]), base, top: num(x[3]), walkIpa: base, walkLevel: PAGE_LEVEL };
    },
    touches: (s) => [s.rd, s.recPa],
    apply(s, ctx) {
      const rec = recOf(s)!;
      const w = walkOf(s)!;
      const t = w.table;
      const end = progress(s);
      for (let i = w.index; i < t.entries && entryIpa(t, i) < end; i++) t.ripas[i] = rec.ripasValue;
      rec.ripasAddr = end;
      ctx.out[0] = BigInt(end);
    },
  };
}

export const RTT_SET_RIPAS_1_0 = command('1.0');
export const RTT_SET_RIPAS_2_0 = command('2.0');
