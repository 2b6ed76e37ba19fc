// RMI_DATA_DESTROY (1.0, spec B4.3.3; reference 5.22): unmap the DATA granule at a Protected IPA
// and give it back as DELEGATED (X1 = its PA: the host must still undelegate it). RIPAS RAM
// becomes DESTROYED, EMPTY stays EMPTY. X2 = top also on RMI_ERROR_RTT:
//   mapped as a page      SUCCESS,            top > ipa
//   not mapped            (RTT, <= 3),        top > ipa
//   mapped as a block     (RTT, 1 or 2),      top == ipa  (RTT_CREATE to split it, then retry)
// No realm-state condition.
import type { Command } from '../../checks';
import { Fid, GranuleState, Ripas, RttState, Status } from '../../constants';
import { num, rdArg } from '../common';
import { ipaAlign, ipaBoundProtected, rttWalk, rtteState, walkOf, type WalkScope } from './rtt-args';
import { writeEntry } from './rtt-entries';
import { PAGE_LEVEL } from './rtt-levels';
import { walkTopNonLive } from './rtt-scan';

interface S extends WalkScope {
  ipa: number;
}

export const DATA_DESTROY: Command<S> = {
  name: 'RMI_DATA_DESTROY',
  fid: Fid.RMI_DATA_DESTROY,
  profiles: ['1.0'],
  checks: [
    ...rdArg<S>(),
    ipaAlign<S>(() => PAGE_LEVEL, 'ipa is not 4 KB aligned'),
    ipaBoundProtected<S>(),
    rttWalk<S>('no level-3 RTT covers ipa (not mapped, or mapped as a block: split it with RTT_CREATE)'),
    rtteState<S>((state) => state !== RttState.ASSIGNED, 'ipa is not mapped'),
  ],
  orderings: [
    [['rd_bound', 'rd_state'], ['rtt_walk', 'rtte_state']],
    [['ipa_bound'], ['rtt_walk', 'rtte_state']],
  ],
  tfRmmOrder: ['rd_align', 'rd_bound', 'rd_state', 'ipa_bound', 'ipa_align', 'rtt_walk', 'rtte_state'],
  scope: (st, x) => {
    const ipa = num(x[1]);
    return { st, rd: num(x[0]), ipa, walkIpa: ipa, walkLevel: PAGE_LEVEL };
  },
  touches: (s) => [s.rd],
  onError(s, o, out) {
    const w = walkOf(s);
    if (o.status === Status.RMI_ERROR_RTT && w) out[1] = BigInt(walkTopNonLive(w, s.ipa));
  },
  apply(s, ctx) {
    const st = s.st;
    const w = walkOf(s)!;
    const t = w.table;
    const pa = t.addr[w.index];
    const ripas = t.ripas[w.index] === Ripas.RAM ? Ripas.DESTROYED : t.ripas[w.index];
    writeEntry(st, t, w.index, RttState.UNASSIGNED, ripas);
    const gi = st.granules.index(pa);
    st.memory.wipe(gi);
    st.granules.set(gi, GranuleState.DELEGATED);
    ctx.out[0] = BigInt(pa);
    ctx.out[1] = BigInt(walkTopNonLive(w, s.ipa));
  },
};
