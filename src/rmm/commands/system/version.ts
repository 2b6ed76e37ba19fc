// RMI_VERSION (spec B4.3.23, B2; reference 5.1): the host asks for an interface revision and
// learns whether the RMM implements a compatible one. Each profile implements exactly one
// revision: 1.0 (as TF-RMM at rmm-spec-v1.0-rel0) or 2.0 (as TF-RMM main for 2.0-bet1).
import type { Command } from '../../checks';
import { Fid, RMI_ABI_VERSION, Status } from '../../constants';
import type { RmmState } from '../../state';
import { regBig } from '../../u64';

interface S {
  st: RmmState;
  req: bigint;
}

/** Revisions this profile implements, ascending (RmiInterfaceVersion: major [30:16], minor [15:0]). */
function implemented(st: RmmState): bigint[] {
  return [BigInt(RMI_ABI_VERSION[st.profile])];
}

const major = (v: bigint) => v >> 16n;
const minor = (v: bigint) => v & 0xffffn;

/**
 * The spec's outcomes in order of precedence (B2): (a) a compatible revision exists (same major,
 * minor at least the requested one) -> success, lower = requested; (b) otherwise, if some
 * implemented revision is below the request -> error, lower = the highest such; (c) otherwise ->
 * error, lower = higher. A request with MBZ bits [63:31] set is never compatible.
 */
export function negotiate(req: bigint, revisions: readonly bigint[]): { ok: boolean; lower: bigint; higher: bigint } {
  const higher = revisions[revisions.length - 1];
  const valid = req >> 31n === 0n;
  if (valid && revisions.some((r) => major(r) === major(req) && minor(r) >= minor(req))) return { ok: true, lower: req, higher };
  const below = revisions.filter((r) => r < req);
  return { ok: false, lower: below.length ? below[below.length - 1] : higher, higher };
}

export const VERSION: Command<S> = {
  name: 'RMI_VERSION',
  fid: Fid.RMI_VERSION,
  profiles: ['1.0', '2.0'],
  // "The RMI_VERSION command does not have any failure conditions": the outcome is computed below.
  checks: [],
  scope: (st, x) => ({ st, req: regBig(x[0]) }),
  apply(s, ctx) {
    const r = negotiate(s.req, implemented(s.st));
    ctx.out[0] = r.lower;
    ctx.out[1] = r.higher;
    if (!r.ok) return { status: Status.RMI_ERROR_INPUT, index: 0, check: 'no_compatible_revision' };
  },
};
