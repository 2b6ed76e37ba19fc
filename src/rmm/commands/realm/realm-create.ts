// RMI_REALM_CREATE (spec B4.3.9; reference 5.6): turn a DELEGATED granule into an RD and the
// starting-level RTT granules into RTTs, as described by an RmiRealmParams page in NS memory.
// 1.0: the host chooses the VMID (vmid_valid). 2.0: the RMM allocates it, RMI_ERROR_GLOBAL when none is left.
import { check, type Check, type Command } from '../../checks';
import { Fid, GRANULE_SIZE, GranuleState, HashAlgo, RealmState, Status, type Profile } from '../../constants';
import { rimInit } from '../../measurement';
import type { Realm } from '../../objects';
import { levelSize } from '../../rtt';
import type { RmmState } from '../../state';
import { INPUT, granuleArg, nsPage, num } from '../common';
import { readRealmParams, REALM_FLAG_LPA2, REALM_FLAG_PMU, REALM_FLAG_SVE, type RealmParams } from './realm-params';
import { rootTableCount } from './rtt-geometry';

interface S {
  st: RmmState;
  rd: number;
  paramsPa: number;
  cached?: RealmParams;
}

function params(s: S): RealmParams | undefined {
  if (s.cached) return s.cached;
  const gi = s.st.gi(s.paramsPa);
  if (gi < 0 || s.st.granules.state[gi] !== GranuleState.UNDELEGATED) return undefined;
  return (s.cached = readRealmParams(s.st, s.paramsPa, s.st.profile));
}

const KNOWN_FLAGS = REALM_FLAG_LPA2 | REALM_FLAG_SVE | REALM_FLAG_PMU;

function paramsInvalid(s: S): boolean {
  const p = params(s);
  if (!p) return false;
  const algos: number[] = s.st.profile === '2.0' ? [HashAlgo.SHA_256, HashAlgo.SHA_512, HashAlgo.SHA_384] : [HashAlgo.SHA_256, HashAlgo.SHA_512];
  const byte = (v: bigint) => v > 0xffn;
  return (p.flags & ~KNOWN_FLAGS) !== 0n || byte(p.s2sz) || byte(p.sveVl) || byte(p.numBps) || byte(p.numWps) || byte(p.pmuNumCtrs)
    || !algos.includes(Number(p.hashAlgo & 0xffn)) || p.hashAlgo > 0xffn || p.rttNumStart > 0xffff_ffffn || p.flags1 !== 0n;
}

function paramsUnsupported(s: S): boolean {
  const p = params(s);
  if (!p) return false;
  const o = s.st.options;
  const s2sz = Number(p.s2sz);
  const lpa2 = (p.flags & REALM_FLAG_LPA2) !== 0n;
  if (lpa2 && !o.lpa2) return true;
  if (s2sz < 32 || s2sz > (lpa2 ? 52 : Math.min(48, o.maxIpaWidth)) || s2sz > o.maxIpaWidth) return true;
  if ((p.flags & REALM_FLAG_SVE) !== 0n || (p.flags & REALM_FLAG_PMU) !== 0n) return true; // no SVE, no PMU modelled
  if (p.numBps === 0n || p.numBps > BigInt(o.numBps) || p.numWps === 0n || p.numWps > BigInt(o.numWps)) return true;
  return p.numAuxPlanes !== 0n; // planes are not modelled
}

function rootPas(p: RealmParams): number[] {
  const n = Math.min(Number(p.rttNumStart), 16);
  const base = num(p.rttBase);
  return Array.from({ length: n }, (_, i) => base + i * GRANULE_SIZE);
}

function checks(profile: Profile): Check<S>[] {
  const list: Check<S>[] = [
    ...nsPage<S>('params', (s) => s.paramsPa, 'params_ptr'),
    check<S>('params_valid', INPUT, paramsInvalid, undefined, 'reserved bits set or an encoding out of range in RmiRealmParams'),
    check<S>('params_supp', INPUT, paramsUnsupported, undefined, 'a requested feature (LPA2, IPA width, SVE, PMU, breakpoints, planes) is not supported'),
    check<S>('alias', INPUT, (s) => {
      const p = params(s);
      if (!p) return false;
      const base = num(p.rttBase);
      return s.rd >= base && s.rd <= base + (Number(p.rttNumStart) - 1) * GRANULE_SIZE;
    }, undefined, 'rd lies inside the starting-level RTT range'),
    ...granuleArg<S>('rd', (s) => s.rd, GranuleState.DELEGATED, 'rd'),
    check<S>('rtt_align', INPUT, (s) => {
      const p = params(s);
      return !!p && p.rttNumStart > 0n && num(p.rttBase) % (Number(p.rttNumStart) * GRANULE_SIZE) !== 0;
    }, undefined, 'rtt_base is not aligned to rtt_num_start granules'),
    check<S>('rtt_num_level', INPUT, (s) => {
      const p = params(s);
      if (!p) return false;
      const n = rootTableCount(Number(p.s2sz), Number(p.rttLevelStart), (p.flags & REALM_FLAG_LPA2) !== 0n);
      return n === undefined || BigInt(n) !== p.rttNumStart;
    }, undefined, 's2sz, rtt_level_start and rtt_num_start are inconsistent'),
    check<S>('rtt_state', INPUT, (s) => {
      const p = params(s);
      if (!p) return false;
      return rootPas(p).some((pa) => s.st.stateOf(s.st.gi(pa)) !== GranuleState.DELEGATED);
    }, undefined, 'a starting-level RTT granule is not DELEGATED'),
  ];
  if (profile === '1.0') {
    list.push(check<S>('vmid_valid', INPUT, (s) => {
      const p = params(s);
      return !!p && (p.vmid >= BigInt(s.st.options.vmidCount) || s.st.vmids.has(Number(p.vmid)));
    }, undefined, 'the VMID is not valid on this platform or is used by another realm'));
  } else {
    list.push(check<S>('vmid_alloc', Status.RMI_ERROR_GLOBAL, (s) => s.st.vmids.size >= s.st.options.vmidCount, undefined,
      'the RMM has no free VMID'));
  }
  return list;
}

function apply(s: S): void {
  const st = s.st;
  const p = params(s)!;
  const g = st.granules;
  const rdGi = g.index(s.rd);
  const levelStart = Number(p.rttLevelStart);
  const roots = rootPas(p).map((pa) => g.index(pa));
  let vmid = Number(p.vmid);
  if (st.profile === '2.0') {
    vmid = 0;
    while (st.vmids.has(vmid)) vmid++;
  }
  st.vmids.add(vmid);
  const algo = Number(p.hashAlgo);
  const measurements = [rimInit(algo, p.bytes), ...Array.from({ length: 4 }, () => new Uint8Array(64))];
  const realm: Realm = {
    rd: rdGi, state: RealmState.NEW, ipaWidth: Number(p.s2sz), lpa2: (p.flags & REALM_FLAG_LPA2) !== 0n, hashAlgo: algo,
    rttBase: num(p.rttBase), rttLevelStart: levelStart, rttNumStart: roots.length, roots, vmid,
    recIndex: 0, numRecs: 0, runningRecs: 0, rpv: p.rpv, measurements, flags: p.flags,
    sveVl: Number(p.sveVl), numBps: Number(p.numBps), numWps: Number(p.numWps), pmuNumCtrs: Number(p.pmuNumCtrs),
  };
  // TF-RMM main moves the RTTs first, then the RD; the order is visible only in the trace.
  const perTable = levelStart === -1 ? 16 : 512;
  roots.forEach((gi, i) => {
    g.set(gi, GranuleState.RTT, rdGi);
    const t = st.newRtt(gi, realm, levelStart, i * perTable * levelSize(levelStart));
    st.resetEntries(t, realm);
  });
  g.set(rdGi, GranuleState.RD, rdGi);
  st.realms.set(rdGi, realm);
}

function command(profile: Profile): Command<S> {
  return {
    name: 'RMI_REALM_CREATE',
    fid: Fid.RMI_REALM_CREATE,
    profiles: [profile],
    checks: checks(profile),
    orderings: [],
    tfRmmOrder: [
      'params_align', 'params_bound', 'params_pas', 'params_valid', 'params_supp', 'rtt_align', 'rtt_num_level',
      ...(profile === '1.0' ? ['vmid_valid'] : ['vmid_alloc']), 'alias', 'rd_align', 'rd_bound', 'rd_state', 'rtt_state',
    ],
    scope: (st, x) => ({ st, rd: num(x[0]), paramsPa: num(x[1]) }),
    touches: (s) => {
      const p = params(s);
      return [s.rd, ...(p ? rootPas(p) : [])];
    },
    apply,
  };
}

export const REALM_CREATE_1_0 = command('1.0');
export const REALM_CREATE_2_0 = command('2.0');
