// RMI_RTT_UNMAP_UNPROTECTED (1.0, spec B4.3.22; reference 5.25): remove an NS mapping at an
// Unprotected IPA. X1 = top on success and on RMI_ERROR_RTT:
//   mapped at the target level     SUCCESS,             top > ipa
//   not mapped                     (RTT, <= level),     top > ipa
//   mapped by a bigger block       (RTT, < level),      top == ipa
import type { Command } from '../../checks';
import { Fid, Ripas, RttState, Status } from '../../constants';
import { num, rdArg } from '../common';
import { ipaAlign, ipaBoundUnprotected, levelBoundBlockOrPage, rttWalk, rtteState, walkOf, type WalkScope } from './rtt-args';
import { writeEntry } from './rtt-entries';
import { levelArg } from './rtt-levels';
import { walkTopNonLive } from './rtt-scan';

interface S extends WalkScope {
  ipa: number;
  level: number;
}

export const RTT_UNMAP_UNPROTECTED: Command<S> = {
  name: 'RMI_RTT_UNMAP_UNPROTECTED',
  fid: Fid.RMI_RTT_UNMAP_UNPROTECTED,
  profiles: ['1.0'],
  checks: [
    ...rdArg<S>(),
    levelBoundBlockOrPage<S>(),
    ipaAlign<S>((s) => s.level, 'ipa is not aligned to the level'),
    ipaBoundUnprotected<S>(),
    rttWalk<S>('no RTT at level covers ipa (not mapped, or mapped by a bigger block)'),
    rtteState<S>((state) => state !== RttState.ASSIGNED_NS, 'ipa is not mapped'),
  ],
  orderings: [
    [['rd_bound', 'rd_state'], ['rtt_walk', 'rtte_state']],
    [['level_bound', 'ipa_bound'], ['rtt_walk', 'rtte_state']],
  ],
  tfRmmOrder: ['level_bound', 'rd_align', 'rd_bound', 'rd_state', 'ipa_bound', 'ipa_align', 'rtt_walk', 'rtte_state'],
  scope: (st, x) => {
    const level = levelArg(x[2]);
    const ipa = num(x[1]);
    return { st, rd: num(x[0]), ipa, level, walkIpa: ipa, walkLevel: level };
  },
  touches: (s) => [s.rd],
  onError(s, o, out) {
    const w = walkOf(s);
    if (o.status === Status.RMI_ERROR_RTT && w) out[0] = BigInt(walkTopNonLive(w, s.ipa));
  },
  apply(s, ctx) {
    const w = walkOf(s)!;
    writeEntry(s.st, w.table, w.index, RttState.UNASSIGNED_NS, Ripas.EMPTY);
    ctx.out[0] = BigInt(walkTopNonLive(w, s.ipa));
  },
};
