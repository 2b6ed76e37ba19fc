// RMI_RTT_FOLD (spec B4.3.17; reference 5.17): replace a TABLE entry by the single entry its
// homogeneous child RTT folds into (A5.5.6), giving the child's granule back as DELEGATED with
// X1 = its PA. Folding a mixed table is (RMI_ERROR_RTT, level): host code must not assume a fold
// succeeds (reference section 8, item 23).
import { check, type Command } from '../../checks';
import { Fid, RttState, Status } from '../../constants';
import { num, rdArg } from '../common';
import { childTable, ipaAlign, ipaBoundWidth, levelBoundStructure, rttWalk, rtteState, walkOf, type WalkScope } from './rtt-args';
import { releaseRtt, writeEntry } from './rtt-entries';
import { foldResult, type FoldedEntry } from './rtt-fold-rules';
import { levelArg } from './rtt-levels';

interface S extends WalkScope {
  ipa: number;
  level: number;
  fold_?: FoldedEntry | null;
}

function fold(s: S): FoldedEntry | undefined {
  if (s.fold_ === undefined) {
    const t = childTable(s);
    s.fold_ = t ? foldResult(t) ?? null : null;
  }
  return s.fold_ ?? undefined;
}

export const RTT_FOLD: Command<S> = {
  name: 'RMI_RTT_FOLD',
  fid: Fid.RMI_RTT_FOLD,
  profiles: ['1.0', '2.0'],
  checks: [
    ...rdArg<S>(),
    levelBoundStructure<S>(),
    ipaAlign<S>((s) => s.level - 1, 'ipa is not aligned to the range the RTT maps'),
    ipaBoundWidth<S>(),
    rttWalk<S>('no RTT at level - 1 covers ipa'),
    rtteState<S>((state) => state !== RttState.TABLE, 'the entry at level - 1 is not a table'),
    check<S>('rtt_homo', Status.RMI_ERROR_RTT, (s) => childTable(s) !== undefined && fold(s) === undefined,
      (s) => s.level, 'the RTT is not homogeneous (mixed states, RIPAS, attributes, or non-contiguous / unaligned addresses)'),
  ],
  orderings: [
    [['rd_bound', 'rd_state'], ['rtt_walk', 'rtte_state', 'rtt_homo']],
    [['level_bound', 'ipa_bound'], ['rtt_walk', 'rtte_state']],
  ],
  tfRmmOrder: ['rd_align', 'rd_bound', 'rd_state', 'level_bound', 'ipa_bound', 'ipa_align', 'rtt_walk', 'rtte_state', 'rtt_homo'],
  scope: (st, x) => {
    const level = levelArg(x[2]);
    const ipa = num(x[1]);
    return { st, rd: num(x[0]), ipa, level, walkIpa: ipa, walkLevel: level - 1 };
  },
  touches: (s) => [s.rd],
  apply(s, ctx) {
    const w = walkOf(s)!;
    const child = childTable(s)!;
    const f = fold(s)!;
    const pa = w.table.addr[w.index];
    writeEntry(s.st, w.table, w.index, f.state, f.ripas, f.addr, f.attr);
    releaseRtt(s.st, child);
    ctx.out[0] = BigInt(pa);
  },
};
