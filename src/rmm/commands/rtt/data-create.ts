// RMI_DATA_CREATE (spec B4.3.1; reference 5.20), named RMI_RTT_DATA_MAP_INIT in 2.0 (same FID and
// registers): while the realm is NEW, copy an NS page into a DELEGATED granule, map it at a
// Protected IPA (ASSIGNED, RIPAS RAM) and extend the RIM with a DATA descriptor {ipa, flags,
// H(contents) when flags.measure == MEASURE_CONTENT}.
//
// Flags: the 1.0 spec lists no condition on them (bits 63:1 are SBZ), so 1.0 measures bit 0 and
// puts the whole value into the descriptor; TF-RMM rejects anything but 0 and 1, which the 2.0
// profile (defined by TF-RMM main) does as `flags_valid`.
import { check, type Check, type Command } from '../../checks';
import { Fid, GRANULE_SIZE, GranuleState, RealmState, Ripas, RttState, Status, type Profile } from '../../constants';
import { extendData } from '../../measurement';
import type { Realm } from '../../objects';
import type { RttWalk } from '../../rtt';
import { low32, type Reg } from '../../u64';
import { INPUT, num } from '../common';
import { DATA_ORDERINGS_UNKNOWN, mapData, type DataScope } from './data-args';
import { ipaLimit, isLevelAligned, isProtected, PA_LIMIT_NO_LPA2, PAGE_LEVEL } from './rtt-levels';

const U64_END = 1n << 64n;
/** X4 as the 64-bit register holds it (BigInt.asUintN allocates even when nothing changes). */
const u64 = (x: bigint): bigint => (x >= 0n && x < U64_END ? x : BigInt.asUintN(64, x));

interface S extends DataScope {
  src: number;
  /** X5 as given: a number below 2^53 or a BigInt (Reg). */
  flags: Reg;
  /** flags.measure, decoded once (a BigInt `&` would allocate). */
  measure: boolean;
  /** Granule indexes of src, data and rd (-1 outside DRAM), decoded once for the checks. */
  srcGi: number;
  dataGi: number;
  rdGi: number;
}

/** RmiDataFlags.measure: 1 = RMI_MEASURE_CONTENT. */
const MEASURE_CONTENT = 1n;

/** Realm(rd) for this command's scope (the field realmOf caches, read on one object shape). */
function realm(s: S): Realm | undefined {
  if (s.realm_ === undefined) s.realm_ = s.st.realmAt(s.rd) ?? null;
  return s.realm_ ?? undefined;
}

/** The walk to ipa's level-3 entry, as walkOf computes it (same cached field). */
function walk(s: S): RttWalk | undefined {
  if (s.walk_ === undefined) {
    const r = realm(s);
    s.walk_ = r !== undefined && s.ipa >= 0 && s.ipa < ipaLimit(r) && PAGE_LEVEL >= r.rttLevelStart ? s.st.walk(r, s.ipa, PAGE_LEVEL) : null;
  }
  return s.walk_ ?? undefined;
}

const walkLevel = (s: S): number => walk(s)!.level;

/**
 * The failure conditions, in the spec's order. They are what nsPage('src'), dataGranuleChecks,
 * rdArg, dataIpaChecks and dataWalkChecks build (a unit test holds them equal), written out over
 * this command's own scope: DATA_CREATE / RTT_DATA_MAP_INIT is made once per page populated, and
 * closures from the shared builders see every command's scope shape, which made V8's property
 * loads there megamorphic (see granule-delegate.ts).
 */
function checks(profile: Profile): Check<S>[] {
  const list: Check<S>[] = [
    check<S>('src_align', INPUT, (s) => s.src % GRANULE_SIZE !== 0, undefined, 'src is not 4 KB aligned'),
    check<S>('src_bound', INPUT, (s) => s.srcGi < 0, undefined, 'src is outside DRAM'),
    check<S>('src_pas', INPUT, (s) => s.st.granules.state[s.srcGi] !== GranuleState.UNDELEGATED, undefined, 'src is not in the Non-secure PAS'),
    check<S>('data_align', INPUT, (s) => s.data % GRANULE_SIZE !== 0, undefined, 'data is not 4 KB aligned'),
    check<S>('data_bound', INPUT, (s) => s.dataGi < 0, undefined, 'data is not a delegable (DRAM) address'),
    check<S>('data_state', INPUT, (s) => s.st.granules.state[s.dataGi] !== GranuleState.DELEGATED, undefined, 'data granule is not DELEGATED'),
    check<S>('data_bound2', Status.RMI_ERROR_INPUT, (s) => {
      const r = realm(s);
      return !!r && !r.lpa2 && s.data >= PA_LIMIT_NO_LPA2;
    }, undefined, 'data is at or above 2^48 and the realm does not use LPA2'),
    check<S>('rd_align', INPUT, (s) => s.rd % GRANULE_SIZE !== 0, undefined, 'rd is not 4 KB aligned'),
    check<S>('rd_bound', INPUT, (s) => s.rdGi < 0, undefined, 'rd is not a delegable (DRAM) address'),
    check<S>('rd_state', INPUT, (s) => s.st.granules.state[s.rdGi] !== GranuleState.RD, undefined, 'rd granule is not RD'),
    check<S>('ipa_align', INPUT, (s) => !isLevelAligned(s.ipa, PAGE_LEVEL), undefined, 'ipa is not 4 KB aligned'),
    check<S>('ipa_bound', INPUT, (s) => {
      const r = realm(s);
      return !!r && !isProtected(r, s.ipa);
    }, undefined, 'ipa is not a Protected IPA'),
    check<S>('realm_state', Status.RMI_ERROR_REALM, (s) => {
      const r = realm(s);
      return !!r && r.state !== RealmState.NEW;
    }, undefined, 'the realm is not NEW (populate before activation)'),
    check<S>('rtt_walk', Status.RMI_ERROR_RTT, (s) => {
      const w = walk(s);
      return !!w && w.level < PAGE_LEVEL;
    }, walkLevel, 'no level-3 RTT covers ipa: create the missing RTTs first (or ipa is inside a block)'),
    check<S>('rtte_state', Status.RMI_ERROR_RTT, (s) => {
      const w = walk(s);
      return !!w && w.table.state[w.index] !== RttState.UNASSIGNED;
    }, walkLevel, 'ipa is already mapped'),
  ];
  if (profile === '2.0') {
    list.unshift(check<S>('flags_valid', INPUT, (s) => (typeof s.flags === 'number' ? s.flags > 1 : s.flags > MEASURE_CONTENT), undefined,
      'flags is neither RMI_NO_MEASURE_CONTENT nor RMI_MEASURE_CONTENT'));
  }
  return list;
}

// TF-RMM 1.0 checks src, locks data and rd, then realm state, ipa, the 2^48 limit, and walks.
// TF-RMM main (RTT_DATA_MAP_INIT) claims the data granule only after the walk.
const TF_RMM_ORDER: Record<Profile, string[]> = {
  '1.0': [
    'src_align', 'src_bound', 'src_pas', 'data_align', 'data_bound', 'data_state', 'rd_align', 'rd_bound', 'rd_state',
    'realm_state', 'ipa_bound', 'ipa_align', 'data_bound2', 'rtt_walk', 'rtte_state',
  ],
  '2.0': [
    'flags_valid', 'src_align', 'src_bound', 'src_pas', 'rd_align', 'rd_bound', 'rd_state', 'realm_state', 'ipa_bound',
    'ipa_align', 'data_bound2', 'rtt_walk', 'rtte_state', 'data_align', 'data_bound', 'data_state',
  ],
};

function command(profile: Profile): Command<S> {
  return {
    name: 'RMI_DATA_CREATE',
    names: { '2.0': 'RMI_RTT_DATA_MAP_INIT' },
    fid: Fid.RMI_DATA_CREATE,
    profiles: [profile],
    checks: checks(profile),
    orderings: [[['rd_bound', 'rd_state'], ['realm_state']], ...DATA_ORDERINGS_UNKNOWN],
    tfRmmOrder: TF_RMM_ORDER[profile],
    scope: (st, x) => {
      const ipa = num(x[2]);
      // realm_ / walk_ present from the start: one object shape per call, not two transitions.
      const rd = num(x[0]);
      const data = num(x[1]);
      const src = num(x[3]);
      const g = st.granules;
      return {
        st, rd, data, ipa, src, flags: typeof x[4] === 'number' ? x[4] : u64(x[4]), measure: (low32(x[4]) & 1) === 1,
        walkIpa: ipa, walkLevel: PAGE_LEVEL, realm_: undefined, walk_: undefined, srcGi: g.index(src), dataGi: g.index(data), rdGi: g.index(rd),
      };
    },
    touches: (s) => [s.rd, s.data, s.src],
    apply(s) {
      const st = s.st;
      const r = realm(s)!;
      const gi = mapData(s, Ripas.RAM);
      st.memory.copyGranule(st.granules.index(s.src), gi);
      r.measurements[0] = extendData(r.hashAlgo, r.measurements[0], s.ipa, s.flags, s.measure,
        s.measure ? st.memory.granuleBytes(gi) : undefined);
    },
  };
}

export const DATA_CREATE_1_0 = command('1.0');
export const DATA_CREATE_2_0 = command('2.0');
