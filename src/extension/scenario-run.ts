// Runs a scenario to its end without blocking the extension host: the run steps in slices and
// yields to the event loop between them, so typing, other extensions and cancellation stay
// responsive even for a scenario of millions of statements. The step budget (maxSteps) still
// bounds an endless loop; cancellation bounds a run the user no longer wants.
//
// While it runs it notes, for every RMI call, the line of the entry function that led to it,
// even when the call was made deep inside host code: that is what the editor decorates and
// what "the map at the cursor line" is computed from.
import { createRun, type Run, type RunImpl, type RunOptions } from '../run';

export interface CancelToken {
  readonly isCancellationRequested: boolean;
}

export interface FinishedRun {
  run: Run & RunImpl;
  /** Per entry of run.calls: the 1-based line of scenario() whose statement issued it. */
  scenarioLines: number[];
}

/** Statements per slice: a few milliseconds of work, small enough to keep keystrokes fluid. */
const SLICE_STEPS = 20_000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Compiles and runs a scenario; undefined when cancelled before it finished. */
export async function runToEnd(opts: RunOptions, token?: CancelToken): Promise<FinishedRun | undefined> {
  const run = await createRun(opts);
  const scenarioLines: number[] = [];
  const calls = run.calls;
  for (;;) {
    if (token?.isCancellationRequested) return undefined;
    for (let n = 0; n < SLICE_STEPS; n++) {
      // Read before the step: afterwards a returning wrapper may already have moved the entry
      // function on to its next line.
      const line = run.entryLine();
      const more = run.step();
      while (scenarioLines.length < calls.length) scenarioLines.push(line);
      if (!more) return { run, scenarioLines };
    }
    await yieldToEventLoop();
  }
}
