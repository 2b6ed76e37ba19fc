// Everything the RMM knows, in one place, with the small helpers the commands share (granule
// lookups by PA, the RTT walk). Commands read and change this; nothing else does.
import { GRANULE_SIZE, GranuleState, RttState, type Profile } from './constants';
import { GranuleTable, type DramRegion } from './granules';
import { PhysicalMemory } from './memory';
import type { Realm, Rec, ScriptedExit, SroContext } from './objects';
import type { RmmOptions } from './options';
import { RTT_ENTRIES, RTT_ENTRIES_LM1, RttTable, entryIndex, initialEntry, levelSize, type RttWalk } from './rtt';
import type { Finding } from './trace';

export class RmmState {
  readonly granules: GranuleTable;
  readonly memory: PhysicalMemory;
  /** Realms by RD granule index. */
  realms = new Map<number, Realm>();
  /** RECs by REC granule index. */
  recs = new Map<number, Rec>();
  /** RTTs by RTT granule index. */
  rtts = new Map<number, RttTable>();
  /** 2.0: RMM_STATE_ACTIVE after RMI_RMM_ACTIVATE (1.0 is always active). */
  rmmActive: boolean;
  /** 2.0: RmiRmmConfig as set by RMM_CONFIG_SET (encodings of reference 6.6). */
  config = { trackingRegionSize: 0n, granuleSize: 0n };
  /** VMIDs in use (1.0 host-chosen, 2.0 RMM-allocated). */
  vmids = new Set<number>();
  /** 2.0: open stateful RMI operations (SRO) by handle; commands/v2/sro.ts. Snapshots copy each with cloneSro. */
  sro = new Map<number, SroContext>();
  /** Findings of the current call (misuse detection), moved into its trace event. */
  findings: Finding[] = [];

  constructor(
    readonly profile: Profile,
    readonly options: RmmOptions,
    dram: readonly DramRegion[],
  ) {
    this.granules = new GranuleTable(dram);
    this.memory = new PhysicalMemory(this.granules);
    this.rmmActive = profile === '1.0' || options.activated;
  }

  /** Granule index of an aligned PA inside DRAM, or -1 (the `*_align` / `*_bound` failures). */
  gi(pa: number): number {
    return pa % GRANULE_SIZE === 0 ? this.granules.index(pa) : -1;
  }

  stateOf(gi: number): number {
    return gi < 0 ? -1 : this.granules.state[gi];
  }

  /** The realm whose RD is at `pa`, when that granule is an RD. */
  realmAt(pa: number): Realm | undefined {
    const gi = this.gi(pa);
    return gi >= 0 && this.granules.state[gi] === GranuleState.RD ? this.realms.get(gi) : undefined;
  }

  /** Creates an RTT object for a granule already moved to state RTT. */
  newRtt(gi: number, realm: Realm, level: number, baseIpa: number, entries = level === -1 ? RTT_ENTRIES_LM1 : RTT_ENTRIES): RttTable {
    const t = new RttTable(gi, realm.rd, level, baseIpa, entries);
    this.rtts.set(gi, t);
    return t;
  }

  /** Fills a fresh table with the initial entry states (protected UNASSIGNED/EMPTY, else UNASSIGNED_NS). */
  resetEntries(t: RttTable, realm: Realm): void {
    const step = levelSize(t.level);
    for (let i = 0; i < t.entries; i++) initialEntry(t, i, t.baseIpa + i * step, realm.ipaWidth);
  }

  /**
   * The spec's RttWalk: from the starting level towards `level`, following TABLE entries; stops at
   * the first entry that is not TABLE or at `level`. Callers check ipa < 2^ipaWidth first.
   */
  walk(realm: Realm, ipa: number, level: number): RttWalk {
    let lvl = realm.rttLevelStart;
    const perRoot = lvl === -1 ? RTT_ENTRIES_LM1 : RTT_ENTRIES;
    const global = Math.floor(ipa / levelSize(lvl));
    let table = this.rtts.get(realm.roots[Math.floor(global / perRoot)])!;
    let index = global % perRoot;
    while (lvl < level && table.state[index] === RttState.TABLE) {
      table = this.rtts.get(this.granules.index(table.addr[index]))!;
      lvl++;
      index = entryIndex(ipa, lvl, RTT_ENTRIES);
    }
    return { level: lvl, table, index };
  }

  /** Increments/decrements an RTT granule's count of live entries (TF-RMM's refcount). */
  addRef(gi: number, delta: number): void {
    this.granules.refcount[gi] += delta;
  }

  /** The REC at `pa` for the hooks below; a RangeError when there is none. */
  private recForHook(pa: number | bigint, what: string): Rec {
    const gi = this.gi(Number(pa));
    const rec = gi >= 0 && this.granules.state[gi] === GranuleState.REC ? this.recs.get(gi) : undefined;
    if (!rec) throw new RangeError(`${what}: no REC at PA 0x${pa.toString(16)}`);
    return rec;
  }

  /**
   * Realm behaviour hook. Realm execution is not modelled, so what a realm does when its REC runs
   * is scripted: each RMI_REC_ENTER of this REC takes the oldest queued exit (a data abort, an
   * IRQ, a PSCI request, a RIPAS change request, a host call ...) and reports it in the run page;
   * with nothing queued the REC exits with RMI_EXIT_IRQ, as if the host's timer fired. The queue
   * belongs to the REC: cloneRec copies it, REC_DESTROY drops it.
   */
  queueRecExit(recPa: number | bigint, exit: ScriptedExit): void {
    const rec = this.recForHook(recPa, 'queueRecExit');
    (rec.exits ??= []).push({ ...exit });
  }

  /**
   * Simulates another CPU being inside RMI_REC_ENTER for this REC (REC_RUNNING), or leaving it:
   * calls are atomic here, so a REC is never observed running otherwise. TF-RMM marks a running
   * REC with refcount 1, and the realm counts its running RECs.
   */
  setRecRunning(recPa: number | bigint, running: boolean): void {
    const rec = this.recForHook(recPa, 'setRecRunning');
    if (rec.running === running) return;
    rec.running = running;
    this.granules.refcount[rec.gi] = running ? 1 : 0;
    const realm = this.realms.get(rec.owner);
    if (realm) realm.runningRecs += running ? 1 : -1;
  }
}
