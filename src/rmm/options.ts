// Options for the points the specification leaves open (reference sections 5.0, 5.5, 10).
import type { Profile } from './constants';

export interface RmmOptions {
  /**
   * Order of checks the spec leaves unordered: 'spec' evaluates them in the spec's listing
   * order, 'tf-rmm' in the reference implementation's order. Both respect every spec ordering.
   */
  checkOrder: 'spec' | 'tf-rmm';
  /** 2.0 RANGE_DELEGATE meeting an already-DELEGATED granule: fail there, or skip it (reference 5.5). */
  rangeDelegateConflict: 'fail' | 'skip';
  /** 2.0 RANGE_UNDELEGATE meeting an already-UNDELEGATED granule: fail there, or skip it. */
  rangeUndelegateConflict: 'fail' | 'skip';
  /** Range commands failing part-way: X1 = first granule not processed (true) or X1 = base (false). */
  reportProgressOnError: boolean;
  /** Granules a range (un)delegate processes per call; 0 = the whole range (TF-RMM main does 1). */
  rangeGranulesPerCall: number;
  /** 2.0: start with the RMM already activated (RMM_CONFIG_SET + RMM_ACTIVATE done at boot). */
  activated: boolean;
  /** Feature register 0 limits (reference 6.5). */
  maxIpaWidth: number;
  lpa2: boolean;
  /** MAX_RECS_ORDER: a realm may have 2^n - 1 RECs. */
  maxRecsOrder: number;
  /** Auxiliary granules per REC (1.0 REC_AUX_COUNT; 2.0 donation request size). */
  recAuxCount: number;
  /** NUM_BPS / NUM_WPS field values (count minus one). */
  numBps: number;
  numWps: number;
  /** Number of VMIDs (1.0: valid host-chosen VMIDs are below it; 2.0: the RMM's pool size). */
  vmidCount: number;
  /** Record a trace event for every call (the run layer turns this on; benchmarks leave it off). */
  trace: boolean;
  /**
   * Check the invariants of reference 3.4 / 4 (invariants.ts) after every call and attach what
   * they find to the call's trace event (needs tracing; O(granules) per call, so off by default).
   */
  checkInvariants: boolean;
}

export function defaultOptions(profile: Profile): RmmOptions {
  return {
    checkOrder: 'spec',
    rangeDelegateConflict: 'fail',
    rangeUndelegateConflict: 'fail',
    reportProgressOnError: profile === '2.0',
    rangeGranulesPerCall: 0,
    activated: false,
    maxIpaWidth: 48,
    lpa2: false,
    maxRecsOrder: 9,
    recAuxCount: 16,
    numBps: 5,
    numWps: 3,
    vmidCount: 256,
    trace: false,
    checkInvariants: false,
  };
}
