// RMI_RTT_CREATE (spec B4.3.15; reference 5.15): hang a DELEGATED granule into the realm's RTT
// tree as a level `level` table under the level-1 entry covering `ipa`. Under an UNASSIGNED,
// UNASSIGNED_NS or block (ASSIGNED / ASSIGNED_NS) entry the new table is unfolded from it
// (A5.5.7). "Parent already TABLE" is the host's normal race outcome (reference section 8, item 8).
import { check, type Command } from '../../checks';
import { Fid, GranuleState, RttState, Status } from '../../constants';
import { granuleArg, num, rdArg } from '../common';
import { ipaAlign, ipaBoundWidth, levelBoundStructure, realmOf, rttWalk, rtteState, walkOf, type WalkScope } from './rtt-args';
import { writeEntry } from './rtt-entries';
import { unfoldInto } from './rtt-fold-rules';
import { levelArg, PA_LIMIT_NO_LPA2 } from './rtt-levels';

interface S extends WalkScope {
  rtt: number;
  ipa: number;
  level: number;
}

export const RTT_CREATE: Command<S> = {
  name: 'RMI_RTT_CREATE',
  fid: Fid.RMI_RTT_CREATE,
  profiles: ['1.0', '2.0'],
  checks: [
    ...rdArg<S>(),
    levelBoundStructure<S>(),
    ipaAlign<S>((s) => s.level - 1, 'ipa is not aligned to the range the new RTT maps'),
    ipaBoundWidth<S>(),
    ...granuleArg<S>('rtt', (s) => s.rtt, GranuleState.DELEGATED, 'rtt'),
    check<S>('rtt_bound2', Status.RMI_ERROR_INPUT, (s) => {
      const r = realmOf(s);
      return !!r && !r.lpa2 && s.rtt >= PA_LIMIT_NO_LPA2;
    }, undefined, 'rtt is at or above 2^48 and the realm does not use LPA2'),
    rttWalk<S>('no RTT at level - 1 covers ipa yet: create the missing levels first'),
    rtteState<S>((state) => state === RttState.TABLE, 'an RTT already exists at this level for ipa'),
  ],
  orderings: [
    [['rd_bound', 'rd_state'], ['rtt_walk', 'rtte_state']],
    [['level_bound', 'ipa_bound'], ['rtt_walk', 'rtte_state']],
  ],
  // TF-RMM locks rtt and rd together, validates level and ipa, then the 2^48 limit, then walks.
  tfRmmOrder: [
    'rd_align', 'rd_bound', 'rd_state', 'rtt_align', 'rtt_bound', 'rtt_state', 'level_bound', 'ipa_bound', 'ipa_align',
    'rtt_bound2', 'rtt_walk', 'rtte_state',
  ],
  scope: (st, x) => {
    const level = levelArg(x[3]);
    const ipa = num(x[2]);
    return { st, rd: num(x[0]), rtt: num(x[1]), ipa, level, walkIpa: ipa, walkLevel: level - 1 };
  },
  touches: (s) => [s.rd, s.rtt],
  apply(s) {
    const st = s.st;
    const realm = realmOf(s)!;
    const w = walkOf(s)!;
    const gi = st.granules.index(s.rtt);
    st.granules.set(gi, GranuleState.RTT, realm.rd);
    st.memory.wipe(gi); // the RMM writes a whole table over whatever the granule held
    const child = st.newRtt(gi, realm, s.level, s.ipa);
    unfoldInto(st, child, w.table, w.index);
    writeEntry(st, w.table, w.index, RttState.TABLE, 0, s.rtt);
  },
};
