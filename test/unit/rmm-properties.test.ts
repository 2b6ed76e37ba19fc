// Properties of the emulator under seeded random host behaviour (helpers/random-host.ts), for both
// profiles: the invariants hold after every call; a failed call changes nothing; snapshot, run,
// restore, replay gives identical results, traces and final state; the granule diff agrees with a
// naive comparison. A failure names the seed and step, so it can be rerun.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status, diffSnapshots, type GranuleDelta, type Profile, type Rmm, type TraceEvent } from '../../src/rmm';
import { digest, type StateDigest } from './helpers/state-digest';
import { plannedAction } from './helpers/planned-host';
import { Rng, newMachine, noiseAction, perform, type Action } from './helpers/random-host';

const SEEDS = [1, 2, 3, 4, 5, 6];
const PROFILES: Profile[] = ['1.0', '2.0'];

/** Commands that may legitimately change state and still report an error (partial progress, SRO endings). */
const PARTIAL = new Set([
  'RMI_GRANULE_RANGE_DELEGATE', 'RMI_GRANULE_RANGE_UNDELEGATE', 'RMI_RTT_DATA_MAP', 'RMI_RTT_DATA_UNMAP',
  'RMI_RTT_UNPROT_MAP', 'RMI_RTT_UNPROT_UNMAP', 'RMI_OP_CONTINUE', 'RMI_OP_MEM_DONATE', 'RMI_OP_MEM_RECLAIM', 'RMI_OP_CANCEL',
]);

/** Two thirds purposeful (a realm's life, driven forward), one third careless. */
function nextAction(rmm: Rmm, r: Rng): Action {
  return (r.chance(0.65) ? plannedAction(rmm, r) : undefined) ?? noiseAction(rmm, r);
}

/** A traced machine and the events of its calls. */
function traced(profile: Profile): { rmm: Rmm; events: TraceEvent[] } {
  const rmm = newMachine(profile);
  const events: TraceEvent[] = [];
  rmm.onTrace = (e) => events.push(e);
  return { rmm, events };
}

/** The parts of a digest a call may not change when it fails (the call count and fault counters move on). */
const machineState = (d: StateDigest) => ({ ...d, calls: 0, faults: '' });

function describeAction(a: Action): string {
  return a.kind === 'write' ? `write 0x${a.pa.toString(16)}` : `smc 0x${a.fid.toString(16)}(${a.args.map((x) => `0x${x.toString(16)}`).join(', ')})`;
}

/** Granule changes by full comparison of two dense copies: the reference the fast diff must match. */
function naiveDiff(rmm: Rmm, a: { state: Uint8Array; owner: Int32Array }, b: { state: Uint8Array; owner: Int32Array }): GranuleDelta[] {
  const g = rmm.st.granules;
  const out: GranuleDelta[] = [];
  for (let i = 0; i < g.count; i++) {
    if (a.state[i] === b.state[i] && a.owner[i] === b.owner[i]) continue;
    const d: GranuleDelta = { pa: g.pa(i), from: a.state[i], to: b.state[i] };
    if (a.owner[i] >= 0) d.fromRealm = g.pa(a.owner[i]);
    if (b.owner[i] >= 0) d.toRealm = g.pa(b.owner[i]);
    out.push(d);
  }
  return out;
}

/** Commands that succeeded somewhere in the walks, per profile: the walks must reach deep states. */
const reached: Record<Profile, Set<string>> = { '1.0': new Set(), '2.0': new Set() };
const MUST_REACH: Record<Profile, string[]> = {
  '1.0': ['RMI_REALM_CREATE', 'RMI_RTT_CREATE', 'RMI_DATA_CREATE', 'RMI_DATA_DESTROY', 'RMI_REC_CREATE', 'RMI_REC_DESTROY',
    'RMI_REALM_ACTIVATE', 'RMI_RTT_DESTROY', 'RMI_REALM_DESTROY', 'RMI_GRANULE_UNDELEGATE'],
  '2.0': ['RMI_GRANULE_RANGE_DELEGATE', 'RMI_GRANULE_RANGE_UNDELEGATE', 'RMI_REALM_CREATE', 'RMI_RTT_CREATE', 'RMI_RTT_DATA_MAP',
    'RMI_RTT_DATA_UNMAP', 'RMI_OP_CONTINUE', 'RMI_REALM_TERMINATE', 'RMI_RTT_DESTROY', 'RMI_REALM_DESTROY'],
};

const dense = (rmm: Rmm) => ({ state: rmm.st.granules.state.slice(), owner: rmm.st.granules.owner.slice() });

describe('RMM properties under random host call sequences', () => {
  for (const profile of PROFILES) {
    for (const seed of SEEDS) {
      it(`${profile} seed ${seed}: invariants hold after every call, and a failed call changes nothing`, () => {
        const { rmm, events } = traced(profile);
        const r = new Rng(seed);
        const made = new Set<string>();
        for (let step = 0; step < 400; step++) {
          const a = nextAction(rmm, r);
          const before = a.kind === 'smc' ? machineState(digest(rmm)) : undefined;
          const n = events.length;
          perform(rmm, a);
          if (a.kind === 'write') continue;
          const e = events[n];
          const where = `seed ${seed} step ${step}: ${e.name} ${describeAction(a)}`;
          const broken = e.findings.filter((f) => f.kind === 'invariant');
          assert.deepEqual(broken, [], `${where} broke an invariant`);
          if (e.status === Status.RMI_SUCCESS) made.add(e.name);
          else if (e.status !== Status.RMI_INCOMPLETE && e.status !== -1 && !PARTIAL.has(e.name)) {
            assert.deepEqual(machineState(digest(rmm)), before, `${where} failed at ${e.failedCheck} but changed the state`);
          }
        }
        // The walk must reach the interesting states, or the properties say little.
        for (const name of made) reached[profile].add(name);
      });

      it(`${profile} seed ${seed}: snapshot, run, restore, replay gives identical results, traces and state`, () => {
        const { rmm, events } = traced(profile);
        const r = new Rng(1000 + seed);
        for (let i = 0; i < 150; i++) perform(rmm, nextAction(rmm, r));
        const atSnapshot = digest(rmm);
        const s = rmm.snapshot();
        const actions: Action[] = [];
        const results: bigint[][] = [];
        events.length = 0;
        for (let i = 0; i < 150; i++) {
          const a = nextAction(rmm, r);
          actions.push(a);
          results.push(perform(rmm, a));
        }
        const firstRun = events.splice(0);
        const atEnd = digest(rmm);

        for (let round = 0; round < 2; round++) {
          rmm.restore(s);
          assert.deepEqual(digest(rmm), atSnapshot, `seed ${seed}: restore did not give back the snapshot's state`);
          const replayed = actions.map((a) => perform(rmm, a));
          assert.deepEqual(replayed, results, `seed ${seed} round ${round}: replayed calls returned different registers`);
          assert.deepEqual(events.splice(0), firstRun, `seed ${seed} round ${round}: replayed calls traced differently`);
          assert.deepEqual(digest(rmm), atEnd, `seed ${seed} round ${round}: replay ended in a different state`);
        }
      });

      it(`${profile} seed ${seed}: the granule diff agrees with a naive comparison`, () => {
        const rmm = newMachine(profile, false);
        const r = new Rng(2000 + seed);
        let prev = { snap: rmm.snapshot(), arrays: dense(rmm) };
        const first = prev;
        for (let round = 0; round < 8; round++) {
          for (let i = 0; i < 1 + r.int(60); i++) perform(rmm, nextAction(rmm, r));
          const now = dense(rmm);
          assert.deepEqual(diffSnapshots(rmm, prev.snap), naiveDiff(rmm, prev.arrays, now), `seed ${seed} round ${round}: snapshot vs now`);
          const snap = rmm.snapshot();
          assert.deepEqual(diffSnapshots(rmm, prev.snap, snap), naiveDiff(rmm, prev.arrays, now), `seed ${seed} round ${round}: snapshot vs snapshot`);
          assert.deepEqual(diffSnapshots(rmm, snap, first.snap), naiveDiff(rmm, now, first.arrays), `seed ${seed} round ${round}: backwards to the start`);
          prev = { snap, arrays: now };
        }
        // After a restore the live state is the snapshot's, and diffs against it are measured from there.
        rmm.restore(first.snap);
        assert.deepEqual(diffSnapshots(rmm, first.snap), []);
        assert.deepEqual(diffSnapshots(rmm, prev.snap), naiveDiff(rmm, prev.arrays, first.arrays));
      });
    }

    it(`${profile}: the walks reach realms, RTTs, DATA, RECs and their teardown`, () => {
      const missing = MUST_REACH[profile].filter((n) => !reached[profile].has(n));
      assert.deepEqual(missing, [], `no successful ${missing.join(', ')} in any walk: the properties above say little`);
    });
  }
});
