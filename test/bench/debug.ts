// debug.step_ms and debug.step_back_ms (DESIGN.md section 8): DAP requests against the real
// adapter process (node dist/debugAdapter.js), timed from the request until its `stopped` event.
//   debug.step_ms       `next` over a statement of a loop (goal <= 5 ms)
//   debug.step_back_ms  `stepBack` 10,000 statements into a run (goal <= 20 ms): the adapter restores
//                       its nearest checkpoint and replays to the statement before
import { lineOf, scenarioFile, withDap } from '../dap/client';

type Report = (name: string, value: number, unit: string) => void;

/** 5,000 iterations of two statements (the loop test and its body): ~10,000 statements before printk. */
const LOOP = `u64 total;
void scenario(void)
{
	int i;
	for (i = 0; i < 5000; i++)
		total += i;
	printk("done");
}
`;

export async function debugStepping(report: Report, median: (xs: number[]) => number): Promise<void> {
  const file = scenarioFile('bench-loop.realm.c', LOOP);
  await withDap(async (d) => {
    await d.launch({ program: file, stopOnEntry: false }, async () => {
      await d.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: lineOf(file, 'printk("done")') }] });
    });
    await d.stopped('breakpoint');
    // Stepping onto a breakpoint reports 'breakpoint': clear it, the stops below are all steps.
    await d.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [] });
    const backs: number[] = [];
    for (let k = 0; k < 25; k++) {
      const t0 = performance.now();
      await d.step('stepBack', 'step');
      backs.push(performance.now() - t0);
      await d.step('next', 'step'); // back to the breakpoint's statement, ~10,000 statements in
    }
    report('debug.step_back_ms', median(backs.slice(5)), 'ms');
  });
  await withDap(async (d) => {
    await d.launch({ program: file, stopOnEntry: true });
    await d.stopped('entry');
    const nexts: number[] = [];
    for (let k = 0; k < 60; k++) {
      const t0 = performance.now();
      await d.step('next', 'step');
      nexts.push(performance.now() - t0);
    }
    report('debug.step_ms', median(nexts.slice(10)), 'ms');
  });
}
