// Leak and misuse detection (reference 3.4, 8.1-8.7, 9): what a host does wrong that the RMM
// itself does not stop, or stops with an error the host may ignore.
//   - findLeaks: granules left DELEGATED that no RMM object uses and the host no longer tracks
//     (8.2, 8.7: a destroy returns granules DELEGATED and the host forgot to undelegate them, or
//     a partial range delegation the host lost track of). Each names the call that left it there.
//   - noteMisuse: per failing call, undelegating a granule that was never delegated (8.1, the
//     seed bug) and destroying a live object (8.5, 8.6, 8.17); the dispatcher attaches them to
//     the call's trace event. Only failing calls are looked at, so the success path pays nothing.
import { GranuleState, RealmState } from './constants';
import { num } from './commands/common';
import type { RmmState } from './state';
import { regBig, type Reg } from './u64';
import type { Finding } from './trace';

const hex = (pa: number) => `0x${pa.toString(16)}`;

/**
 * Granules DELEGATED that no RMM object uses and that are not in `hostTracked` (PAs of granules the
 * host still holds, e.g. delegated pages it will hand to the RMM next). Each finding has `pa` and
 * `seq`, the call that last moved the granule (0 when it was set up outside any call).
 */
export function findLeaks(rmm: { readonly st: RmmState }, hostTracked?: Iterable<bigint>): Finding[] {
  const st = rmm.st;
  const g = st.granules;
  const tracked = new Set<number>();
  for (const pa of hostTracked ?? []) {
    const n = Number(pa);
    const gi = g.index(n - (n % 4096));
    if (gi >= 0) tracked.add(gi);
  }
  // An open stateful operation may hold granules on the host's behalf; they are not leaked (yet).
  for (const ctx of st.sro.values()) {
    tracked.add(ctx.obj);
    for (const gi of ctx.held) tracked.add(gi);
  }
  const out: Finding[] = [];
  const state = g.state;
  // Most of a machine is UNDELEGATED (0): skip it four granules at a time.
  const words = state.byteOffset % 4 === 0 ? new Int32Array(state.buffer, state.byteOffset, state.length >> 2) : undefined;
  const wordEnd = words ? words.length * 4 : 0;
  for (let gi = 0; gi < g.count; gi++) {
    if (gi < wordEnd && (gi & 3) === 0 && words![gi >> 2] === 0) {
      gi += 3;
      continue;
    }
    if (state[gi] !== GranuleState.DELEGATED || tracked.has(gi)) continue;
    const pa = g.pa(gi);
    const seq = g.lastChange[gi];
    out.push({
      kind: 'leak', pa, seq, rule: 'leak',
      message: `granule ${hex(pa)} is DELEGATED but no RMM object uses it and the host does not track it` +
        (seq ? ` (left there by call #${seq})` : ''),
    });
  }
  return out;
}

/**
 * Classifies a failing call by command and failing check; misuse findings go to st.findings for
 * the call's trace event. `x` are the call's X1..X6, `seq` its number.
 */
export function noteMisuse(st: RmmState, name: string, check: string, x: readonly Reg[], seq: number): void {
  switch (name) {
    case 'RMI_GRANULE_UNDELEGATE':
      if (check === 'gran_state') notDelegated(st, st.gi(num(x[0])), seq, check, name);
      break;
    case 'RMI_GRANULE_RANGE_UNDELEGATE':
      if (check === 'gran_state') notDelegated(st, rangeStop(st, num(x[0]), num(x[1]), seq), seq, check, name);
      break;
    case 'RMI_REALM_DESTROY':
      if (check === 'realm_live' || check === 'realm_state') destroyRealm(st, num(x[0]), seq, check);
      break;
    case 'RMI_RTT_DESTROY':
      if (check === 'rtt_live') destroyRtt(st, num(x[0]), num(x[1]), Number(BigInt.asIntN(64, regBig(x[2]))), seq);
      break;
    case 'RMI_REC_DESTROY':
      if (check === 'rec_state') {
        const pa = num(x[0]);
        st.findings.push({ kind: 'destroy-live', pa, seq, rule: check, message: `REC_DESTROY of REC ${hex(pa)} while it is running (REC_RUNNING)` });
      }
      break;
  }
}

/** An undelegate stopped at granule `gi`: a finding when the granule is UNDELEGATED (not merely in use). */
function notDelegated(st: RmmState, gi: number, seq: number, check: string, name: string): void {
  if (gi < 0 || st.granules.state[gi] !== GranuleState.UNDELEGATED) return;
  const pa = st.granules.pa(gi);
  const last = st.granules.lastChange[gi];
  const why = last === 0 ? 'it was never delegated' : `it is already UNDELEGATED (since call #${last})`;
  st.findings.push({ kind: 'undelegate-not-delegated', pa, seq, rule: check, message: `${name} of ${hex(pa)}: ${why}` });
}

/**
 * The granule a failed range undelegate stopped at. Granules are processed in order from base and
 * those undelegated by this call carry its seq; in 'skip' mode already-UNDELEGATED ones are passed.
 */
function rangeStop(st: RmmState, base: number, top: number, seq: number): number {
  const g = st.granules;
  const skip = st.options.rangeUndelegateConflict === 'skip';
  for (let pa = base; pa < top; pa += 4096) {
    const gi = g.index(pa);
    if (gi < 0) return -1;
    if (g.state[gi] !== GranuleState.UNDELEGATED) return gi;
    if (g.lastChange[gi] !== seq && !skip) return gi;
  }
  return -1;
}

function destroyRealm(st: RmmState, rd: number, seq: number, check: string): void {
  const realm = st.realmAt(rd);
  if (!realm) return;
  let why: string;
  if (check === 'realm_state') {
    if (realm.state === RealmState.ZOMBIE) return;
    why = 'it was not terminated (RMI_REALM_TERMINATE) first';
  } else {
    const below = realm.roots.reduce((n, gi) => n + (st.granules.refcount[gi] ?? 0), 0);
    why = realm.numRecs ? `it still has ${realm.numRecs} REC(s)` : `its starting-level RTTs still have ${below} live entries`;
  }
  st.findings.push({ kind: 'destroy-live', pa: rd, seq, rule: check, message: `REALM_DESTROY of a live realm ${hex(rd)}: ${why}` });
}

function destroyRtt(st: RmmState, rd: number, ipa: number, level: number, seq: number): void {
  const realm = st.realmAt(rd);
  if (!realm) return;
  const w = st.walk(realm, ipa, level - 1);
  const pa = w.level === level - 1 ? w.table.addr[w.index] : undefined;
  const gi = pa === undefined ? -1 : st.granules.index(pa);
  st.findings.push({
    kind: 'destroy-live', pa, seq, rule: 'rtt_live',
    message: `RTT_DESTROY of a live level ${level} RTT${pa === undefined ? '' : ` ${hex(pa)}`} at IPA ${hex(ipa)}` +
      (gi >= 0 ? `: ${st.granules.refcount[gi]} ASSIGNED or TABLE entries remain` : ''),
  });
}
