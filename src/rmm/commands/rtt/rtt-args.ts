// The scope and the failure conditions the RTT and DATA commands share: the target realm, the
// RTT walk (computed once per call, only when its inputs are valid), level_bound in its three
// spec variants, ipa_align, ipa_bound and rtt_walk.
//
// A check whose inputs are not valid yet (no realm because rd is not an RD, an IPA beyond the
// realm) reports "does not fail": the spec orders rd_* / level_bound / ipa_bound before every
// condition that needs a realm or a walk, so the condition that does fail is always reached.
import { check, type Check } from '../../checks';
import { RttState, Status } from '../../constants';
import type { Realm } from '../../objects';
import type { RttTable, RttWalk } from '../../rtt';
import { INPUT, type Scope } from '../common';
import { ipaLimit, isBlockOrPageLevel, isLevelAligned, isProtected, isStartingLevel, isValidLevel, PAGE_LEVEL } from './rtt-levels';

export interface RttScope extends Scope {
  /** X1: PA of the RD. */
  rd: number;
  /** Cached Realm(rd): undefined until looked up, null when rd is not an RD. */
  realm_?: Realm | null;
}

/** A scope whose command walks the realm's RTT to (walkIpa, walkLevel). */
export interface WalkScope extends RttScope {
  walkIpa: number;
  walkLevel: number;
  walk_?: RttWalk | null;
}

/** Realm(rd), or undefined when rd is not the PA of an RD. */
export function realmOf(s: RttScope): Realm | undefined {
  if (s.realm_ === undefined) s.realm_ = s.st.realmAt(s.rd) ?? null;
  return s.realm_ ?? undefined;
}

/** The walk result, or undefined while its inputs are invalid. */
export function walkOf(s: WalkScope): RttWalk | undefined {
  if (s.walk_ === undefined) {
    const realm = realmOf(s);
    const ok = realm !== undefined && s.walkIpa >= 0 && s.walkIpa < ipaLimit(realm)
      && s.walkLevel >= realm.rttLevelStart && s.walkLevel <= PAGE_LEVEL;
    s.walk_ = ok ? s.st.walk(realm, s.walkIpa, s.walkLevel) : null;
  }
  return s.walk_ ?? undefined;
}

/**
 * The child RTT of RTT_DESTROY / RTT_FOLD: what the TABLE entry the walk reached at level - 1
 * points to; undefined when the walk stopped early or the entry is not TABLE.
 */
export function childTable(s: WalkScope): RttTable | undefined {
  const w = walkOf(s);
  if (!w || w.level !== s.walkLevel || w.table.state[w.index] !== RttState.TABLE) return undefined;
  return s.st.rtts.get(s.st.granules.index(w.table.addr[w.index]));
}

type LevelScope = RttScope & { level: number };
type IpaScope = RttScope & { ipa: number };

/** level_bound of RTT_CREATE / RTT_DESTROY / RTT_FOLD: a valid level that is not the starting level. */
export function levelBoundStructure<S extends LevelScope>(): Check<S> {
  return check<S>('level_bound', INPUT, (s) => {
    const r = realmOf(s);
    return !!r && (!isValidLevel(r, s.level) || isStartingLevel(r, s.level));
  }, undefined, 'level is not a level of this realm below its starting level');
}

/** level_bound of RTT_READ_ENTRY: any valid level, the starting level included. */
export function levelBoundEntry<S extends LevelScope>(): Check<S> {
  return check<S>('level_bound', INPUT, (s) => {
    const r = realmOf(s);
    return !!r && !isValidLevel(r, s.level);
  }, undefined, 'level is not a level of this realm');
}

/** level_bound of RTT_MAP / UNMAP_UNPROTECTED: a level that can hold a block or page (1..3). */
export function levelBoundBlockOrPage<S extends LevelScope>(): Check<S> {
  return check<S>('level_bound', INPUT, (s) => {
    const r = realmOf(s);
    return !!r && !isBlockOrPageLevel(r, s.level);
  }, undefined, 'level is not a block or page level');
}

/** ipa_align: ipa aligned to the size an entry at `alignLevel(s)` maps (false for nonexistent levels). */
export function ipaAlign<S extends IpaScope>(alignLevel: (s: S) => number, doc: string): Check<S> {
  return check<S>('ipa_align', INPUT, (s) => !isLevelAligned(s.ipa, alignLevel(s)), undefined, doc);
}

/** ipa_bound for the structure/read commands: ipa >= 2^ipa_width. */
export function ipaBoundWidth<S extends IpaScope>(): Check<S> {
  return check<S>('ipa_bound', INPUT, (s) => {
    const r = realmOf(s);
    return !!r && s.ipa >= ipaLimit(r);
  }, undefined, 'ipa is beyond the realm IPA width');
}

/** ipa_bound for the DATA commands: ipa must be a Protected IPA. */
export function ipaBoundProtected<S extends IpaScope>(): Check<S> {
  return check<S>('ipa_bound', INPUT, (s) => {
    const r = realmOf(s);
    return !!r && !isProtected(r, s.ipa);
  }, undefined, 'ipa is not a Protected IPA');
}

/** ipa_bound for the unprotected mapping commands: inside the IPA space and not Protected. */
export function ipaBoundUnprotected<S extends IpaScope>(): Check<S> {
  return check<S>('ipa_bound', INPUT, (s) => {
    const r = realmOf(s);
    return !!r && (s.ipa >= ipaLimit(r) || isProtected(r, s.ipa));
  }, undefined, 'ipa is beyond the IPA width or is a Protected IPA');
}

/** rtt_walk: the walk stopped above `s.walkLevel`; reported with the level it reached. */
export function rttWalk<S extends WalkScope>(doc: string): Check<S> {
  return check<S>('rtt_walk', Status.RMI_ERROR_RTT, (s) => {
    const w = walkOf(s);
    return !!w && w.level < s.walkLevel;
  }, (s) => walkOf(s)!.level, doc);
}

/** A check on the entry the walk reached, reported as (RMI_ERROR_RTT, walk.level). */
export function rtteState<S extends WalkScope>(fails: (state: number, ripas: number, s: S) => boolean, doc: string): Check<S> {
  return check<S>('rtte_state', Status.RMI_ERROR_RTT, (s) => {
    const w = walkOf(s);
    return !!w && fails(w.table.state[w.index], w.table.ripas[w.index], s);
  }, (s) => walkOf(s)!.level, doc);
}
