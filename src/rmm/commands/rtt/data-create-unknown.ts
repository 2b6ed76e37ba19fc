// RMI_DATA_CREATE_UNKNOWN (1.0, spec B4.3.2; reference 5.21): map a DELEGATED granule at a
// Protected IPA with unknown (wiped) contents, keeping the entry's RIPAS. No realm-state condition:
// this is how 1.0 hosts back realm memory at fault time. A RIPAS DESTROYED left by DATA_DESTROY
// stays DESTROYED (reference section 8, item 22). Not measured.
import type { Command } from '../../checks';
import { Fid } from '../../constants';
import { num, rdArg } from '../common';
import { walkOf } from './rtt-args';
import { DATA_ORDERINGS_UNKNOWN, dataGranuleChecks, dataIpaChecks, dataWalkChecks, mapData, type DataScope } from './data-args';
import { PAGE_LEVEL } from './rtt-levels';

export const DATA_CREATE_UNKNOWN: Command<DataScope> = {
  name: 'RMI_DATA_CREATE_UNKNOWN',
  fid: Fid.RMI_DATA_CREATE_UNKNOWN,
  profiles: ['1.0'],
  checks: [...dataGranuleChecks<DataScope>(), ...rdArg<DataScope>(), ...dataIpaChecks<DataScope>(), ...dataWalkChecks<DataScope>()],
  orderings: DATA_ORDERINGS_UNKNOWN,
  tfRmmOrder: [
    'data_align', 'data_bound', 'data_state', 'rd_align', 'rd_bound', 'rd_state', 'ipa_bound', 'ipa_align', 'data_bound2',
    'rtt_walk', 'rtte_state',
  ],
  scope: (st, x) => {
    const ipa = num(x[2]);
    return { st, rd: num(x[0]), data: num(x[1]), ipa, walkIpa: ipa, walkLevel: PAGE_LEVEL };
  },
  touches: (s) => [s.rd, s.data],
  apply(s) {
    const w = walkOf(s)!;
    const gi = mapData(s, w.table.ripas[w.index]);
    s.st.memory.wipe(gi);
  },
};
