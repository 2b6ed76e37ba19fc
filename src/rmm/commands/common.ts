// Check builders shared by many commands: the spec's `X_align`, `X_bound`, `X_state` and `X_pas`
// triples for a granule argument (all RMI_ERROR_INPUT, reference section 5.0).
import { check, type Check } from '../checks';
import { GRANULE_SIZE, GranuleState, Status } from '../constants';
import type { RmmState } from '../state';
import { clampedNumber, type Reg } from '../u64';

/** A scope that knows the RMM state. */
export interface Scope {
  st: RmmState;
}

export const INPUT = Status.RMI_ERROR_INPUT;

/** `${p}_align`, `${p}_bound` and, when a state is given, `${p}_state` for the granule at pa(s). */
export function granuleArg<S extends Scope>(p: string, pa: (s: S) => number, state?: number, what?: string): Check<S>[] {
  const checks: Check<S>[] = [
    check<S>(`${p}_align`, INPUT, (s) => pa(s) % GRANULE_SIZE !== 0, undefined, `${what ?? p} is not 4 KB aligned`),
    check<S>(`${p}_bound`, INPUT, (s) => s.st.granules.index(pa(s)) < 0, undefined, `${what ?? p} is not a delegable (DRAM) address`),
  ];
  if (state !== undefined) {
    checks.push(check<S>(`${p}_state`, INPUT, (s) => s.st.granules.state[s.st.granules.index(pa(s))] !== state, undefined,
      `${what ?? p} granule is not ${stateLabel(state)}`));
  }
  return checks;
}

/** `${p}_pas`: a host-supplied page (params, src, run) must be in the NS PAS, i.e. UNDELEGATED. */
export function nsPage<S extends Scope>(p: string, pa: (s: S) => number, what?: string): Check<S>[] {
  return [
    check<S>(`${p}_align`, INPUT, (s) => pa(s) % GRANULE_SIZE !== 0, undefined, `${what ?? p} is not 4 KB aligned`),
    check<S>(`${p}_bound`, INPUT, (s) => s.st.granules.index(pa(s)) < 0, undefined, `${what ?? p} is outside DRAM`),
    check<S>(`${p}_pas`, INPUT, (s) => s.st.granules.state[s.st.granules.index(pa(s))] !== GranuleState.UNDELEGATED, undefined,
      `${what ?? p} is not in the Non-secure PAS`),
  ];
}

/** rd_align, rd_bound, rd_state: X1 must be an RD. */
export function rdArg<S extends Scope & { rd: number }>(): Check<S>[] {
  return granuleArg<S>('rd', (s) => s.rd, GranuleState.RD, 'rd');
}

function stateLabel(state: number): string {
  for (const [k, v] of Object.entries(GranuleState)) if (v === state) return k;
  return String(state);
}

/** A register as a JS number (PAs and IPAs are below 2^53; larger values fail every bound check). */
export function num(x: Reg): number {
  // A number register already is one (below 2^53). A BigInt is at least 2^53 when it came from
  // the C machine, or anything from Rmm.smc: 2^53 is granule aligned and beyond every bound, so
  // huge values fail *_bound, not *_align; clampedNumber does exactly that without Number(bigint).
  return typeof x === 'number' ? x : clampedNumber(x);
}
