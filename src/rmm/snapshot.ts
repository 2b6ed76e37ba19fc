// Snapshot and restore of the whole emulator state, for checkpoints, reverse execution and fault
// sweeps. Cheap at scale: the granule table is copied in chunks, only those written since the last
// snapshot (granule-snapshot.ts), memory pages are shared copy-on-write (memory.ts), and only the
// objects that exist (realms, RECs, RTTs, open operations) are cloned. A snapshot is immutable:
// restore copies out of it, so one snapshot can be restored any number of times.
import type { Profile } from './constants';
import type { FaultInjector } from './faults';
import { restoreGranules, snapshotGranules, type GranuleSnapshot } from './granule-snapshot';
import type { MemorySnapshot } from './memory';
import { cloneRealm, cloneRec, cloneSro, type Realm, type Rec, type SroContext } from './objects';
import type { RttTable } from './rtt';
import type { RmmState } from './state';

/**
 * How a snapshot treats each own field of RmmState. A unit test compares this list with the
 * fields of a fresh RmmState, so a field added later cannot be forgotten here:
 *   copied     part of the machine state, saved and restored;
 *   fixed      set at creation and never changed by a call (the machine's identity);
 *   transient  scratch of the call in progress, empty between calls.
 */
export const STATE_FIELDS = {
  granules: 'copied',
  memory: 'copied',
  realms: 'copied',
  recs: 'copied',
  rtts: 'copied',
  rmmActive: 'copied',
  config: 'copied',
  vmids: 'copied',
  sro: 'copied',
  findings: 'transient',
  profile: 'fixed',
  options: 'fixed',
} as const;

/** The same for GranuleTable's own fields ('tracking': the copy-on-write bookkeeping itself). */
export const GRANULE_TABLE_FIELDS = {
  state: 'copied',
  owner: 'copied',
  refcount: 'copied',
  lastChange: 'copied',
  regions: 'fixed',
  count: 'fixed',
  firstIndex: 'fixed',
  seq: 'transient',
  changes: 'transient',
  dirty: 'tracking',
} as const;

export interface RmmSnapshot {
  readonly profile: Profile;
  /** Granules in the machine; a snapshot restores only into a machine of the same size. */
  readonly count: number;
  /** Calls made so far (the dispatcher's seq), so replayed calls get the same numbers. */
  readonly calls: number;
  /** Granule state, owner, refcount and lastChange. */
  readonly granules: GranuleSnapshot;
  readonly memory: MemorySnapshot;
  readonly realms: ReadonlyMap<number, Realm>;
  readonly recs: ReadonlyMap<number, Rec>;
  readonly rtts: ReadonlyMap<number, RttTable>;
  readonly sro: ReadonlyMap<number, SroContext>;
  readonly rmmActive: boolean;
  readonly config: Readonly<RmmState['config']>;
  readonly vmids: ReadonlySet<number>;
  /** Fault injector counters (calls per command, faults fired / armed). */
  readonly faults: unknown;
}

function cloneMap<T>(m: ReadonlyMap<number, T>, clone: (v: T) => T): Map<number, T> {
  const out = new Map<number, T>();
  for (const [k, v] of m) out.set(k, clone(v));
  return out;
}

const cloneRtt = (t: RttTable) => t.clone();

/** The granules that keep a refcount: RDs (their RECs), RTTs (live entries), RECs (running). */
function* countedGranules(st: RmmState): Iterable<number> {
  yield* st.realms.keys();
  yield* st.rtts.keys();
  yield* st.recs.keys();
}

export function takeSnapshot(st: RmmState, faults: FaultInjector, calls: number): RmmSnapshot {
  const g = st.granules;
  return {
    profile: st.profile,
    count: g.count,
    calls,
    granules: snapshotGranules(g, countedGranules(st)),
    memory: st.memory.snapshot(),
    realms: cloneMap(st.realms, cloneRealm),
    recs: cloneMap(st.recs, cloneRec),
    rtts: cloneMap(st.rtts, cloneRtt),
    sro: cloneMap(st.sro, cloneSro),
    rmmActive: st.rmmActive,
    config: { ...st.config },
    vmids: new Set(st.vmids),
    faults: faults.save(),
  };
}

/** Puts `s` back into `st` and `faults`; returns the call count to give the dispatcher. */
export function restoreSnapshot(st: RmmState, faults: FaultInjector, s: RmmSnapshot): number {
  const g = st.granules;
  if (s.profile !== st.profile || s.count !== g.count) {
    throw new RangeError(`restore: snapshot of a ${s.profile} machine with ${s.count} granules does not fit this ${st.profile} machine with ${g.count}`);
  }
  // Into the live arrays, not new ones: views handed out earlier (the map, the debugger) stay valid.
  restoreGranules(g, s.granules);
  st.memory.restore(s.memory);
  st.realms = cloneMap(s.realms, cloneRealm);
  st.recs = cloneMap(s.recs, cloneRec);
  st.rtts = cloneMap(s.rtts, cloneRtt);
  st.sro = cloneMap(s.sro, cloneSro);
  st.rmmActive = s.rmmActive;
  st.config = { ...s.config };
  st.vmids = new Set(s.vmids);
  st.findings = [];
  faults.load(s.faults);
  return s.calls;
}
