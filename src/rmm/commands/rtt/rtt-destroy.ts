// RMI_RTT_DESTROY (spec B4.3.16; reference 5.16): unhook a non-live RTT (no ASSIGNED, no TABLE
// entry; ASSIGNED_NS is allowed) and give its granule back as DELEGATED, X1 = its PA. X2 = top
// also on RMI_ERROR_RTT, so a host tearing a realm down can skip empty IPA space:
//   destroyed            SUCCESS,          top > ipa
//   missing RTT          (RTT, < level),   top > ipa
//   block mapping above  (RTT, < level),   top == ipa
//   live RTT             (RTT, level),     top == ipa
// Destroying bottom-up is the host's job (reference section 8, item 6).
import { check, type Command } from '../../checks';
import { Fid, Ripas, RttState, Status } from '../../constants';
import { num, rdArg } from '../common';
import { childTable, ipaAlign, ipaBoundWidth, levelBoundStructure, realmOf, rttWalk, rtteState, walkOf, type WalkScope } from './rtt-args';
import { releaseRtt, writeEntry } from './rtt-entries';
import { isProtected, levelArg } from './rtt-levels';
import { walkTopNonLive } from './rtt-scan';

interface S extends WalkScope {
  ipa: number;
  level: number;
}

export const RTT_DESTROY: Command<S> = {
  name: 'RMI_RTT_DESTROY',
  fid: Fid.RMI_RTT_DESTROY,
  profiles: ['1.0', '2.0'],
  checks: [
    ...rdArg<S>(),
    levelBoundStructure<S>(),
    ipaAlign<S>((s) => s.level - 1, 'ipa is not aligned to the range the RTT maps'),
    ipaBoundWidth<S>(),
    rttWalk<S>('no RTT at level - 1 covers ipa: the RTT is missing'),
    rtteState<S>((state) => state !== RttState.TABLE, 'the entry at level - 1 is not a table (missing RTT or a block mapping)'),
    check<S>('rtt_live', Status.RMI_ERROR_RTT, (s) => {
      const t = childTable(s);
      return !!t && s.st.granules.refcount[t.gi] !== 0;
    }, (s) => s.level, 'the RTT still has ASSIGNED or TABLE entries: unmap and destroy below it first'),
  ],
  orderings: [
    [['rd_bound', 'rd_state'], ['rtt_walk', 'rtte_state', 'rtt_live']],
    [['level_bound', 'ipa_bound'], ['rtt_walk', 'rtte_state']],
  ],
  tfRmmOrder: ['rd_align', 'rd_bound', 'rd_state', 'level_bound', 'ipa_bound', 'ipa_align', 'rtt_walk', 'rtte_state', 'rtt_live'],
  scope: (st, x) => {
    const level = levelArg(x[2]);
    const ipa = num(x[1]);
    return { st, rd: num(x[0]), ipa, level, walkIpa: ipa, walkLevel: level - 1 };
  },
  touches: (s) => [s.rd],
  onError(s, o, out) {
    if (o.status !== Status.RMI_ERROR_RTT) return;
    const w = walkOf(s);
    if (o.check === 'rtt_live') out[1] = BigInt(s.ipa);
    else if (w) out[1] = BigInt(walkTopNonLive(w, s.ipa));
  },
  apply(s, ctx) {
    const st = s.st;
    const realm = realmOf(s)!;
    const w = walkOf(s)!;
    const child = childTable(s)!;
    const pa = w.table.addr[w.index];
    // A protected parent entry records that the realm's contents are gone; an unprotected one
    // can only be UNASSIGNED_NS (A5.5.4), as TF-RMM does.
    if (isProtected(realm, s.ipa)) writeEntry(st, w.table, w.index, RttState.UNASSIGNED, Ripas.DESTROYED);
    else writeEntry(st, w.table, w.index, RttState.UNASSIGNED_NS, Ripas.EMPTY);
    releaseRtt(st, child);
    ctx.out[0] = BigInt(pa);
    ctx.out[1] = BigInt(walkTopNonLive(w, s.ipa));
  },
};
