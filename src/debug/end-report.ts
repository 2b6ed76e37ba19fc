// What the session says when a run is over: a runtime error, the granules left DELEGATED (leaks,
// each at the call that left it there), and a one-line summary; and the exit code (1 when
// anything failed).
import { findLeaks } from '../rmm';
import type { RunImpl, SourceRange } from '../run';

export interface ReportLine {
  category: 'stderr' | 'console';
  text: string;
  range?: SourceRange;
}

export function endReport(run: RunImpl): { lines: ReportLine[]; exitCode: number } {
  const lines: ReportLine[] = [];
  if (run.error) lines.push({ category: 'stderr', text: `error: ${run.error.message}`, range: run.error.range });
  const leaks = findLeaks(run.rmm);
  for (const l of leaks) {
    const by = l.seq ? run.calls.find((c) => c.seq === l.seq) : undefined;
    lines.push({ category: 'stderr', text: `leak: ${l.message}`, range: by?.range });
  }
  const failed = run.expectations.filter((e) => !e.passed).length;
  lines.push({
    category: 'console',
    text: `scenario finished after ${run.steps} statements: ${run.calls.length} RMI calls, ` +
      `${run.expectations.length - failed}/${run.expectations.length} expectations passed, ${leaks.length} granules leaked`,
  });
  return { lines, exitCode: run.error || failed || leaks.length ? 1 : 0 };
}
