// A finished run as a plain JSON-able object: what `realm-lab run --json` prints, what the golden
// traces hold and what a fault sweep summarises per point. Everything in it is deterministic
// (no timings), addresses and registers are hex strings, and keys come in a fixed order.
//
// Leaks are of two kinds:
//   - 'rmm': a granule left DELEGATED that no RMM object uses (the emulator's findLeaks);
//   - 'host': a page the host allocator still holds at the end of the run although the realm
//     world handed it back (it changed state during the run) or an undelegate of it failed:
//     the host lost track of it, as the v14 error path does when it sets pgt = NULL
//     (reference 3.4, 7.4). Pages that never went near the RMM are the host's own business.
import { findLeaks, granuleStateName, statusName, type Finding, type GranuleChange } from '../rmm';
import type { Diagnostic, RmiCallEvent, Run, SourceRange } from './api';

export interface ReportCall {
  seq: number;
  name: string;
  /** X1..X6 as passed (trailing zero registers dropped). */
  args: string[];
  /** X0..X4 as returned (trailing zeros dropped, X0 always there). */
  ret: string[];
  status: string;
  index: number;
  failingCheck: string | null;
  /** How an injected fault decided the outcome, if one did. */
  fault: string | null;
  file: string;
  line: number;
  changes: { pa: string; from: string; to: string }[];
  findings: ReportFinding[];
}

export interface ReportFinding {
  kind: string;
  message: string;
  pa: string | null;
}

export interface ReportLeak {
  pa: string;
  state: string;
  kind: 'rmm' | 'host';
  message: string;
  /** The call that left the granule there (for a failed undelegate: that call); null when none did. */
  cause: { seq: number; name: string; file: string; line: number } | null;
}

export interface ReportLine {
  file: string;
  line: number;
  text: string;
}

export interface ReportExpectation {
  file: string;
  line: number;
  passed: boolean;
  message: string;
}

export interface ReportDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string | null;
  message: string;
}

export interface RunReport {
  /** No failed expectation, no leak, no runtime error, no compile error. */
  ok: boolean;
  file: string;
  profile: string;
  hostVariant: string;
  /** False when the scenario did not compile (see diagnostics). */
  compiled: boolean;
  diagnostics: ReportDiagnostic[];
  steps: number;
  rmiCalls: ReportCall[];
  leaks: ReportLeak[];
  warnings: ReportLine[];
  output: ReportLine[];
  expectations: ReportExpectation[];
  error: ReportDiagnostic | null;
  /** Every granule not UNDELEGATED, in PA order. */
  granules: { pa: string; state: string; realm: string | null }[];
}

/** What report() needs of a run beyond the Run interface: the page allocator's view, when it has one. */
interface WithAllocator {
  hostPages?(): number[];
}

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

/** Registers as hex strings without the trailing zero registers (X0 of a return always stays). */
function regs(values: readonly bigint[], keep: number): string[] {
  let n = values.length;
  while (n > keep && values[n - 1] === 0n) n--;
  return values.slice(0, n).map(hex);
}

function diag(d: Diagnostic): ReportDiagnostic {
  return { file: d.range.file, line: d.range.line, column: d.range.column, severity: d.severity, code: d.code ?? null, message: d.message };
}

const finding = (f: Finding): ReportFinding => ({ kind: f.kind, message: f.message, pa: f.pa === undefined ? null : hex(f.pa) });
const change = (c: GranuleChange) => ({ pa: hex(c.pa), from: granuleStateName(c.from), to: granuleStateName(c.to) });

function call(c: RmiCallEvent): ReportCall {
  return {
    seq: c.seq, name: c.name, args: regs(c.args, 0), ret: regs(c.ret, 1), status: c.status < 0 ? 'SMC_NOT_SUPPORTED' : statusName(c.status),
    index: c.index, failingCheck: c.failedCheck ?? null, fault: c.fault ?? null, file: c.range.file, line: c.range.line,
    changes: c.changes.map(change), findings: c.findings.map(finding),
  };
}

const line = (r: SourceRange, text: string): ReportLine => ({ file: r.file, line: r.line, text });

/** The leaks at the end of a run (see the file comment), in PA order. */
export function findRunLeaks(run: Run): ReportLeak[] {
  const st = run.rmm.st;
  const g = st.granules;
  const bySeq = new Map(run.calls.map((c) => [c.seq, c]));
  const cause = (seq: number | undefined) => {
    const c = seq ? bySeq.get(seq) : undefined;
    return c ? { seq: c.seq, name: c.name, file: c.range.file, line: c.range.line } : null;
  };
  const out: ReportLeak[] = findLeaks(run.rmm).map((f) => ({
    pa: hex(f.pa ?? 0), state: 'DELEGATED', kind: 'rmm' as const, message: f.message, cause: cause(f.seq),
  }));
  const seen = new Set(out.map((l) => l.pa));
  // Failed undelegates, by PA: the granule the RMM refused to give back (or that was never delegated).
  const failedUndelegate = new Map<number, number>();
  for (const c of run.calls) for (const f of c.findings) if (f.kind === 'undelegate-not-delegated' && f.pa !== undefined) failedUndelegate.set(f.pa, c.seq);
  const owned = (run as Run & WithAllocator).hostPages?.() ?? [];
  for (const pa of owned) {
    const gi = g.index(pa);
    if (gi < 0 || g.state[gi] !== 0 || seen.has(hex(pa))) continue;
    const failed = failedUndelegate.get(pa);
    const last = g.lastChange[gi];
    if (failed === undefined && last === 0) continue;
    const message = failed !== undefined
      ? `page ${hex(pa)}: the undelegate of call #${failed} failed on it and the host never freed it`
      : `page ${hex(pa)} is back in the host's world (UNDELEGATED since call #${last}) but the host never freed it`;
    out.push({ pa: hex(pa), state: 'UNDELEGATED', kind: 'host', message, cause: cause(failed ?? last) });
  }
  return out.sort((a, b) => (BigInt(a.pa) < BigInt(b.pa) ? -1 : BigInt(a.pa) > BigInt(b.pa) ? 1 : 0));
}

/** Every granule not UNDELEGATED, in PA order (skipping UNDELEGATED ones fast: most DRAM is). */
export function granulesInUse(run: Run): RunReport['granules'] {
  const g = run.rmm.st.granules;
  const out: RunReport['granules'] = [];
  for (let gi = 0; gi < g.count; gi++) {
    const s = g.state[gi];
    if (s === 0) continue;
    const owner = g.owner[gi];
    out.push({ pa: hex(g.pa(gi)), state: granuleStateName(s), realm: owner >= 0 ? hex(g.pa(owner)) : null });
  }
  return out;
}

/** The report of a run, normally finished (a run that has not finished is reported as far as it got). */
export function report(run: Run, file: string): RunReport {
  const errors = run.diagnostics.filter((d) => d.severity === 'error');
  const compiled = errors.length === 0;
  const leaks = compiled ? findRunLeaks(run) : [];
  const expectations = run.expectations.map((e) => ({ file: e.range.file, line: e.range.line, passed: e.passed, message: e.message }));
  const error = run.error ? diag(run.error) : null;
  return {
    ok: compiled && !error && leaks.length === 0 && expectations.every((e) => e.passed),
    file, profile: run.profile, hostVariant: run.hostVariant, compiled,
    diagnostics: run.diagnostics.map(diag),
    steps: run.steps,
    rmiCalls: run.calls.map(call),
    leaks,
    warnings: run.output.filter((o) => o.kind === 'warn').map((o) => line(o.range, o.text)),
    output: run.output.filter((o) => o.kind === 'printk').map((o) => line(o.range, o.text)),
    expectations,
    error,
    granules: compiled ? granulesInUse(run) : [],
  };
}

/** A report as the golden traces hold it: two-space JSON in the report's fixed key order, newline-terminated. */
export function reportJson(r: RunReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
