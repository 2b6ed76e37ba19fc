// Fault sweeps in parallel over node's worker_threads: the clean run and the plan are made here
// (sweep.ts), the points go to a pool of workers, one point at a time to whichever is free, and
// the results come back in point order. Each worker loads dist/run.js (found next to the running
// bundle or in a dist/ folder above it) and makes its runs with createRun, so a worker's point
// is exactly the in-process point.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { prepareSweep, runPoint, sweep, sweepResult, type PointResult, type RunFactory, type SweepBase, type SweepOptions, type SweepPoint, type SweepResult } from './sweep';

export interface PoolOptions {
  /** Worker threads; default os.availableParallelism() - 1, at least 1. 1 or fewer points run in-process. */
  jobs?: number;
  /** The bundle each worker loads (it must export startSweepWorker and createRun); default dist/run.js. */
  script?: string;
}

type ToWorker = { type: 'point'; point: SweepPoint } | { type: 'stop' };
type FromWorker = { type: 'ready' } | { type: 'result'; result: PointResult } | { type: 'error'; id: number; message: string };

export function defaultJobs(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, n - 1);
}

/** dist/run.js: next to this bundle, or in a dist/ folder of an enclosing directory. */
export function findRunBundle(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    for (const p of [path.join(dir, 'run.js'), path.join(dir, 'dist', 'run.js')]) {
      if (fs.existsSync(p) && fs.readFileSync(p, 'utf8').includes('startSweepWorker')) return p;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`cannot find dist/run.js for the sweep workers (looked from ${__dirname} upwards)`);
}

/** A fault sweep over a pool of worker threads (in-process when jobs <= 1). */
export async function sweepParallel(opts: SweepOptions, factory: RunFactory, pool: PoolOptions = {}): Promise<SweepResult> {
  const jobs = Math.max(1, Math.floor(pool.jobs ?? defaultJobs()));
  if (jobs <= 1) return sweep(opts, factory);
  const { base, clean, points, totalPoints } = await prepareSweep(opts, factory);
  if (points.length <= 1) {
    const results: PointResult[] = [];
    for (const p of points) results.push(await runPoint(base, p, factory));
    return sweepResult(opts, clean, totalPoints, results, false);
  }
  const script = pool.script ?? findRunBundle();
  const results: PointResult[] = [];
  let next = 0;
  let cancelled = false;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let busy = 0;
      const feed = (w: Worker) => {
        if (opts.signal?.aborted) cancelled = true;
        if (cancelled || next >= points.length) {
          if (busy === 0) resolve();
          return;
        }
        busy++;
        w.postMessage({ type: 'point', point: points[next++] } satisfies ToWorker);
      };
      const count = Math.min(jobs, points.length);
      for (let i = 0; i < count; i++) {
        const code = `require(${JSON.stringify(script)}).startSweepWorker(require(${JSON.stringify(script)}).createRun);`;
        const w = new Worker(code, { eval: true, workerData: { base } });
        workers.push(w);
        w.on('message', (m: FromWorker) => {
          if (m.type === 'ready') return feed(w);
          if (m.type === 'error') return reject(new Error(`sweep point ${m.id}: ${m.message}`));
          busy--;
          results.push(m.result);
          opts.onPoint?.(m.result, results.length, points.length);
          feed(w);
        });
        w.on('error', (e) => reject(new Error(`sweep worker failed: ${e.message}`)));
        w.on('exit', (code) => {
          if (code !== 0) reject(new Error(`sweep worker exited with code ${code}`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return sweepResult(opts, clean, totalPoints, results, cancelled);
}

/** The worker side: called by the eval'd bootstrap inside a worker thread. */
export function startSweepWorker(factory: RunFactory): void {
  const port = parentPort;
  if (!port) throw new Error('startSweepWorker must run in a worker thread');
  const base = (workerData as { base: SweepBase }).base;
  port.on('message', (m: ToWorker) => {
    if (m.type === 'stop') return process.exit(0);
    runPoint(base, m.point, factory).then(
      (result) => port.postMessage({ type: 'result', result } satisfies FromWorker),
      (e: unknown) => port.postMessage({ type: 'error', id: m.point.id, message: e instanceof Error ? e.message : String(e) } satisfies FromWorker),
    );
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}
