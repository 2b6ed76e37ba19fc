// A fault sweep of a scenario document inside the extension host, with the pure sweep API
// (prepareSweep + runPoint): no worker thread and no process, so it works in restricted mode.
// Between points it yields to the event loop, so the editor stays responsive and a cancel from
// the progress notification is seen before the next point.
import * as vscode from 'vscode';
import { createRun, prepareSweep, runPoint, SweepError, sweepResult, type PointResult, type SweepOptions, type SweepResult } from '../../run';
import type { LiveScenarios } from '../live';
import { readWorkspaceFile } from '../scenario-options';
import { overrideFor } from './overrides';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface SweepProgress {
  report(done: number, total: number, last: PointResult): void;
}

/** The sweep options of a document: its text, its override (else its last run's machine), the settings. */
export function sweepOptionsFor(doc: vscode.TextDocument, live: LiveScenarios): SweepOptions {
  const cfg = vscode.workspace.getConfiguration('realmLab', doc.uri);
  const o = overrideFor(doc.uri);
  const last = live.lastRun(doc);
  const commands = cfg.get<string[]>('sweep.commands', []).filter((c) => typeof c === 'string' && c.trim() !== '');
  return {
    file: doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString(),
    source: doc.getText(),
    // The last run already applied the declaration and the user's default profile.
    profile: o.profile ?? last?.profile,
    hostVariant: o.hostVariant ?? last?.hostVariant,
    maxSteps: cfg.get<number>('maxSteps') || undefined,
    maxPoints: cfg.get<number>('sweep.maxPoints') || undefined,
    commands: commands.length ? commands : undefined,
    readFile: readWorkspaceFile,
  };
}

/** Runs the sweep point by point; a cancelled token returns the points done so far. */
export async function sweepInProcess(opts: SweepOptions, token: vscode.CancellationToken, progress?: SweepProgress): Promise<SweepResult> {
  const { base, clean, points, totalPoints } = await prepareSweep(opts, createRun);
  const results: PointResult[] = [];
  let cancelled = false;
  for (const p of points) {
    await yieldToEventLoop();
    if (token.isCancellationRequested) {
      cancelled = true;
      break;
    }
    const r = await runPoint(base, p, createRun);
    results.push(r);
    progress?.report(results.length, points.length, r);
  }
  return sweepResult(opts, clean, totalPoints, results, cancelled);
}

export { SweepError };
