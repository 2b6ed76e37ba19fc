// What a run found, as VS Code diagnostics on the scenario: compile errors, the runtime error
// that stopped it, failed expectations, WARN_ONs that fired, RMI calls that failed, and granules
// left leaked at the end. Findings in embedded host files are shown on the scenario line that
// led to them, since those files are not in the workspace.
import * as vscode from 'vscode';
import { findRunLeaks, type Diagnostic as RunDiagnostic, type Run, type RunImpl, type SourceRange } from '../run';

export const SOURCE = 'Realm Lab';

function toRange(r: SourceRange): vscode.Range {
  const line = Math.max(0, r.line - 1);
  const col = Math.max(0, r.column - 1);
  const endLine = Math.max(line, r.endLine - 1);
  const endCol = endLine === line ? Math.max(col + 1, r.endColumn - 1) : Math.max(0, r.endColumn - 1);
  return new vscode.Range(line, col, endLine, endCol);
}

const SEVERITY: Record<RunDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function make(range: SourceRange, message: string, severity: vscode.DiagnosticSeverity, code?: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(range), message, severity);
  d.source = SOURCE;
  if (code) d.code = code;
  return d;
}

/**
 * Diagnostics for the files of a run, keyed by file path. `scenarioPath` is where findings in
 * files outside the workspace (the embedded host code) are reported, at the scenario's line
 * that was running (the outermost frame) when they happened.
 */
export function runDiagnostics(run: Run & RunImpl, scenarioPath: string): Map<string, vscode.Diagnostic[]> {
  const out = new Map<string, vscode.Diagnostic[]>();
  const add = (range: SourceRange, d: vscode.Diagnostic) => {
    const list = out.get(range.file) ?? [];
    list.push(d);
    out.set(range.file, list);
  };
  for (const d of run.diagnostics) add(d.range, make(d.range, d.message, SEVERITY[d.severity], d.code));
  if (run.diagnostics.some((d) => d.severity === 'error')) return out;
  const err = run.error;
  if (err) add(err.range, make(err.range, err.message, vscode.DiagnosticSeverity.Error, err.code ?? 'runtime'));
  for (const e of run.expectations) if (!e.passed) add(e.range, make(e.range, e.message, vscode.DiagnosticSeverity.Warning, 'expectation'));
  for (const o of run.output) if (o.kind === 'warn') add(o.range, make(o.range, o.text, vscode.DiagnosticSeverity.Warning, 'WARN_ON'));
  for (const c of run.calls) {
    if (c.status === 0 || !c.failedCheck) continue;
    add(c.range, make(c.range, `${c.name} failed its check '${c.failedCheck}'${c.fault ? ' (injected fault)' : ''}`, vscode.DiagnosticSeverity.Information, 'rmi-status'));
  }
  if (run.finished && !err) {
    // Leaks are shown where the call that left the granule behind was made.
    for (const leak of findRunLeaks(run)) {
      const at = leak.cause ? { file: leak.cause.file, line: leak.cause.line, column: 1, endLine: leak.cause.line, endColumn: 200 } : { file: scenarioPath, line: 1, column: 1, endLine: 1, endColumn: 1 };
      add(at, make(at, `leak: ${leak.message}`, vscode.DiagnosticSeverity.Warning, 'leak'));
    }
  }
  // Findings in files that are not the scenario or a workspace file move to the scenario.
  for (const [file, list] of [...out]) {
    if (file === scenarioPath || file.startsWith('/')) continue;
    out.delete(file);
    const moved = out.get(scenarioPath) ?? [];
    for (const d of list) {
      d.message = `${file}:${d.range.start.line + 1}: ${d.message}`;
      d.range = new vscode.Range(0, 0, 0, 0);
      moved.push(d);
    }
    out.set(scenarioPath, moved);
  }
  return out;
}
