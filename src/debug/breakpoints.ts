// The breakpoints a user has set, as data the stepping loop consults after every statement:
// line breakpoints (verified against the statements the compiler emitted, moved down to the
// nearest statement line), with conditions, hit conditions and log messages; function
// breakpoints on C function names and on RMI command names; and the exception filters.
import * as path from 'node:path';
import { ALL_COMMANDS } from '../rmm';
import type { GranuleWatch } from './data-breakpoints';

export interface LineBreakpoint {
  id: number;
  file: string;
  /** The line asked for, and the statement line it is bound to (undefined: unverified). */
  requestedLine: number;
  line?: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  /** Steps at which the breakpoint was hit (condition true), for hit counts that survive stepping back. */
  hits: number[];
  message?: string;
}

export interface FunctionBreakpoint {
  id: number;
  name: string;
  kind: 'function' | 'rmi';
  condition?: string;
  hitCondition?: string;
  hits: number[];
}

/** A data breakpoint: stops after a statement whose RMI calls changed a watched granule's state. */
export interface DataBreakpoint {
  id: number;
  dataId: string;
  watch: GranuleWatch;
  condition?: string;
  hitCondition?: string;
  hits: number[];
}

export const EXCEPTION_FILTERS = [
  { filter: 'rmi-error', label: 'RMI call returned an error', description: 'Stops before a statement whose RMI call returns a status other than RMI_SUCCESS. Condition: status names, e.g. RMI_ERROR_INPUT, RMI_ERROR_RTT', default: false, supportsCondition: true, conditionDescription: 'Comma-separated status names (empty: any error)' },
  { filter: 'leak', label: 'Granule leaked or misused', description: 'Stops before a statement whose RMI call the emulator reports a leak or misuse finding for (e.g. undelegating a granule that was never delegated)', default: false },
  { filter: 'warn', label: 'WARN_ON fired', description: 'Stops before a statement in which a WARN_ON fires', default: false },
  { filter: 'expectation', label: 'Expectation failed', description: 'Stops before an expect(...) that fails', default: false },
] as const;
export type ExceptionFilter = (typeof EXCEPTION_FILTERS)[number]['filter'];

/** Names of every RMI command of any profile (function breakpoints on commands). */
const RMI_NAMES = new Set<string>(ALL_COMMANDS.flatMap((c) => [c.name, ...Object.values(c.names ?? {})]));

/** Disk paths are compared resolved; embedded files (realm-lab/host/...) by their name. */
export function normalizePath(file: string): string {
  return path.isAbsolute(file) ? path.resolve(file) : file;
}

/** `N`, `== N`, `>= N`, `> N`, `< N`, `<= N`, `% N`: whether hit number `n` (1-based) stops. */
export function parseHitCondition(text: string): ((n: number) => boolean) | string {
  const m = /^\s*(==|>=|<=|>|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) return `hit condition '${text}' is not understood: use N, >= N, > N, < N, <= N, == N or % N`;
  const k = Number(m[2]);
  switch (m[1]) {
    case '>=': return (n) => n >= k;
    case '>': return (n) => n > k;
    case '<': return (n) => n < k;
    case '<=': return (n) => n <= k;
    case '%': return k === 0 ? 'hit condition % 0 never stops' : (n) => n % k === 0;
    default: return (n) => n === k;
  }
}

/**
 * The hit number at `step` (1-based): hits recorded before it, plus this one. `hits` is sorted;
 * `record` adds `step` to it. Forward runs append, so both are O(log n) in practice.
 */
export function hitNumber(hits: number[], step: number, record: boolean): number {
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (hits[mid] < step) lo = mid + 1;
    else hi = mid;
  }
  if (record && hits[lo] !== step) {
    if (lo === hits.length) hits.push(step);
    else hits.splice(lo, 0, step);
  }
  return lo + 1;
}

export class Breakpoints {
  private nextId = 1;
  /** By normalized file, then by bound line. */
  private readonly lines = new Map<string, LineBreakpoint[]>();
  private readonly byLine = new Map<string, Map<number, LineBreakpoint[]>>();
  functions: FunctionBreakpoint[] = [];
  data: DataBreakpoint[] = [];
  /** Enabled exception filters; rmi-error may carry a set of status names. */
  exceptions = new Map<ExceptionFilter, Set<string> | undefined>();

  /**
   * Replaces the breakpoints of a file. `statementLines` are the lines where a statement starts;
   * each request binds to the first of them at or after its line.
   */
  setLines(file: string, requested: { line: number; condition?: string; hitCondition?: string; logMessage?: string }[], statementLines: number[]): LineBreakpoint[] {
    const key = normalizePath(file);
    const out: LineBreakpoint[] = [];
    for (const r of requested) {
      const bp: LineBreakpoint = {
        id: this.nextId++, file: key, requestedLine: r.line, condition: r.condition || undefined,
        hitCondition: r.hitCondition || undefined, logMessage: r.logMessage || undefined, hits: [],
      };
      const line = statementLines.find((l) => l >= r.line);
      if (line === undefined) bp.message = statementLines.length ? 'no statement on or after this line' : 'no code of this run is in this file';
      else bp.line = line;
      if (bp.hitCondition) {
        const h = parseHitCondition(bp.hitCondition);
        if (typeof h === 'string') {
          bp.message = h;
          bp.line = undefined;
        }
      }
      out.push(bp);
    }
    this.lines.set(key, out);
    const m = new Map<number, LineBreakpoint[]>();
    for (const bp of out) if (bp.line !== undefined) m.set(bp.line, [...(m.get(bp.line) ?? []), bp]);
    if (m.size) this.byLine.set(key, m);
    else this.byLine.delete(key);
    return out;
  }

  /** Re-binds every file's breakpoints (after a restart compiled new code). */
  rebind(statementLines: (file: string) => number[]): LineBreakpoint[] {
    const all: LineBreakpoint[] = [];
    for (const [file, bps] of [...this.lines]) {
      const again = this.setLines(file, bps.map((b) => ({ line: b.requestedLine, condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage })), statementLines(file));
      // Keep the ids the client knows.
      again.forEach((b, i) => { b.id = bps[i].id; });
      all.push(...again);
    }
    return all;
  }

  at(file: string, line: number): LineBreakpoint[] | undefined {
    if (this.byLine.size === 0) return undefined;
    return this.byLine.get(file)?.get(line) ?? this.byLine.get(normalizePath(file))?.get(line);
  }

  get hasLines(): boolean {
    return this.byLine.size > 0;
  }

  /** Function breakpoints: C functions of the run (`known`) or RMI command names. */
  setFunctions(requested: { name: string; condition?: string; hitCondition?: string }[], known: (name: string) => boolean): { bp?: FunctionBreakpoint; id: number; verified: boolean; message?: string }[] {
    this.functions = [];
    return requested.map((r) => {
      const id = this.nextId++;
      const name = String(r.name ?? '').trim();
      let message: string | undefined;
      let kind: FunctionBreakpoint['kind'] | undefined;
      if (RMI_NAMES.has(name)) kind = 'rmi';
      else if (known(name)) kind = 'function';
      else message = `no function or RMI command named '${name}' in this run`;
      if (r.hitCondition && typeof parseHitCondition(r.hitCondition) === 'string') {
        message = parseHitCondition(r.hitCondition) as string;
        kind = undefined;
      }
      if (!kind) return { id, verified: false, message };
      const bp: FunctionBreakpoint = { id, name, kind, condition: r.condition || undefined, hitCondition: r.hitCondition || undefined, hits: [] };
      this.functions.push(bp);
      return { bp, id, verified: true };
    });
  }

  setExceptions(filters: string[], options: { filterId: string; condition?: string }[]): string | undefined {
    this.exceptions.clear();
    const known = new Set<string>(EXCEPTION_FILTERS.map((f) => f.filter));
    for (const f of [...filters, ...options.map((o) => o.filterId)]) {
      if (!known.has(f)) return `unknown exception filter '${f}'`;
      this.exceptions.set(f as ExceptionFilter, undefined);
    }
    for (const o of options) {
      const names = (o.condition ?? '').split(/[\s,|]+/).filter(Boolean);
      if (names.length) this.exceptions.set(o.filterId as ExceptionFilter, new Set(names));
    }
    return undefined;
  }

  /**
   * Replaces the data breakpoints. `parse` turns a dataId into the granules it watches, or says
   * why it cannot; only changes can be watched (RMI calls write granule states, nothing else does).
   */
  setData(requested: { dataId: string; accessType?: string; condition?: string; hitCondition?: string }[], parse: (dataId: unknown) => GranuleWatch | string): { bp?: DataBreakpoint; id: number; verified: boolean; message?: string }[] {
    this.data = [];
    return requested.map((r) => {
      const id = this.nextId++;
      const watch = parse(r?.dataId);
      let message = typeof watch === 'string' ? watch : undefined;
      if (!message && r.accessType === 'read') message = 'granule states can only be watched for changes (access type write), not reads';
      if (!message && r.hitCondition && typeof parseHitCondition(r.hitCondition) === 'string') message = parseHitCondition(r.hitCondition) as string;
      if (message || typeof watch === 'string') return { id, verified: false, message };
      const bp: DataBreakpoint = { id, dataId: r.dataId, watch, condition: r.condition || undefined, hitCondition: r.hitCondition || undefined, hits: [] };
      this.data.push(bp);
      return { bp, id, verified: true };
    });
  }
}
