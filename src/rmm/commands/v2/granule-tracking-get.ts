// RMI_GRANULE_TRACKING_GET (reference 1.2, 7.1; TF-RMM main runtime/rmi/granule.c): X1 base,
// X2 top. Out: X1 memory category (RmiMemCategory: 0 CONVENTIONAL), X2 tracking state
// (RmiTrackingRegionState: 1 NONE, 2 FINE), X3 the top of the part of [base, top) the answer
// holds for. All emulated DRAM is conventional memory tracked per granule; PA space outside it
// is not tracked. TF-RMM answers from the granule at base and always returns X3 = top; here X3
// stops where DRAM starts or ends, so a host looping on X3 sees each kind of memory separately.
import { check, type Command } from '../../checks';
import { Fid, GRANULE_SIZE } from '../../constants';
import type { RmmState } from '../../state';
import { INPUT, num } from '../common';

interface S {
  st: RmmState;
  base: number;
  top: number;
}

export const RMI_MEM_CATEGORY_CONVENTIONAL = 0n;
export const RMI_TRACKING_NONE = 1n;
export const RMI_TRACKING_FINE = 2n;

/** Largest valid PA: 48-bit physical addresses, 52 with LPA2. */
const maxPa = (s: S): number => 2 ** (s.st.options.lpa2 ? 52 : 48) - 1;

export const GRANULE_TRACKING_GET: Command<S> = {
  name: 'RMI_GRANULE_TRACKING_GET',
  fid: Fid.RMI_GRANULE_TRACKING_GET,
  profiles: ['2.0'],
  checks: [
    check<S>('addr_bound', INPUT, (s) => s.base > maxPa(s) || s.top > maxPa(s), undefined, 'base or top is beyond the physical address space'),
    check<S>('size_valid', INPUT, (s) => s.top < s.base + GRANULE_SIZE, undefined, 'top is not at least one granule above base'),
    check<S>('base_align', INPUT, (s) => s.base % GRANULE_SIZE !== 0, undefined, 'base is not 4 KB aligned'),
    check<S>('top_align', INPUT, (s) => s.top % GRANULE_SIZE !== 0, undefined, 'top is not 4 KB aligned'),
  ],
  orderings: [],
  scope: (st, x) => ({ st, base: num(x[0]), top: num(x[1]) }),
  apply(s, ctx) {
    let end = s.top;
    let tracked = false;
    for (const r of s.st.granules.regions) {
      if (s.base >= r.base && s.base < r.base + r.size) {
        tracked = true;
        end = Math.min(end, r.base + r.size);
        break;
      }
      if (r.base > s.base) end = Math.min(end, r.base);
    }
    ctx.out[0] = RMI_MEM_CATEGORY_CONVENTIONAL;
    ctx.out[1] = tracked ? RMI_TRACKING_FINE : RMI_TRACKING_NONE;
    ctx.out[2] = BigInt(end);
  },
};
