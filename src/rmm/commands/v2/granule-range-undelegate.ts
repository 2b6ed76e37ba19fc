// RMI_GRANULE_RANGE_UNDELEGATE (2.0, FID 0xC40001F2; reference 5.5, 3.3, 7.4): DELEGATED ->
// UNDELEGATED for each granule of [base, top), wiping it, granule by granule (granule-range.ts).
// A granule still used by an RMM object (RD, REC, RTT, DATA, REC_AUX, PARTIAL) always stops it.
import type { Command } from '../../checks';
import { Fid, GranuleState } from '../../constants';
import { processRange, rangeChecks, rangeOnError, rangeScope, type RangeScope } from './granule-range';

export const GRANULE_RANGE_UNDELEGATE: Command<RangeScope> = {
  name: 'RMI_GRANULE_RANGE_UNDELEGATE',
  fid: Fid.RMI_GRANULE_RANGE_UNDELEGATE,
  profiles: ['2.0'],
  range: true,
  checks: rangeChecks(),
  orderings: [],
  scope: rangeScope,
  onError: rangeOnError,
  apply(s, ctx) {
    return processRange(s, ctx, {
      from: GranuleState.DELEGATED, to: GranuleState.UNDELEGATED, conflict: s.st.options.rangeUndelegateConflict, wipe: true,
    });
  },
};
