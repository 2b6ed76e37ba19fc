// RMI_DATA_CREATE (spec B4.3.1; reference 5.20), named RMI_RTT_DATA_MAP_INIT in 2.0 (same FID and
// registers): while the realm is NEW, copy an NS page into a DELEGATED granule, map it at a
// Protected IPA (ASSIGNED, RIPAS RAM) and extend the RIM with a DATA descriptor {ipa, flags,
// H(contents) when flags.measure == MEASURE_CONTENT}.
//
// Flags: the 1.0 spec lists no condition on them (bits 63:1 are SBZ), so 1.0 measures bit 0 and
// puts the whole value into the descriptor; TF-RMM rejects anything but 0 and 1, which the 2.0
// profile (defined by TF-RMM main) does as `flags_valid`.
import { check, type Check, type Command } from '../../checks';
import { Fid, RealmState, Ripas, Status, type Profile } from '../../constants';
import { extendData } from '../../measurement';
import { low32 } from '../../u64';
import { INPUT, nsPage, num, rdArg } from '../common';
import { realmOf } from './rtt-args';
import { DATA_ORDERINGS_UNKNOWN, dataGranuleChecks, dataIpaChecks, dataWalkChecks, mapData, type DataScope } from './data-args';
import { PAGE_LEVEL } from './rtt-levels';

const U64_END = 1n << 64n;
/** X4 as the 64-bit register holds it (BigInt.asUintN allocates even when nothing changes). */
const u64 = (x: bigint): bigint => (x >= 0n && x < U64_END ? x : BigInt.asUintN(64, x));

interface S extends DataScope {
  src: number;
  flags: bigint;
  /** flags.measure, decoded once (a BigInt `&` would allocate). */
  measure: boolean;
}

/** RmiDataFlags.measure: 1 = RMI_MEASURE_CONTENT. */
const MEASURE_CONTENT = 1n;

function checks(profile: Profile): Check<S>[] {
  const list: Check<S>[] = [
    ...nsPage<S>('src', (s) => s.src, 'src'),
    ...dataGranuleChecks<S>(),
    ...rdArg<S>(),
    ...dataIpaChecks<S>(),
    check<S>('realm_state', Status.RMI_ERROR_REALM, (s) => {
      const r = realmOf(s);
      return !!r && r.state !== RealmState.NEW;
    }, undefined, 'the realm is not NEW (populate before activation)'),
    ...dataWalkChecks<S>(),
  ];
  if (profile === '2.0') {
    list.unshift(check<S>('flags_valid', INPUT, (s) => s.flags > MEASURE_CONTENT, undefined,
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
      return { st, rd: num(x[0]), data: num(x[1]), ipa, src: num(x[3]), flags: u64(x[4]), measure: (low32(x[4]) & 1) === 1, walkIpa: ipa, walkLevel: PAGE_LEVEL };
    },
    touches: (s) => [s.rd, s.data, s.src],
    apply(s) {
      const st = s.st;
      const realm = realmOf(s)!;
      const gi = mapData(s, Ripas.RAM);
      st.memory.copyGranule(st.granules.index(s.src), gi);
      realm.measurements[0] = extendData(realm.hashAlgo, realm.measurements[0], s.ipa, s.flags, s.measure,
        s.measure ? st.memory.granuleBytes(gi) : undefined);
    },
  };
}

export const DATA_CREATE_1_0 = command('1.0');
export const DATA_CREATE_2_0 = command('2.0');
