// live.edit_to_map_ms: what one keystroke costs before the Granule Map can update: compile and
// run a scenario of about 1,000 statements (as the extension's live runner does), capture the
// granule arrays and compute the versioned delta against the previous map.
import { captureArrays, deltaBetween } from '../../src/extension/map-state';
import { runToEnd } from '../../src/extension/scenario-run';

/** ~1,000 statements: a loop that delegates and undelegates granules, 1 GiB of DRAM. */
export function thousandStepScenario(n: number): string {
  return `struct realm_lab_machine machine = { .profile = "1.0" };
void scenario(void)
{
	phys_addr_t base = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	unsigned long i;
	for (i = 0; i < ${n}; i++) {
		rmi_call(RMI_GRANULE_DELEGATE, base);
		rmi_call(RMI_GRANULE_UNDELEGATE, base);
	}
	rmi_call(RMI_GRANULE_DELEGATE, base);
}
`;
}

export async function editToMap(report: (name: string, value: number, unit: string) => void, median: (xs: number[]) => number): Promise<void> {
  let prev: ReturnType<typeof captureArrays> | undefined;
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    // Each "keystroke" changes the loop count, as typing would change the text.
    const source = thousandStepScenario(330 + (i % 3));
    const t0 = performance.now();
    const run = await runToEnd({ file: 'bench.realm.c', source });
    if (!run || run.error || run.diagnostics.length) throw new Error('the live benchmark scenario did not run');
    const arrays = captureArrays(run.rmm);
    if (prev) deltaBetween(prev, arrays, { from: i - 1, to: i, at: 'end of run', changed: [] });
    prev = arrays;
    const ms = performance.now() - t0;
    if (i >= 3) times.push(ms);
    if (i === 0 && run.steps < 900) throw new Error(`the scenario ran only ${run.steps} statements`);
  }
  report('live.edit_to_map_ms', median(times), 'ms');
}
