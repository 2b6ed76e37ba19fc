// RMI_RTT_MAP_UNPROTECTED (1.0, spec B4.3.19; reference 5.24): map NS memory at an Unprotected
// IPA, as a page (level 3) or block (levels 1-2), with the host-controlled attributes of a
// stage-2 descriptor (output address, MemAttr[2:0], S2AP). The NS page is not tracked: no
// granule state or refcount changes, and ASSIGNED_NS does not make the RTT live.
import { check, type Command } from '../../checks';
import { Fid, Ripas, RttState } from '../../constants';
import { INPUT, num, rdArg } from '../common';
import { ipaAlign, ipaBoundUnprotected, levelBoundBlockOrPage, realmOf, rttWalk, rtteState, walkOf, type WalkScope } from './rtt-args';
import { descriptorAddr, descriptorAttr, isValidUnprotectedDescriptor } from './rtt-descriptor';
import { writeEntry } from './rtt-entries';
import { isLevelAligned, levelArg, PA_LIMIT_NO_LPA2 } from './rtt-levels';
import { regBig } from '../../u64';

interface S extends WalkScope {
  ipa: number;
  level: number;
  desc: bigint;
  /** The output address the descriptor carries (RttEntryFromDescriptor(desc).addr). */
  addr: number;
}

export const RTT_MAP_UNPROTECTED: Command<S> = {
  name: 'RMI_RTT_MAP_UNPROTECTED',
  fid: Fid.RMI_RTT_MAP_UNPROTECTED,
  profiles: ['1.0'],
  checks: [
    check<S>('attr_valid', INPUT, (s) => !isValidUnprotectedDescriptor(s.desc), undefined,
      'desc sets bits other than the output address, MemAttr[2:0] and S2AP, or a reserved MemAttr'),
    ...rdArg<S>(),
    levelBoundBlockOrPage<S>(),
    check<S>('addr_align', INPUT, (s) => !isLevelAligned(s.addr, s.level), undefined, 'the output address is not aligned to the level'),
    check<S>('addr_bound', INPUT, (s) => {
      const r = realmOf(s);
      return !!r && !r.lpa2 && s.addr >= PA_LIMIT_NO_LPA2;
    }, undefined, 'the output address is at or above 2^48 and the realm does not use LPA2'),
    ipaAlign<S>((s) => s.level, 'ipa is not aligned to the level'),
    ipaBoundUnprotected<S>(),
    rttWalk<S>('no RTT at level covers ipa: create the missing RTTs first'),
    rtteState<S>((state) => state !== RttState.UNASSIGNED_NS, 'ipa is already mapped'),
  ],
  orderings: [
    [['rd_bound', 'rd_state'], ['rtt_walk', 'rtte_state']],
    [['level_bound', 'ipa_bound'], ['rtt_walk', 'rtte_state']],
  ],
  // TF-RMM checks the level before anything else, then rd, the descriptor, and the IPA.
  tfRmmOrder: [
    'level_bound', 'rd_align', 'rd_bound', 'rd_state', 'attr_valid', 'addr_align', 'addr_bound', 'ipa_bound', 'ipa_align',
    'rtt_walk', 'rtte_state',
  ],
  scope: (st, x) => {
    const level = levelArg(x[2]);
    const ipa = num(x[1]);
    return { st, rd: num(x[0]), ipa, level, desc: regBig(x[3]), addr: descriptorAddr(regBig(x[3])), walkIpa: ipa, walkLevel: level };
  },
  touches: (s) => [s.rd],
  apply(s) {
    const w = walkOf(s)!;
    writeEntry(s.st, w.table, w.index, RttState.ASSIGNED_NS, Ripas.EMPTY, s.addr, descriptorAttr(s.desc));
  },
};
