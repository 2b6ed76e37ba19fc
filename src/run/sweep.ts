// Fault sweeps (DESIGN.md section 2, issue 4 part 4): run a scenario clean, then once per point,
// a point being one RMI call of the clean run x one failing status (and, for range commands, x
// each k = 0..granules-1: "fail after k granules"), with that single fault injected as data
// (RunOptions.faults), so every point is as deterministic as the clean run. Each point reports
// its leaks, WARNs, failed expectations, misuse findings and runtime error.
//
// This module is pure (no node built-ins): it runs points in-process, e.g. in a web worker.
// sweep-pool.ts spreads the same points over worker_threads in node.
import { Status, statusFromName, statusName, type FaultSpec, type Rmm } from '../rmm';
import type { RmiCallEvent, Run, RunOptions } from './api';
import { report, type ReportDiagnostic, type ReportExpectation, type ReportFinding, type ReportLeak, type ReportLine, type RunReport } from './report';

/** Makes a run (createRun in node, createRunWith elsewhere). */
export type RunFactory = (opts: RunOptions) => Promise<Run & { runToEnd(): void }>;

export const DEFAULT_MAX_POINTS = 5000;
/** A point's statement budget: this many times the clean run's, plus headroom (a retry loop that never ends must stop). */
const POINT_STEP_FACTOR = 10;
const POINT_STEP_HEADROOM = 100_000;

/** Statuses to try: one list for every command, or per command name with '*' as the fallback. */
export type StatusChoice = readonly string[] | Readonly<Record<string, readonly string[]>>;

export interface SweepOptions {
  file: string;
  source: string;
  profile?: RunOptions['profile'];
  hostVariant?: RunOptions['hostVariant'];
  maxSteps?: number;
  maxMemoryBytes?: number;
  readFile?: (path: string) => string | undefined;
  /** Override the default statuses (RMI_ERROR_INPUT plus those the command's checks return). */
  statuses?: StatusChoice;
  /** Only sweep calls of these commands. */
  commands?: readonly string[];
  /** Run only the points with id % count === index (a CI matrix spreads a big sweep). */
  shard?: { index: number; count: number };
  /** At most this many points in this sweep (after sharding); default DEFAULT_MAX_POINTS. */
  maxPoints?: number;
  /** Checked between points: a cancelled sweep returns the points done so far. */
  signal?: { readonly aborted: boolean };
  /** Called after each point. */
  onPoint?: (result: PointResult, done: number, total: number) => void;
}

/** Where a point's fault goes: a call of the clean run. */
export interface PointCall {
  seq: number;
  name: string;
  file: string;
  line: number;
}

export interface SweepPoint {
  /** 0-based position in the whole (unsharded) sweep. */
  id: number;
  call: PointCall;
  fault: { command: string; nth: number; afterGranules?: number; status: string };
  /** e.g. "#4 RMI_GRANULE_RANGE_DELEGATE k=3 -> RMI_ERROR_INPUT". */
  label: string;
}

export interface PointResult {
  id: number;
  label: string;
  call: PointCall;
  fault: SweepPoint['fault'];
  /** Whether the injected fault decided a call (a fault on a call that no longer happens does not). */
  fired: boolean;
  ok: boolean;
  leaks: ReportLeak[];
  warnings: ReportLine[];
  failedExpectations: ReportExpectation[];
  /** Misuse the emulator saw (undelegate of a never-delegated granule, destroy of a live object). */
  findings: (ReportFinding & { seq: number })[];
  error: ReportDiagnostic | null;
}

export interface SweepResult {
  file: string;
  profile: string;
  hostVariant: string;
  /** The clean run; when it does not compile or fails with a runtime error, no point is run. */
  clean: RunReport;
  /** Points in the whole sweep, and in this shard. */
  totalPoints: number;
  shard: { index: number; count: number } | null;
  points: PointResult[];
  cancelled: boolean;
  /** The clean run and every point ran without a failed expectation, leak or runtime error. */
  ok: boolean;
}

export class SweepError extends Error {}

/** What every point shares: the base run options and what the clean run found. */
export interface SweepBase {
  file: string;
  source: string;
  profile?: RunOptions['profile'];
  hostVariant?: RunOptions['hostVariant'];
  maxSteps: number;
  maxMemoryBytes?: number;
  /** Workspace files the clean run read (#include), so that points (and workers) read the same. */
  files: Record<string, string | null>;
}

const isRange = (rmm: Rmm, c: RmiCallEvent) => rmm.command(c.fid)?.cmd.range === true;

/** Granules a range call processed in the clean run: those are the k a point can stop it at. */
function rangeGranules(c: RmiCallEvent): number {
  if (/GRANULE_RANGE/.test(c.name)) {
    const n = Number((c.ret[1] - c.args[0]) / 4096n);
    return Number.isFinite(n) && n > 0 ? n : 0;
  }
  return c.changes.length;
}

/** Default statuses for a command: RMI_ERROR_INPUT and every status its checks can return. */
export function defaultStatuses(rmm: Rmm, fid: number): string[] {
  const set = new Set<number>([Status.RMI_ERROR_INPUT]);
  for (const c of rmm.command(fid)?.checks ?? []) if (c.status !== Status.RMI_SUCCESS) set.add(c.status);
  return [...set].sort((a, b) => a - b).map(statusName);
}

function statusesFor(choice: StatusChoice | undefined, rmm: Rmm, c: RmiCallEvent): string[] {
  if (!choice) return defaultStatuses(rmm, c.fid);
  if (Array.isArray(choice)) return [...choice];
  const byName = choice as Readonly<Record<string, readonly string[]>>;
  const list = byName[c.name] ?? byName['*'];
  return list ? [...list] : defaultStatuses(rmm, c.fid);
}

/** Checks a status list up front, so that a typo is one clear error rather than N failed points. */
function checkStatuses(choice: StatusChoice | undefined): void {
  if (!choice) return;
  const lists = Array.isArray(choice) ? [choice as readonly string[]] : Object.values(choice as Record<string, readonly string[]>);
  for (const l of lists) {
    for (const s of l) {
      const n = statusFromName(s);
      if (n === undefined || n === Status.RMI_SUCCESS) throw new SweepError(`unknown failing status '${s}' (use a name such as RMI_ERROR_INPUT)`);
    }
  }
}

/** The points of a sweep over a clean run's calls, in call order (statuses, then k, per call). */
export function planPoints(clean: Run, opts: Pick<SweepOptions, 'statuses' | 'commands'>): SweepPoint[] {
  checkStatuses(opts.statuses);
  const points: SweepPoint[] = [];
  const counted = new Map<string, number>();
  for (const c of clean.calls) {
    // The fault injector counts the calls it sees; a call refused before activation is not one.
    if (c.name === 'UNKNOWN' || c.failedCheck === 'rmm_state') continue;
    const nth = (counted.get(c.name) ?? 0) + 1;
    counted.set(c.name, nth);
    // A fault replaces a success; a call that fails anyway would not change.
    if (c.status !== Status.RMI_SUCCESS) continue;
    if (opts.commands && !opts.commands.includes(c.name)) continue;
    const call: PointCall = { seq: c.seq, name: c.name, file: c.range.file, line: c.range.line };
    const ks = isRange(clean.rmm, c) ? Array.from({ length: rangeGranules(c) }, (_, k) => k) : [undefined];
    for (const status of statusesFor(opts.statuses, clean.rmm, c)) {
      for (const k of ks) {
        const fault: SweepPoint['fault'] = { command: c.name, nth, status };
        if (k !== undefined) fault.afterGranules = k;
        const label = `#${c.seq} ${c.name}${k === undefined ? '' : ` k=${k}`} -> ${status}`;
        points.push({ id: points.length, call, fault, label });
      }
    }
  }
  return points;
}

/** The run options of one point. */
export function pointOptions(base: SweepBase, point: SweepPoint | undefined): RunOptions {
  const faults: FaultSpec[] = point ? [{ ...point.fault }] : [];
  return {
    file: base.file, source: base.source, profile: base.profile, hostVariant: base.hostVariant, faults,
    maxSteps: base.maxSteps, maxMemoryBytes: base.maxMemoryBytes,
    readFile: (p) => base.files[p] ?? undefined,
  };
}

/** Runs one point and summarises it. */
export async function runPoint(base: SweepBase, point: SweepPoint, factory: RunFactory): Promise<PointResult> {
  const run = await factory(pointOptions(base, point));
  run.runToEnd();
  const r = report(run, base.file);
  const fired = run.calls.some((c) => c.name === point.fault.command && c.failedCheck === 'fault_injected');
  const findings = r.rmiCalls.flatMap((c) => c.findings.map((f) => ({ ...f, seq: c.seq })));
  return {
    id: point.id, label: point.label, call: point.call, fault: point.fault, fired, ok: r.ok,
    leaks: r.leaks, warnings: r.warnings, failedExpectations: r.expectations.filter((e) => !e.passed), findings,
    error: r.error ?? (r.compiled ? null : r.diagnostics[0] ?? null),
  };
}

/** The clean run and the points this sweep (shard) runs. Throws SweepError for a bad request. */
export async function prepareSweep(opts: SweepOptions, factory: RunFactory): Promise<{ base: SweepBase; clean: RunReport; points: SweepPoint[]; totalPoints: number }> {
  const shard = opts.shard;
  if (shard && !(Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count)) {
    throw new SweepError(`bad shard ${shard.index}/${shard.count}: use i/n with 0 <= i < n`);
  }
  const files: Record<string, string | null> = {};
  const readFile = (p: string) => {
    const text = opts.readFile?.(p);
    files[p] = text ?? null;
    return text;
  };
  const cleanRun = await factory({
    file: opts.file, source: opts.source, profile: opts.profile, hostVariant: opts.hostVariant,
    maxSteps: opts.maxSteps, maxMemoryBytes: opts.maxMemoryBytes, readFile,
  });
  cleanRun.runToEnd();
  const clean = report(cleanRun, opts.file);
  const base: SweepBase = {
    file: opts.file, source: opts.source, profile: cleanRun.profile, hostVariant: cleanRun.hostVariant,
    maxSteps: Math.min(opts.maxSteps ?? Number.MAX_SAFE_INTEGER, cleanRun.steps * POINT_STEP_FACTOR + POINT_STEP_HEADROOM),
    maxMemoryBytes: opts.maxMemoryBytes, files,
  };
  if (!clean.compiled || clean.error) return { base, clean, points: [], totalPoints: 0 };
  const all = planPoints(cleanRun, opts);
  const points = shard ? all.filter((p) => p.id % shard.count === shard.index) : all;
  const max = opts.maxPoints ?? DEFAULT_MAX_POINTS;
  if (points.length > max) {
    throw new SweepError(
      `the sweep has ${points.length} points${shard ? ` in shard ${shard.index}/${shard.count}` : ''}, more than the limit of ${max}: ` +
      'restrict it to some commands or statuses, split it into shards, or raise the limit',
    );
  }
  return { base, clean, points, totalPoints: all.length };
}

/** Puts a sweep's parts together. */
export function sweepResult(opts: SweepOptions, clean: RunReport, totalPoints: number, points: PointResult[], cancelled: boolean): SweepResult {
  const sorted = [...points].sort((a, b) => a.id - b.id);
  return {
    file: opts.file, profile: clean.profile, hostVariant: clean.hostVariant, clean, totalPoints,
    shard: opts.shard ? { ...opts.shard } : null, points: sorted, cancelled,
    ok: clean.ok && sorted.every((p) => p.ok),
  };
}

/** A fault sweep, in-process, one point after another. */
export async function sweep(opts: SweepOptions, factory: RunFactory): Promise<SweepResult> {
  const { base, clean, points, totalPoints } = await prepareSweep(opts, factory);
  const results: PointResult[] = [];
  let cancelled = false;
  for (const p of points) {
    if (opts.signal?.aborted) {
      cancelled = true;
      break;
    }
    const r = await runPoint(base, p, factory);
    results.push(r);
    opts.onPoint?.(r, results.length, points.length);
  }
  return sweepResult(opts, clean, totalPoints, results, cancelled);
}
