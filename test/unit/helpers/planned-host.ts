// The purposeful half of the property tests' random host: given the emulator's state, a call that
// moves a realm's life forward (delegate what is needed, create the realm, its RTTs, DATA and RECs,
// drive 2.0 stateful operations, activate, enter, tear down bottom-up, undelegate leftovers).
// Mixed with noiseAction's careless calls, the walk reaches deep states and their error paths.
import { Fid, GranuleState, RealmState, RttState } from '../../../src/rmm';
import type { Rmm } from '../../../src/rmm';
import type { Realm } from '../../../src/rmm/objects';
import { levelSize } from '../../../src/rmm/rtt';
import { GRANULE, PAGES, POOL, gpa, type Action, type Rng } from './random-host';

/** Root RTTs of each RmiRealmParams page (random-host.ts), and the 1.0 aux granules of REC 0 / 1. */
const ROOTS = [[8], [12], [20, 21]];
const RESERVED = new Set([8, 12, 20, 21, 30, 31, 32, 33]);
const DATA_IPAS = [0, 0x1000, 0x2000, 0x20_0000, 0x20_1000];

const smc = (fid: number, ...args: bigint[]): Action => ({ kind: 'smc', fid: BigInt(fid), args });

export function plannedAction(rmm: Rmm, r: Rng): Action | undefined {
  const st = rmm.st;
  const g = st.granules;
  const v2 = rmm.profile === '2.0';
  const stateOf = (i: number) => g.state[i];
  const delegate = (i: number): Action =>
    (v2 ? smc(Fid.RMI_GRANULE_RANGE_DELEGATE, gpa(i), gpa(i) + GRANULE) : smc(Fid.RMI_GRANULE_DELEGATE, gpa(i)));
  const undelegate = (i: number): Action =>
    (v2 ? smc(Fid.RMI_GRANULE_RANGE_UNDELEGATE, gpa(i), gpa(i) + GRANULE) : smc(Fid.RMI_GRANULE_UNDELEGATE, gpa(i)));
  /** A spare DELEGATED granule, or the call that makes one (undefined: the pool is used up). */
  const spare = (): { pa: bigint } | { action: Action } | undefined => {
    const ready: number[] = [];
    const free: number[] = [];
    for (let i = 0; i < POOL; i++) {
      if (RESERVED.has(i)) continue;
      if (stateOf(i) === GranuleState.DELEGATED) ready.push(i);
      else if (stateOf(i) === GranuleState.UNDELEGATED) free.push(i);
    }
    if (ready.length) return { pa: gpa(r.pick(ready)) };
    return free.length ? { action: delegate(r.pick(free)) } : undefined;
  };
  /** `make(pa)` with a spare granule, delegating one first when there is none. */
  const withSpare = (make: (pa: bigint) => Action): Action | undefined => {
    const s = spare();
    return !s ? undefined : 'pa' in s ? make(s.pa) : s.action;
  };

  // Host pages the careless half delegated are taken back first (params, lists and run pages must be NS).
  const hostPage = Object.values(PAGES).flat().find((p) => stateOf(g.index(Number(p))) === GranuleState.DELEGATED);
  if (hostPage !== undefined && r.chance(0.5)) {
    return v2 ? smc(Fid.RMI_GRANULE_RANGE_UNDELEGATE, hostPage, hostPage + GRANULE) : smc(Fid.RMI_GRANULE_UNDELEGATE, hostPage);
  }

  // An open stateful operation comes first: answer what it asked for.
  const sro = [...st.sro.values()][0];
  if (sro && r.chance(0.8)) {
    const handle = BigInt(sro.handle);
    if (sro.expect === 'RMI_OP_MEM_DONATE') {
      const wanted = Math.min(sro.wanted, 2);
      const ready = [...Array(POOL).keys()].filter((i) => !RESERVED.has(i) && stateOf(i) === GranuleState.DELEGATED).slice(0, wanted);
      if (ready.length < wanted) {
        const free = [...Array(POOL).keys()].find((i) => !RESERVED.has(i) && stateOf(i) === GranuleState.UNDELEGATED);
        return free !== undefined ? delegate(free) : smc(Fid.RMI_OP_CANCEL, handle, 0n);
      }
      if (r.chance(0.5)) {
        const b = new Uint8Array(8 * wanted);
        ready.forEach((i, k) => new DataView(b.buffer).setBigUint64(8 * k, gpa(i) | (1n << 2n), true));
        return { kind: 'write', pa: PAGES.list, bytes: b };
      }
      return smc(Fid.RMI_OP_MEM_DONATE, handle, PAGES.list, BigInt(wanted));
    }
    if (sro.expect === 'RMI_OP_MEM_RECLAIM') return smc(Fid.RMI_OP_MEM_RECLAIM, handle, PAGES.out, 16n);
    return smc(Fid.RMI_OP_CONTINUE, handle, 0n);
  }

  const realm = [...st.realms.values()][0];
  if (!realm) {
    if (r.chance(0.2)) return cleanup(rmm, r, undelegate);
    const v = r.int(3);
    const root = ROOTS[v].find((i) => stateOf(i) === GranuleState.UNDELEGATED);
    if (root !== undefined) return delegate(root);
    return withSpare((rd) => smc(Fid.RMI_REALM_CREATE, rd, PAGES.realmParams[v]));
  }
  const rd = BigInt(g.pa(realm.rd));
  const goals = ['table', 'table', 'data', 'data', 'data', 'rec', 'activate', 'enter', 'teardown', 'teardown', 'cleanup'];
  switch (r.pick(goals)) {
    case 'table': {
      const ipa = r.pick(DATA_IPAS);
      const w = st.walk(realm, ipa, 3);
      if (w.level === 3) return undefined;
      const span = levelSize(w.level);
      return withSpare((rtt) => smc(Fid.RMI_RTT_CREATE, rd, rtt, BigInt(Math.floor(ipa / span) * span), BigInt(w.level + 1)));
    }
    case 'data': {
      const ipa = r.pick(DATA_IPAS);
      const w = st.walk(realm, ipa, 3);
      if (w.level !== 3 || w.table.state[w.index] !== RttState.UNASSIGNED) return undefined;
      if (v2 && r.chance(0.5)) return withSpare((pa) => smc(Fid.RMI_RTT_DATA_MAP, rd, BigInt(ipa), BigInt(ipa) + GRANULE, 1n, pa | (1n << 2n)));
      return withSpare((pa) => smc(Fid.RMI_DATA_CREATE, rd, pa, BigInt(ipa), PAGES.src, BigInt(r.int(2))));
    }
    case 'rec': {
      const k = realm.recIndex;
      if (k > 1) return undefined;
      if (!v2) {
        const aux = [30 + 2 * k, 31 + 2 * k].find((i) => stateOf(i) === GranuleState.UNDELEGATED);
        if (aux !== undefined) return delegate(aux);
      }
      return withSpare((rec) => smc(Fid.RMI_REC_CREATE, rd, rec, PAGES.recParams[k]));
    }
    case 'activate': // mostly once the realm has a REC, so that populating has a chance first
      return realm.numRecs > 0 || r.chance(0.2) ? smc(Fid.RMI_REALM_ACTIVATE, rd) : undefined;
    case 'enter': {
      const rec = [...st.recs.values()].find((x) => x.owner === realm.rd);
      return rec ? smc(Fid.RMI_REC_ENTER, BigInt(g.pa(rec.gi)), PAGES.run) : undefined;
    }
    case 'teardown':
      return teardown(rmm, r, realm, rd);
    default:
      return cleanup(rmm, r, undelegate);
  }
}

/** The next step of taking the realm down bottom-up: RECs, DATA, RTTs from level 3 up, then the realm. */
function teardown(rmm: Rmm, r: Rng, realm: Realm, rd: bigint): Action {
  const st = rmm.st;
  const g = st.granules;
  if (rmm.profile === '2.0' && realm.state !== RealmState.ZOMBIE && r.chance(0.15)) return smc(Fid.RMI_REALM_TERMINATE, rd);
  const rec = [...st.recs.values()].find((x) => x.owner === realm.rd);
  if (rec) return smc(Fid.RMI_REC_DESTROY, BigInt(g.pa(rec.gi)));
  const tables = [...st.rtts.values()].filter((t) => t.realm === realm.rd && !realm.roots.includes(t.gi)).sort((a, b) => b.level - a.level);
  for (const t of tables) {
    const i = t.state.findIndex((s) => s === RttState.ASSIGNED);
    if (i >= 0) {
      const ipa = BigInt(t.baseIpa + i * levelSize(t.level));
      return rmm.profile === '2.0' ? smc(Fid.RMI_RTT_DATA_UNMAP, rd, ipa, ipa + GRANULE, 0n, 0n) : smc(Fid.RMI_DATA_DESTROY, rd, ipa);
    }
  }
  const leaf = tables.find((t) => g.refcount[t.gi] === 0);
  if (leaf) return smc(Fid.RMI_RTT_DESTROY, rd, BigInt(leaf.baseIpa), BigInt(leaf.level));
  return smc(Fid.RMI_REALM_DESTROY, rd);
}

/** Gives a DELEGATED pool granule back to the host. */
function cleanup(rmm: Rmm, r: Rng, undelegate: (i: number) => Action): Action | undefined {
  const g = rmm.st.granules;
  const delegated = [...Array(POOL).keys()].filter((i) => g.state[i] === GranuleState.DELEGATED);
  return delegated.length ? undelegate(r.pick(delegated)) : undefined;
}
