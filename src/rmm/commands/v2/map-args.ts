// What RMI_RTT_DATA_MAP and RMI_RTT_UNPROT_MAP share (2.0; reference 5.21, 5.24, 6.6; TF-RMM
// main runtime/rmi/rtt_map.c): X1 rd, X2 base, X3 top, X4 flags (oaddr type [1:0], list count
// [15:2]), X5 oaddr: one RmiAddrRangeDesc (SINGLE) or the PA of a list of them in NS memory
// (LIST). The first descriptor's block size fixes the mapping level of the call; the walk to that
// level must reach it. Blocks are mapped from base, one per RTT entry, until the descriptors, the
// range or the leaf RTT the walk reached run out, or a block cannot be mapped. Progress made is
// RMI_SUCCESS with X1 = out_top (the host calls again from there); a failure on the first block
// is the call's error, and nothing changed.
import { check, type CallContext, type Check, type Outcome } from '../../checks';
import { RealmState, Status } from '../../constants';
import type { Realm } from '../../objects';
import { levelSize, type RttTable } from '../../rtt';
import type { RmmState } from '../../state';
import { INPUT, num, rdArg } from '../common';
import { realmOf, rttWalk, walkOf, type WalkScope } from '../rtt/rtt-args';
import { ipaLimit, isBlockOrPageLevel, isLevelAligned, isProtected, PA_LIMIT_NO_LPA2 } from '../rtt/rtt-levels';
import {
  AddrType, blocksOf, decodeDesc, listAligned, listCapacity, listInNsMemory, readDescs, type RangeDesc,
} from './addr-range-desc';
import { regBig, type Reg } from '../../u64';

export interface MapScope extends WalkScope {
  base: number;
  top: number;
  flags: bigint;
  oaddrType: number;
  /** List entries the call may read (LIST: flags.list_count clipped to the list's granule). */
  capacity: number;
  oaddr: bigint;
  /** The output address descriptors; undefined while they cannot be read (the list_* checks fail). */
  descs: RangeDesc[] | undefined;
  /** The mapping level: that of the first descriptor (99, no level, when there is none). */
  level: number;
}

export function mapScope(st: RmmState, x: readonly Reg[]): MapScope {
  const flags = BigInt.asUintN(64, regBig(x[3]));
  const oaddrType = Number(flags & 3n);
  const oaddr = BigInt.asUintN(64, regBig(x[4]));
  const listPa = num(oaddr);
  const capacity = oaddrType === AddrType.LIST ? listCapacity(listPa, Number((flags >> 2n) & 0x3fffn)) : 1;
  let descs: RangeDesc[] | undefined;
  if (oaddrType === AddrType.SINGLE) descs = [decodeDesc(oaddr)];
  else if (oaddrType === AddrType.LIST && capacity > 0 && listAligned(listPa) && listInNsMemory(st, listPa)) {
    descs = readDescs(st, listPa, capacity).map(decodeDesc);
  }
  const level = descs ? descs[0].level : 99;
  const base = num(x[1]);
  return { st, rd: num(x[0]), base, top: num(x[2]), flags, oaddrType, capacity, oaddr, descs, level, walkIpa: base, walkLevel: level };
}

const isList = (s: MapScope): boolean => s.oaddrType === AddrType.LIST;

/** The conditions a call must meet before anything is mapped, in TF-RMM main's order. */
export function mapChecks<S extends MapScope>(side: 'protected' | 'unprotected', descState: number | undefined, attrValid?: Check<S>): Check<S>[] {
  const wrongSide = (r: Realm, ipa: number) => isProtected(r, ipa) !== (side === 'protected');
  const list: Check<S>[] = [
    ...rdArg<S>(),
    check<S>('realm_state', Status.RMI_ERROR_REALM, (s) => {
      const r = realmOf(s);
      return !!r && r.state !== RealmState.NEW && r.state !== RealmState.ACTIVE;
    }, undefined, 'the realm is neither NEW nor ACTIVE (terminated or off)'),
    check<S>('size_valid', INPUT, (s) => s.top <= s.base, undefined, 'top is not above base'),
    check<S>('oaddr_type', INPUT, (s) => s.oaddrType !== AddrType.SINGLE && !isList(s), undefined,
      'flags.oaddr_type is neither SINGLE nor LIST'),
    check<S>('list_align', INPUT, (s) => isList(s) && !listAligned(num(s.oaddr)), undefined, 'the list PA is not 8-byte aligned'),
    check<S>('list_count', INPUT, (s) => isList(s) && s.capacity === 0, undefined, 'flags.list_count is zero'),
    check<S>('list_pas', INPUT, (s) => isList(s) && !s.descs, undefined, 'the list is not in Non-secure memory'),
  ];
  if (descState !== undefined) {
    list.push(check<S>('desc_state', INPUT, (s) => !!s.descs && s.descs[0].state !== descState, undefined,
      'the first descriptor does not describe DELEGATED memory'));
  }
  list.push(
    check<S>('level_bound', INPUT, (s) => {
      const r = realmOf(s);
      return !!r && !!s.descs && !isBlockOrPageLevel(r, s.level);
    }, undefined, "the first descriptor's block size is not a block or page level of this realm"),
    check<S>('base_align', INPUT, (s) => !!s.descs && !isLevelAligned(s.base, s.level), undefined,
      'base is not aligned to the block size of the first descriptor'),
    check<S>('top_gran_align', INPUT, (s) => s.top % 4096 !== 0, undefined, 'top is not 4 KB aligned'),
    check<S>('ipa_bound', INPUT, (s) => {
      const r = realmOf(s);
      if (!r) return false;
      const last = s.top - 4096;
      return s.base >= ipaLimit(r) || last >= ipaLimit(r) || wrongSide(r, s.base) || wrongSide(r, last);
    }, undefined, side === 'protected' ? 'the range is not Protected IPA space' : 'the range is not Unprotected IPA space'),
    check<S>('block_size', Status.RMI_ERROR_RTT, (s) => s.top - s.base < levelSize(s.level), (s) => s.level,
      'the range is smaller than one block of the mapping level'),
  );
  if (attrValid) list.push(attrValid);
  list.push(rttWalk<S>('no RTT at the mapping level covers base: create the missing RTTs first (or base is inside a block)'));
  return list;
}

export const MAP_ORDERINGS: readonly (readonly [readonly string[], readonly string[]])[] = [
  [['rd_bound', 'rd_state'], ['realm_state', 'block_size', 'rtt_walk']],
  [['level_bound', 'ipa_bound'], ['rtt_walk']],
];

/** Maps one block at entry `i`: an outcome when it cannot, undefined when it is (now) mapped. */
export type MapOne<S> = (s: S, t: RttTable, i: number, pa: number, size: number) => Outcome | undefined;

const rtt = (s: MapScope, check: string): Outcome => ({ status: Status.RMI_ERROR_RTT, index: s.level, check });
const input = (check: string): Outcome => ({ status: INPUT, index: 0, check });

/** The block loop over one leaf RTT (TF-RMM map_pop_next_block and the per-command mapping). */
export function mapRange<S extends MapScope>(s: S, ctx: CallContext, descState: number | undefined, mapOne: MapOne<S>): Outcome | undefined {
  const realm = realmOf(s)!;
  const w = walkOf(s)!;
  const size = levelSize(s.level);
  const blocks = blocksOf(s.descs!);
  let outTop = s.base;
  let failure: Outcome | undefined;
  for (let i = w.index; i < w.table.entries && !failure; i++) {
    const next = blocks.next();
    if (next.done) failure = input('oaddr_end');
    else if (descState !== undefined && next.value.state !== descState) failure = input('desc_state');
    else if (next.value.level !== s.level) failure = rtt(s, 'desc_level');
    else if (outTop + size > s.top) failure = rtt(s, 'block_size');
    else if (next.value.pa % size !== 0) failure = input('oaddr_align');
    else if (!realm.lpa2 && next.value.pa + size > PA_LIMIT_NO_LPA2) failure = input('oaddr_bound');
    else failure = mapOne(s, w.table, i, next.value.pa, size);
    if (!failure) outTop += size;
  }
  if (outTop > s.base) {
    ctx.out[0] = BigInt(outTop);
    return undefined;
  }
  return failure;
}
