// RMI_FEATURES (spec B4.3.4, B4.4.6; reference 5.2 and 6.5): read a feature register. 1.0 defines
// only register 0; 2.0 (TF-RMM main) defines 0..4 and moves the hash algorithms and
// MAX_RECS_ORDER to register 1. Any other index reads as zero. No failure conditions.
import type { Command } from '../../checks';
import { Fid } from '../../constants';
import type { RmmOptions } from '../../options';
import type { RmmState } from '../../state';
import { GICV3_NUM_LRS } from '../rec/rec-run';
import { regBig } from '../../u64';

interface S {
  st: RmmState;
  index: bigint;
}

const field = (value: number | boolean, shift: number): bigint => BigInt(Number(value)) << BigInt(shift);

/** Register 0 fields both profiles share: S2SZ [7:0], LPA2 [8], NUM_BPS [19:14], NUM_WPS [25:20]. SVE and PMU are not offered. */
function register0Common(o: RmmOptions): bigint {
  return field(o.maxIpaWidth & 0xff, 0) | field(o.lpa2, 8) | field(o.numBps & 0x3f, 14) | field(o.numWps & 0x3f, 20);
}

/** 1.0 register 0 adds HASH_SHA_256 [32], HASH_SHA_512 [33], GICV3_NUM_LRS [37:34] (minus one), MAX_RECS_ORDER [41:38]. */
function register0v1(o: RmmOptions): bigint {
  return register0Common(o) | field(1, 32) | field(1, 33) | field(GICV3_NUM_LRS - 1, 34) | field(o.maxRecsOrder & 0xf, 38);
}

/** TF-RMM main encodings: L0GPTSZ 0 = 30 bits (1 GB), PPS 5 = 48 bits. */
const L0GPTSZ_30BITS = 0;
const PPS_48BITS = 5;

/**
 * 2.0 register 1: RMI_GRAN_SZ_4K [0] (the only granule size), HASH_SHA_256 [3], HASH_SHA_384 [4],
 * HASH_SHA_512 [5] (REALM_CREATE accepts all three in 2.0), MAX_RECS_ORDER [9:6], L0GPTSZ [13:10], PPS [16:14].
 */
function register1v2(o: RmmOptions): bigint {
  return field(1, 0) | field(1, 3) | field(1, 4) | field(1, 5) | field(o.maxRecsOrder & 0xf, 6)
    | field(L0GPTSZ_30BITS, 10) | field(PPS_48BITS, 14);
}

/** The value RMI_FEATURES returns for `index` in this RMM. */
export function featureRegister(st: RmmState, index: bigint): bigint {
  const o = st.options;
  if (st.profile === '1.0') return index === 0n ? register0v1(o) : 0n;
  switch (index) {
    case 0n: return register0Common(o);
    case 1n: return register1v2(o);
    // Registers 2 (device assignment), 3 (planes) and 4 (MEC count): none of it is modelled.
    default: return 0n;
  }
}

export const FEATURES: Command<S> = {
  name: 'RMI_FEATURES',
  fid: Fid.RMI_FEATURES,
  profiles: ['1.0', '2.0'],
  checks: [],
  scope: (st, x) => ({ st, index: regBig(x[0]) }),
  apply(s, ctx) {
    ctx.out[0] = featureRegister(s.st, s.index);
  },
};
