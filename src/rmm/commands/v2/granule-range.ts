// The engine of RMI_GRANULE_RANGE_DELEGATE / RANGE_UNDELEGATE (2.0; reference 5.5, 3.3, 7.4):
// X1 base, X2 top; out X1 = out_top, the first granule not processed. Granules are processed one
// by one from base, as TF-RMM main and the RMM v2.0 PoC do, and the command can stop part-way:
//   - options.rangeGranulesPerCall > 0 ends a call after that many granules, with RMI_SUCCESS
//     and out_top < top (the host loops until out_top == top);
//   - a granule in the wrong state stops it with RMI_ERROR_INPUT (gran_state), unless it is
//     already in the target state and options.range*Conflict says 'skip' (still being clarified
//     in the spec, reference 10 item 3);
//   - an injected fault stops it before a granule (fault injection "after k granules" / "at PA").
// Granules processed before a failure stay processed: this partial progress is what the seed bug
// (a whole-range undelegate after a partial delegate) trips over. On failure X1 reports it when
// reportProgressOnError is on (the 2.0 default), else X1 = base as TF-RMM main answers.
import { check, type CallContext, type Check, type Outcome } from '../../checks';
import { GRANULE_SIZE } from '../../constants';
import type { RmmState } from '../../state';
import { INPUT, num } from '../common';
import { type Reg } from '../../u64';

export interface RangeScope {
  st: RmmState;
  base: number;
  top: number;
  /** Set once processing starts: from then on X1 is out_top, not base. */
  started?: boolean;
}

export function rangeScope(st: RmmState, x: readonly Reg[]): RangeScope {
  return { st, base: num(x[0]), top: num(x[1]), started: false };
}

/** The conditions on the range itself (TF-RMM main: all RMI_ERROR_INPUT with X1 = base). */
export function rangeChecks(): Check<RangeScope>[] {
  return [
    check<RangeScope>('base_align', INPUT, (s) => s.base % GRANULE_SIZE !== 0, undefined, 'base is not 4 KB aligned'),
    check<RangeScope>('top_align', INPUT, (s) => s.top % GRANULE_SIZE !== 0, undefined, 'top is not 4 KB aligned'),
    check<RangeScope>('top_bound', INPUT, (s) => s.top <= s.base, undefined, 'top is not above base (an empty or inverted range)'),
  ];
}

/** A failing range check leaves X1 = base. */
export function rangeOnError(s: RangeScope, _o: Outcome, out: bigint[]): void {
  if (!s.started) out[0] = BigInt(s.base);
}

export interface RangeStep {
  from: number;
  to: number;
  /** What to do with a granule already in `to`. */
  conflict: 'fail' | 'skip';
  /** Scrub contents on the way (undelegate: the host must never see realm data). */
  wipe: boolean;
}

export function processRange(s: RangeScope, ctx: CallContext, step: RangeStep): Outcome | undefined {
  const st = s.st;
  const g = st.granules;
  const perCall = st.options.rangeGranulesPerCall;
  const limit = perCall > 0 ? perCall : Infinity;
  s.started = true;
  let pa = s.base;
  let done = 0;
  let failure: Outcome | undefined;
  while (pa < s.top && done < limit) {
    failure = ctx.granuleFault(pa);
    if (failure) break;
    const gi = g.index(pa);
    if (gi < 0) {
      failure = { status: INPUT, index: 0, check: 'gran_bound' };
      break;
    }
    const state = g.state[gi];
    if (state === step.from) {
      if (step.wipe) st.memory.wipe(gi);
      g.set(gi, step.to);
    } else if (!(state === step.to && step.conflict === 'skip')) {
      failure = { status: INPUT, index: 0, check: 'gran_state' };
      break;
    }
    pa += GRANULE_SIZE;
    done++;
  }
  // Read after the granule loop: an injected fault may override the option for this call.
  ctx.out[0] = BigInt(failure && !ctx.reportProgressOnError ? s.base : pa);
  return failure;
}
