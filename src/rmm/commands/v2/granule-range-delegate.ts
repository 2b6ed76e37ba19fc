// RMI_GRANULE_RANGE_DELEGATE (2.0, FID 0xC40001F1; reference 5.5, 3.3): UNDELEGATED -> DELEGATED
// for each granule of [base, top), granule by granule (granule-range.ts). TF-RMM does not scrub
// on delegate.
import type { Command } from '../../checks';
import { Fid, GranuleState } from '../../constants';
import { processRange, rangeChecks, rangeOnError, rangeScope, type RangeScope } from './granule-range';

export const GRANULE_RANGE_DELEGATE: Command<RangeScope> = {
  name: 'RMI_GRANULE_RANGE_DELEGATE',
  fid: Fid.RMI_GRANULE_RANGE_DELEGATE,
  profiles: ['2.0'],
  range: true,
  checks: rangeChecks(),
  orderings: [],
  scope: rangeScope,
  onError: rangeOnError,
  apply(s, ctx) {
    return processRange(s, ctx, {
      from: GranuleState.UNDELEGATED, to: GranuleState.DELEGATED, conflict: s.st.options.rangeDelegateConflict, wipe: false,
    });
  },
};
