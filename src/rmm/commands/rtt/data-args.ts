// Failure conditions and the success effect DATA_CREATE (RTT_DATA_MAP_INIT in 2.0) and
// DATA_CREATE_UNKNOWN share: a DELEGATED data granule, an RD, a Protected 4 KB-aligned IPA whose
// level-3 entry exists and is UNASSIGNED (spec B4.3.1, B4.3.2).
import { check, type Check } from '../../checks';
import { GranuleState, RttState, Status } from '../../constants';
import { granuleArg } from '../common';
import { ipaAlign, ipaBoundProtected, realmOf, rttWalk, rtteState, walkOf, type WalkScope } from './rtt-args';
import { writeEntry } from './rtt-entries';
import { PA_LIMIT_NO_LPA2, PAGE_LEVEL } from './rtt-levels';

export interface DataScope extends WalkScope {
  data: number;
  ipa: number;
}

/** data_align, data_bound, data_state, data_bound2. */
export function dataGranuleChecks<S extends DataScope>(): Check<S>[] {
  return [
    ...granuleArg<S>('data', (s) => s.data, GranuleState.DELEGATED, 'data'),
    check<S>('data_bound2', Status.RMI_ERROR_INPUT, (s) => {
      const r = realmOf(s);
      return !!r && !r.lpa2 && s.data >= PA_LIMIT_NO_LPA2;
    }, undefined, 'data is at or above 2^48 and the realm does not use LPA2'),
  ];
}

/** ipa_align, ipa_bound. */
export function dataIpaChecks<S extends DataScope>(): Check<S>[] {
  return [ipaAlign<S>(() => PAGE_LEVEL, 'ipa is not 4 KB aligned'), ipaBoundProtected<S>()];
}

/** rtt_walk, rtte_state: the level-3 entry for ipa exists and is UNASSIGNED. */
export function dataWalkChecks<S extends DataScope>(): Check<S>[] {
  return [
    rttWalk<S>('no level-3 RTT covers ipa: create the missing RTTs first (or ipa is inside a block)'),
    rtteState<S>((state) => state !== RttState.UNASSIGNED, 'ipa is already mapped'),
  ];
}

export const DATA_ORDERINGS_UNKNOWN: readonly (readonly [readonly string[], readonly string[]])[] = [
  [['rd_bound', 'rd_state'], ['rtt_walk', 'rtte_state']],
  [['ipa_bound'], ['rtt_walk', 'rtte_state']],
];

/**
 * The shared success effect: the data granule becomes DATA owned by the realm and the level-3
 * entry ASSIGNED to it with `ripas` (RAM for DATA_CREATE, unchanged for DATA_CREATE_UNKNOWN).
 * Returns the data granule's index.
 */
export function mapData(s: DataScope, ripas: number): number {
  const st = s.st;
  const realm = realmOf(s)!;
  const w = walkOf(s)!;
  const gi = st.granules.index(s.data);
  st.granules.set(gi, GranuleState.DATA, realm.rd);
  writeEntry(st, w.table, w.index, RttState.ASSIGNED, ripas, s.data);
  return gi;
}
