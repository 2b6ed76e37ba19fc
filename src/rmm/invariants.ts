// The emulator's invariants (reference 3.1, 3.4 and 4): what must hold between the granule table
// and the objects after every call, whatever the host did. A violation is a bug in the emulator
// (or a hand-corrupted state), never something the host can cause, so the checker is exhaustive
// rather than incremental: it is an opt-in debugging aid (options.checkInvariants) and a property
// of the randomised tests. Each finding names its rule; the rules are listed in INVARIANT_RULES.
import { GRANULE_SIZE, GranuleState, RttState, granuleStateName } from './constants';
import type { RttTable } from './rtt';
import { levelSize } from './rtt';
import type { RmmState } from './state';
import type { Finding } from './trace';

export const INVARIANT_RULES = {
  granule_single_use: 'a granule is used by at most one object (reference 3.4)',
  granule_state: 'a granule an object uses is in the state that object needs',
  granule_owner: 'a granule an object uses is owned by that object\'s realm (reference 3.1, Ownership)',
  granule_unused: 'a granule in an object state (RD, REC, REC_AUX, DATA, RTT, PARTIAL) is used by an object',
  granule_free: 'an UNDELEGATED or DELEGATED granule has no owner',
  refcount_zero: 'only RD, RTT and REC granules keep a refcount; every other granule\'s is 0 (snapshots rely on it)',
  rtt_refcount: 'an RTT granule\'s refcount equals its live (ASSIGNED or TABLE) entries',
  rtt_realm: 'an RTT belongs to an existing realm',
  rtt_table: 'a TABLE entry points at an RTT of the same realm one level down covering the entry\'s IPA range, and every non-root RTT hangs from exactly one TABLE entry',
  data_mapping: 'an ASSIGNED entry points at DATA granules of its realm, and every DATA granule is mapped by exactly one ASSIGNED entry',
  root_rtts: 'each realm has its rtt_num_start starting-level RTTs',
  rd_refcount: 'an RD\'s refcount and num_recs equal the number of RECs the realm owns (reference 4.1)',
  rec_refcount: 'a REC\'s refcount is 1 while it runs and 0 otherwise; the realm counts its running RECs (reference 4.2)',
  vmid: 'the VMIDs in use are exactly the realms\' VMIDs, each used once',
} as const;

export type InvariantRule = keyof typeof INVARIANT_RULES;

/** Findings beyond this many are summed up in one last finding (a corrupted 4 GiB table would list millions). */
const MAX_FINDINGS = 64;

const OBJECT_STATES: ReadonlySet<number> = new Set([
  GranuleState.RD, GranuleState.REC, GranuleState.REC_AUX, GranuleState.DATA, GranuleState.RTT, GranuleState.PARTIAL,
]);

class Report {
  readonly findings: Finding[] = [];
  private more = 0;

  constructor(private readonly st: RmmState) {}

  add(rule: InvariantRule, message: string, gi?: number): void {
    if (this.findings.length >= MAX_FINDINGS) {
      this.more++;
      return;
    }
    const f: Finding = { kind: 'invariant', rule, message };
    if (gi !== undefined && gi >= 0 && gi < this.st.granules.count) f.pa = this.st.granules.pa(gi);
    this.findings.push(f);
  }

  done(): Finding[] {
    if (this.more) this.findings.push({ kind: 'invariant', message: `${this.more} more invariant violations not listed` });
    return this.findings;
  }
}

/** Who uses each granule, filled while walking the objects. */
class Uses {
  /** Number of uses (saturating). */
  readonly count: Uint8Array;
  /** The state the (first) user needs. */
  readonly need: Uint8Array;

  constructor(n: number) {
    this.count = new Uint8Array(n);
    this.need = new Uint8Array(n);
  }
}

const hex = (pa: number) => `0x${pa.toString(16)}`;

/**
 * Checks every invariant; returns one finding per violation (kind 'invariant', `rule` naming it,
 * `pa` the granule concerned). An empty list means the state is consistent.
 */
export function checkInvariants(st: RmmState): Finding[] {
  const g = st.granules;
  const r = new Report(st);
  const uses = new Uses(g.count);
  const at = (gi: number) => hex(g.pa(gi));

  /** Records that an object uses granule `gi` in state `need`, owned by `owner` (undefined: either way). */
  const use = (gi: number, need: number, owner: number | readonly number[] | undefined, what: string): void => {
    if (gi < 0 || gi >= g.count) {
      r.add('granule_state', `${what} names a granule outside DRAM`);
      return;
    }
    if (uses.count[gi] === 0) uses.need[gi] = need;
    if (uses.count[gi] < 255) uses.count[gi]++;
    if (uses.count[gi] === 2) r.add('granule_single_use', `${at(gi)} is used by more than one object (again by ${what})`, gi);
    if (g.state[gi] !== need) {
      r.add('granule_state', `${what} uses ${at(gi)}, which is ${granuleStateName(g.state[gi])}, not ${granuleStateName(need)}`, gi);
    } else if (owner !== undefined && !(typeof owner === 'number' ? g.owner[gi] === owner : owner.includes(g.owner[gi]))) {
      r.add('granule_owner', `${what} uses ${at(gi)}, whose owner is ${ownerName(st, g.owner[gi])}`, gi);
    }
  };

  checkRealms(st, r, use, at);
  checkRtts(st, r, use, at);
  checkRecs(st, r, use, at);
  for (const ctx of st.sro.values()) {
    // An open REC_CREATE has not given the granules an owner yet; an open REC_DESTROY still has.
    const rd = g.index(ctx.rdPa);
    const owners = [-1, rd];
    use(ctx.obj, GranuleState.PARTIAL, owners, `${ctx.command} operation ${ctx.handle}`);
    for (const gi of ctx.held) use(gi, GranuleState.REC_AUX, owners, `${ctx.command} operation ${ctx.handle}`);
  }

  // Every granule: object states are used, free states are ownerless, counts only where kept.
  const state = g.state;
  for (let gi = 0; gi < g.count; gi++) {
    const s = state[gi];
    if (g.refcount[gi] !== 0 && s !== GranuleState.RD && s !== GranuleState.RTT && s !== GranuleState.REC) {
      r.add('refcount_zero', `${at(gi)} is ${granuleStateName(s)} but has refcount ${g.refcount[gi]}`, gi);
    }
    if (s === GranuleState.UNDELEGATED || s === GranuleState.DELEGATED) {
      if (g.owner[gi] !== -1) r.add('granule_free', `${at(gi)} is ${granuleStateName(s)} but has owner ${ownerName(st, g.owner[gi])}`, gi);
      continue;
    }
    if (uses.count[gi] === 0 && OBJECT_STATES.has(s)) {
      const why = s === GranuleState.DATA ? 'no ASSIGNED entry maps it' : 'no RMM object uses it';
      r.add(s === GranuleState.DATA ? 'data_mapping' : 'granule_unused', `${at(gi)} is ${granuleStateName(s)} but ${why}`, gi);
    }
  }
  return r.done();
}

type Use = (gi: number, need: number, owner: number | readonly number[] | undefined, what: string) => void;

function checkRealms(st: RmmState, r: Report, use: Use, at: (gi: number) => string): void {
  const g = st.granules;
  const vmids = new Set<number>();
  for (const [rd, realm] of st.realms) {
    const name = `realm ${at(rd)}`;
    if (realm.rd !== rd) r.add('granule_state', `${name} is filed under another RD (${at(realm.rd)})`, rd);
    use(rd, GranuleState.RD, rd, name);
    if (realm.roots.length !== realm.rttNumStart) {
      r.add('root_rtts', `${name} has ${realm.roots.length} starting-level RTTs, rtt_num_start is ${realm.rttNumStart}`, rd);
    }
    realm.roots.forEach((gi, i) => {
      const t = st.rtts.get(gi);
      if (!t || t.level !== realm.rttLevelStart || t.realm !== rd) {
        r.add('root_rtts', `${name}: starting-level RTT ${i} at ${at(gi)} is ${t ? `a level ${t.level} RTT of ${at(t.realm)}` : 'missing'}`, gi);
      }
    });
    let recs = 0;
    let running = 0;
    for (const rec of st.recs.values()) {
      if (rec.owner !== rd) continue;
      recs++;
      if (rec.running) running++;
    }
    if (realm.numRecs !== recs || g.refcount[rd] !== recs) {
      r.add('rd_refcount', `${name} owns ${recs} RECs but num_recs is ${realm.numRecs} and the RD refcount ${g.refcount[rd]}`, rd);
    }
    if (realm.runningRecs !== running) r.add('rec_refcount', `${name} counts ${realm.runningRecs} running RECs, ${running} run`, rd);
    if (vmids.has(realm.vmid)) r.add('vmid', `${name} shares VMID ${realm.vmid} with another realm`, rd);
    vmids.add(realm.vmid);
    if (!st.vmids.has(realm.vmid)) r.add('vmid', `${name}'s VMID ${realm.vmid} is not marked in use`, rd);
  }
  for (const v of st.vmids) if (!vmids.has(v)) r.add('vmid', `VMID ${v} is marked in use but no realm has it`);
}

function checkRtts(st: RmmState, r: Report, use: Use, at: (gi: number) => string): void {
  const g = st.granules;
  const roots = new Set<number>();
  for (const realm of st.realms.values()) for (const gi of realm.roots) roots.add(gi);
  /** Number of TABLE entries pointing at each RTT. */
  const parents = new Map<number, number>();
  for (const [gi, t] of st.rtts) {
    const name = `level ${t.level} RTT ${at(gi)}`;
    if (t.gi !== gi) r.add('granule_state', `${name} is filed under another granule (${at(t.gi)})`, gi);
    if (!st.realms.has(t.realm)) r.add('rtt_realm', `${name} belongs to ${at(t.realm)}, which is not a realm`, gi);
    use(gi, GranuleState.RTT, t.realm, name);
    const live = t.liveEntries();
    if (g.refcount[gi] !== live) r.add('rtt_refcount', `${name} has ${live} live entries but refcount ${g.refcount[gi]}`, gi);
    checkEntries(st, r, use, t, name, parents);
  }
  for (const [gi, t] of st.rtts) {
    const n = parents.get(gi) ?? 0;
    const want = roots.has(gi) ? 0 : 1;
    if (n !== want) {
      r.add('rtt_table', `level ${t.level} RTT ${at(gi)} hangs from ${n} TABLE entries${want ? '' : ' but is a starting-level RTT'}`, gi);
    }
  }
}

function checkEntries(st: RmmState, r: Report, use: Use, t: RttTable, name: string, parents: Map<number, number>): void {
  const g = st.granules;
  const step = levelSize(t.level);
  for (let i = 0; i < t.entries; i++) {
    const s = t.state[i];
    if (s === RttState.ASSIGNED) {
      // A block maps every granule of its range (folded or mapped whole; reference 4.6).
      const n = step / GRANULE_SIZE;
      for (let k = 0; k < n; k++) {
        const gi = g.index(t.addr[i] + k * GRANULE_SIZE);
        if (gi < 0) {
          r.add('data_mapping', `${name} entry ${i} maps ${hex(t.addr[i] + k * GRANULE_SIZE)}, outside DRAM`, t.gi);
          break;
        }
        use(gi, GranuleState.DATA, t.realm, `${name} entry ${i}`);
      }
    } else if (s === RttState.TABLE) {
      const gi = g.index(t.addr[i]);
      const child = gi >= 0 ? st.rtts.get(gi) : undefined;
      if (!child) {
        r.add('rtt_table', `${name} entry ${i} is a TABLE pointing at ${hex(t.addr[i])}, which is not an RTT`, t.gi);
        continue;
      }
      parents.set(gi, (parents.get(gi) ?? 0) + 1);
      if (child.realm !== t.realm || child.level !== t.level + 1 || child.baseIpa !== t.baseIpa + i * step) {
        r.add('rtt_table', `${name} entry ${i} points at the level ${child.level} RTT for IPA ${hex(child.baseIpa)} of ${hex(g.pa(child.realm))}`, gi);
      }
    }
  }
}

function checkRecs(st: RmmState, r: Report, use: Use, at: (gi: number) => string): void {
  const g = st.granules;
  for (const [gi, rec] of st.recs) {
    const name = `REC ${at(gi)}`;
    if (rec.gi !== gi) r.add('granule_state', `${name} is filed under another granule (${at(rec.gi)})`, gi);
    if (!st.realms.has(rec.owner)) r.add('granule_owner', `${name} belongs to ${at(rec.owner)}, which is not a realm`, gi);
    use(gi, GranuleState.REC, rec.owner, name);
    for (const aux of rec.aux) use(aux, GranuleState.REC_AUX, rec.owner, `${name} (aux)`);
    if (g.refcount[gi] !== (rec.running ? 1 : 0)) {
      r.add('rec_refcount', `${name} is ${rec.running ? 'running' : 'not running'} but its refcount is ${g.refcount[gi]}`, gi);
    }
  }
}

function ownerName(st: RmmState, owner: number): string {
  return owner < 0 ? 'none' : owner < st.granules.count ? `RD ${hex(st.granules.pa(owner))}` : `granule #${owner}`;
}
