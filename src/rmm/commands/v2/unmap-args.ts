// What RMI_RTT_DATA_UNMAP and RMI_RTT_UNPROT_UNMAP share (2.0; reference 5.22, 5.25, 6.6; TF-RMM
// main runtime/rmi/rtt_unmap.c): X1 rd, X2 base, X3 top, X4 flags (oaddr type [1:0]: NONE, SINGLE,
// LIST; list count [15:2]), X5 oaddr (LIST: PA of an NS output list; otherwise zero).
// Out: X1 out_top, X2 the freed memory as one RmiAddrRangeDesc (SINGLE), X3 entries written (LIST).
//
// The walk goes towards level 3 from base and stops at the deepest entry; that entry's level is
// the unmapping level (a block is unmapped as a whole). The sweep covers one leaf RTT from there:
// entries mapping nothing are skipped, mapped ones are unmapped, until top, the end of the RTT, a
// TABLE entry, a block crossing top, a break in PA contiguity (SINGLE) or a full output list.
// Only the first entry can make the call fail; later ones just end the progress.
//
// On RMI_ERROR_RTT, X1 = walk_top as 1.0's DATA_DESTROY returns it (== base: a block must be
// split; > base: nothing mapped up to there), the convention the v14 host's unmap loop reads
// (reference 7.7). TF-RMM main returns X1 = 0 instead (UNCONFIRMED which the 2.0 spec requires).
import { check, type CallContext, type Check, type Outcome } from '../../checks';
import { GRANULE_SIZE, Status } from '../../constants';
import type { Realm } from '../../objects';
import { levelSize, type RttTable } from '../../rtt';
import type { RmmState } from '../../state';
import { INPUT, num, rdArg } from '../common';
import { realmOf, walkOf, type WalkScope } from '../rtt/rtt-args';
import { isLiveEntry } from '../rtt/rtt-entries';
import { ipaLimit, isProtected, PAGE_LEVEL } from '../rtt/rtt-levels';
import { walkTopNonLive } from '../rtt/rtt-scan';
import { AddrType, encodeDesc, LIST_MAX, listAligned, listCapacity, listInNsMemory, RangeList, writeDescs } from './addr-range-desc';
import { regBig, type Reg } from '../../u64';

export interface UnmapScope extends WalkScope {
  base: number;
  top: number;
  oaddrType: number;
  listCount: number;
  oaddr: bigint;
}

export function unmapScope(st: RmmState, x: readonly Reg[]): UnmapScope {
  const flags = BigInt.asUintN(64, regBig(x[3]));
  const base = num(x[1]);
  return {
    st, rd: num(x[0]), base, top: num(x[2]), oaddrType: Number(flags & 3n), listCount: Number((flags >> 2n) & 0x3fffn),
    oaddr: BigInt.asUintN(64, regBig(x[4])), walkIpa: base, walkLevel: PAGE_LEVEL,
  };
}

const isList = (s: UnmapScope): boolean => s.oaddrType === AddrType.LIST;

/** The conditions checked before the sweep, in TF-RMM main's order. */
export function unmapChecks<S extends UnmapScope>(side: 'protected' | 'unprotected'): Check<S>[] {
  const wrongSide = (r: Realm, ipa: number) => isProtected(r, ipa) !== (side === 'protected');
  return [
    ...rdArg<S>(),
    check<S>('base_gran_align', INPUT, (s) => s.base % GRANULE_SIZE !== 0, undefined, 'base is not 4 KB aligned'),
    check<S>('top_gran_align', INPUT, (s) => s.top % GRANULE_SIZE !== 0, undefined, 'top is not 4 KB aligned'),
    check<S>('size_valid', INPUT, (s) => s.top <= s.base, undefined, 'top is not above base'),
    check<S>('ipa_bound', INPUT, (s) => {
      const r = realmOf(s);
      if (!r) return false;
      const last = s.top - GRANULE_SIZE;
      return s.base >= ipaLimit(r) || last >= ipaLimit(r) || wrongSide(r, s.base) || wrongSide(r, last);
    }, undefined, side === 'protected' ? 'the range is not Protected IPA space' : 'the range is not Unprotected IPA space'),
    check<S>('oaddr_type', INPUT, (s) => s.oaddrType > AddrType.LIST, undefined, 'flags.oaddr_type is not NONE, SINGLE or LIST'),
    check<S>('oaddr_valid', INPUT, (s) => !isList(s) && (s.oaddr !== 0n || s.listCount !== 0), undefined,
      'oaddr and flags.list_count must be zero unless flags.oaddr_type is LIST'),
    check<S>('list_count', INPUT, (s) => isList(s) && s.listCount === 0, undefined, 'flags.list_count is zero'),
    check<S>('list_align', INPUT, (s) => isList(s) && !listAligned(num(s.oaddr)), undefined, 'the list PA is not 8-byte aligned'),
    check<S>('list_pas', INPUT, (s) => isList(s) && listAligned(num(s.oaddr)) && !listInNsMemory(s.st, num(s.oaddr)), undefined,
      'the output list is not in Non-secure memory'),
    check<S>('base_align', Status.RMI_ERROR_RTT, (s) => {
      const w = walkOf(s);
      return !!w && s.base % levelSize(w.level) !== 0;
    }, (s) => walkOf(s)!.level, 'base is inside the block the walk reached: split it with RTT_CREATE (or skip it when nothing is mapped)'),
  ];
}

export const UNMAP_ORDERINGS: readonly (readonly [readonly string[], readonly string[]])[] = [
  [['rd_bound', 'rd_state'], ['base_align']],
  [['ipa_bound'], ['base_align']],
];

/** RMI_ERROR_RTT leaves X1 = walk_top (see above); X2, X3 zero. */
export function unmapOnError(s: UnmapScope, o: Outcome, out: bigint[]): void {
  const w = walkOf(s);
  out[0] = o.status === Status.RMI_ERROR_RTT && w ? BigInt(walkTopNonLive(w, s.base)) : 0n;
  out[1] = 0n;
  out[2] = 0n;
}

export interface UnmapFlavor {
  /** The mapped state this command removes (ASSIGNED or ASSIGNED_NS). */
  mapped: number;
  /** The descriptor state field of freed memory (DELEGATED for DATA, UNDELEGATED for NS). */
  descState: number;
  /** Unmaps entry i of t, mapping `pa` with a block of `size`. */
  release(st: RmmState, t: RttTable, i: number, pa: number, size: number): void;
}

/** The sweep over one leaf RTT; returns the first entry's failure, if any. */
export function unmapRange<S extends UnmapScope>(s: S, ctx: CallContext, flavor: UnmapFlavor): Outcome | undefined {
  const w = walkOf(s)!;
  const t = w.table;
  const size = levelSize(w.level);
  const single = s.oaddrType === AddrType.SINGLE;
  const list = new RangeList(single ? 1 : isList(s) ? listCapacity(num(s.oaddr), s.listCount) : LIST_MAX);
  const fail = (check: string): Outcome => ({ status: Status.RMI_ERROR_RTT, index: w.level, check });
  let addr = s.base;
  let prev: number | undefined;
  for (let i = w.index; i < t.entries; i++, addr += size) {
    const first = i === w.index;
    const state = t.state[i];
    const overflows = addr + size > s.top;
    if (!isLiveEntry(state)) {
      if (!overflows) continue;
      if (first) return fail('block_top');
      break;
    }
    if (state !== flavor.mapped) {
      if (first) return fail('rtte_state');
      break;
    }
    if (overflows) {
      if (first) return fail('block_top');
      break;
    }
    const pa = t.addr[i];
    if (single && prev !== undefined && pa !== prev + size) break;
    if (!list.add(pa, w.level, flavor.descState)) break;
    flavor.release(s.st, t, i, pa, size);
    prev = pa;
  }
  ctx.out[0] = BigInt(addr);
  if (single && list.descs.length) ctx.out[1] = encodeDesc(list.descs[0]);
  if (isList(s)) {
    writeDescs(s.st, num(s.oaddr), list.descs);
    ctx.out[2] = BigInt(list.descs.length);
  }
  return undefined;
}

