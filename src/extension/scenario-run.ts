// Runs a scenario to its end without blocking the extension host: the run goes in slices of the
// interpreter's fast loop and yields to the event loop between them, so typing, other extensions
// and cancellation stay responsive even for a scenario of millions of statements. The step
// budget (maxSteps) still bounds an endless loop; cancellation bounds a run the user no longer wants.
import { createRun, type Run, type RunImpl, type RunOptions } from '../run';

export interface CancelToken {
  readonly isCancellationRequested: boolean;
}

/** Statements per slice: a few milliseconds of work, small enough to keep keystrokes fluid. */
const SLICE_STEPS = 50_000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Compiles and runs a scenario; undefined when cancelled before it finished. */
export async function runToEnd(opts: RunOptions, token?: CancelToken): Promise<(Run & RunImpl) | undefined> {
  const run = await createRun(opts);
  for (;;) {
    if (token?.isCancellationRequested) return undefined;
    if (!run.runSteps(SLICE_STEPS)) return run;
    await yieldToEventLoop();
  }
}
