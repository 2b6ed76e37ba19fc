// RMI_RTT_UNPROT_MAP (2.0, FID 0xC40001FB; reference 5.24; TF-RMM main runtime/rmi/rtt_map.c):
// the range successor of RTT_MAP_UNPROTECTED. Maps NS memory at Unprotected IPAs of a NEW or
// ACTIVE realm, as pages or blocks (map-args.ts), with the attributes in flags (RmiRttUnprotMapFlags):
// MemAttr [18:16] and S2AP [22:19] in the direct encoding (bit 0 write, bit 1 read; bits 3:2 SBZ).
// Entries UNASSIGNED_NS -> ASSIGNED_NS; the same mapping again is no error. The NS memory is not
// tracked: no granule changes, and the descriptors' state field is not looked at.
import { check, type Command, type Outcome } from '../../checks';
import { Fid, Ripas, RttState, Status } from '../../constants';
import type { RmmState } from '../../state';
import { INPUT } from '../common';
import { writeEntry } from '../rtt/rtt-entries';
import { MAP_ORDERINGS, mapChecks, mapRange, mapScope, type MapOne, type MapScope } from './map-args';

interface S extends MapScope {
  memAttr: number;
  s2ap: number;
}

/** MemAttr 0b100 is reserved under FEAT_S2FWB, as RTT_MAP_UNPROTECTED's attr_valid has it. */
const MEMATTR_RESERVED = 0b100;
const S2AP_WRITE = 1;
const S2AP_READ = 2;

/** The entry attributes as a stage-2 descriptor carries them (MemAttr [4:2], S2AP[0] read @6, S2AP[1] write @7). */
function entryAttr(s: S): number {
  return (s.memAttr << 2) | (s.s2ap & S2AP_READ ? 0x40 : 0) | (s.s2ap & S2AP_WRITE ? 0x80 : 0);
}

const mapNs: MapOne<S> = (s, t, i, pa): Outcome | undefined => {
  const attr = entryAttr(s);
  const state = t.state[i];
  if (state === RttState.ASSIGNED_NS && t.addr[i] === pa && t.attr[i] === attr) return undefined;
  if (state !== RttState.UNASSIGNED_NS) return { status: Status.RMI_ERROR_RTT, index: s.level, check: 'rtte_state' };
  writeEntry(s.st, t, i, RttState.ASSIGNED_NS, Ripas.EMPTY, pa, attr);
  return undefined;
};

export const RTT_UNPROT_MAP: Command<S> = {
  name: 'RMI_RTT_UNPROT_MAP',
  fid: Fid.RMI_RTT_UNPROT_MAP,
  profiles: ['2.0'],
  checks: mapChecks<S>('unprotected', undefined, check<S>('attr_valid', INPUT,
    (s) => s.memAttr === MEMATTR_RESERVED || (s.s2ap & ~(S2AP_READ | S2AP_WRITE)) !== 0, undefined,
    'flags.memattr is reserved or flags.s2ap sets bits other than read and write')),
  orderings: MAP_ORDERINGS,
  scope: (st: RmmState, x) => {
    const s = mapScope(st, x);
    return { ...s, memAttr: Number((s.flags >> 16n) & 7n), s2ap: Number((s.flags >> 19n) & 0xfn) };
  },
  touches: (s) => [s.rd],
  apply(s, ctx) {
    return mapRange(s, ctx, undefined, mapNs);
  },
};
