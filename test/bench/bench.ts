// `npm run bench`: the emulator's benchmarks (DESIGN.md section 8), one JSON object per line
// {"name", "value", "unit"}. Each figure is the median of several runs after a warm-up, measured
// through the public API (rmm.smc with BigInt registers, rmm.snapshot / restore) with tracing off.
import { createRmm, diffSnapshots, Fid, type Rmm } from '../../src/rmm';
import { CHUNK_SHIFT } from '../../src/rmm/granules';
import { createRealm, GRANULE, PageAllocator, populate } from '../unit/helpers/raw-realm';
import { debugStepping } from './debug';
import { editorLatency } from './editor';
import { editToMap } from './live';
import { vsixBytes } from './package-size';
import { compileHostScenario, populate1GiB } from './populate';

const DRAM_BASE = 0x8000_0000n;
const GiB = 0x4000_0000n;
const MiB = 0x10_0000n;

function report(name: string, value: number, unit: string): void {
  console.log(JSON.stringify({ name, value: Number(value.toPrecision(6)), unit }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Milliseconds `fn` takes. */
function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** rmm.delegate_undelegate_per_s: GRANULE_DELEGATE + GRANULE_UNDELEGATE pairs (goal >= 5,000,000). */
function delegateUndelegate(): void {
  const rmm = createRmm({ profile: '1.0' });
  const D = BigInt(Fid.RMI_GRANULE_DELEGATE);
  const U = BigInt(Fid.RMI_GRANULE_UNDELEGATE);
  const pas = Array.from({ length: 4096 }, (_, i) => DRAM_BASE + BigInt(i) * GRANULE);
  let failures = 0;
  const pairs = (n: number) => {
    for (let i = 0; i < n; i++) {
      const pa = pas[i & 4095];
      failures += Number(rmm.smc(D, pa)[0] !== 0n) + Number(rmm.smc(U, pa)[0] !== 0n);
    }
  };
  pairs(300_000);
  const n = 1_000_000;
  const rates = Array.from({ length: 7 }, () => n / (time(() => pairs(n)) / 1000));
  if (failures) throw new Error(`delegate/undelegate: ${failures} calls failed`);
  report('rmm.delegate_undelegate_per_s', Math.round(median(rates)), 'pairs/s');
}

/** rmm.realm_populate_*_ms: REALM_CREATE, then RTT_CREATE + GRANULE_DELEGATE + DATA_CREATE per page, 2 GiB DRAM. */
function realmPopulate(name: string, bytes: bigint, runs: number): void {
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const rmm = createRmm({ profile: '1.0', dram: [{ base: DRAM_BASE, size: 2n * GiB }] });
    const pages = new PageAllocator(DRAM_BASE);
    const ms = time(() => populate(rmm, createRealm(rmm, pages), pages, bytes));
    if (i > 0) times.push(ms); // the first run warms the JIT up
  }
  report(name, median(times), 'ms');
}

/** A 4 GiB machine in use: a realm with 64 MiB populated. */
function busyMachine(): Rmm {
  const rmm = createRmm({ profile: '1.0', dram: [{ base: DRAM_BASE, size: 4n * GiB }] });
  const pages = new PageAllocator(DRAM_BASE);
  populate(rmm, createRealm(rmm, pages), pages, 64n * MiB);
  return rmm;
}

const CHUNK = 1n << BigInt(CHUNK_SHIFT); // granules per snapshot chunk

/**
 * Flips one granule in every 4 MiB chunk of the upper 3 GiB of DRAM (delegating it, or
 * undelegating it again), so that the next snapshot, restore or diff has to copy or compare every
 * chunk there: the worst case, not the shared-chunk fast path.
 */
function touchEveryChunk(rmm: Rmm, round: number): void {
  const fid = BigInt(round % 2 === 0 ? Fid.RMI_GRANULE_DELEGATE : Fid.RMI_GRANULE_UNDELEGATE);
  for (let c = (GiB >> 12n) / CHUNK; c < ((4n * GiB) >> 12n) / CHUNK; c++) {
    if (rmm.smc(fid, DRAM_BASE + (c * CHUNK + BigInt(Math.floor(round / 2))) * GRANULE)[0] !== 0n) throw new Error('touch failed');
  }
}

/** rmm.snapshot_1m_ms, rmm.restore_1m_ms, rmm.diff_1m_ms on 1,048,576 granules, every chunk changed. */
function snapshotRestoreDiff(): void {
  const rmm = busyMachine();
  const kept = [rmm.snapshot()];
  const snap: number[] = [];
  for (let i = 0; i < 12; i++) {
    touchEveryChunk(rmm, i);
    const ms = time(() => kept.push(rmm.snapshot())); // kept alive, as checkpoints are
    if (i >= 3) snap.push(ms);
  }
  report('rmm.snapshot_1m_ms', median(snap), 'ms');

  // The usual debugger checkpoint: one call since the last snapshot.
  const D = BigInt(Fid.RMI_GRANULE_DELEGATE);
  const step = Array.from({ length: 9 }, (_, i) => {
    rmm.smc(D, DRAM_BASE + 3n * GiB + BigInt(i) * GRANULE);
    return time(() => kept.push(rmm.snapshot()));
  });
  report('rmm.snapshot_1m_after_call_ms', median(step), 'ms');

  // Two snapshots that differ in every chunk, restored in turn: each restore copies them all back.
  const [a, b] = [kept[kept.length - 11], kept[kept.length - 10]];
  const restore = Array.from({ length: 10 }, (_, i) => time(() => rmm.restore(i % 2 ? a : b)));
  report('rmm.restore_1m_ms', median(restore.slice(1)), 'ms');

  let changed = 0;
  const diff = Array.from({ length: 9 }, () => time(() => { changed = diffSnapshots(rmm, a, b).length; }));
  const expected = Number(((3n * GiB) >> 12n) / CHUNK);
  if (changed !== expected) throw new Error(`diff found ${changed} changed granules, expected ${expected}`);
  report('rmm.diff_1m_ms', median(diff), 'ms');
}

async function main(): Promise<void> {
  delegateUndelegate();
  realmPopulate('rmm.realm_populate_64mib_ms', 64n * MiB, 5);
  realmPopulate('rmm.realm_populate_1gib_ms', GiB, 3);
  snapshotRestoreDiff();
  await editToMap(report, median);
  await debugStepping(report, median);
  await compileHostScenario(report, median);
  await editorLatency(report, median);
  await populate1GiB(report, median, 3); // the median of three, as the header says of every figure: one 1.5 s run varies by a fifth here
  vsixBytes(report);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
