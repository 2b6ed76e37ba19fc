// Budgets and faults stop a run with a diagnostic at the offending line; nothing hangs or throws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load } from './helpers/c-run';

async function failure(source: string, opts = {}) {
  const r = await load(source, opts);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], 'compiles');
  r.runToEnd();
  assert.equal(r.finished, true);
  assert.ok(r.error, 'the run stopped with an error');
  return r.error;
}

describe('run budgets and runtime errors', () => {
  it('an endless loop stops at the step budget with a diagnostic at its line', async () => {
    const t0 = Date.now();
    const e = await failure('void scenario(void)\n{\n\tint i = 0;\n\twhile (1)\n\t\ti++;\n}\n', { maxSteps: 50_000 });
    assert.equal(e.code, 'step-budget');
    assert.ok([4, 5].includes(e.range.line), `at the loop (line ${e.range.line})`);
    assert.match(e.message, /step budget/);
    assert.ok(Date.now() - t0 < 5000);
  });

  it('an empty endless loop, a backward goto and for(;;) also stop', async () => {
    for (const body of ['\tfor (;;)\n\t\t;', '\twhile (1) {\n\t}', 'again:\n\tgoto again;', '\tdo { } while (1);']) {
      const e = await failure(`void scenario(void)\n{\n${body}\n}\n`, { maxSteps: 1000 });
      assert.equal(e.code, 'step-budget', body);
      assert.ok(e.range.line >= 3 && e.range.line <= 4, `${body}: line ${e.range.line}`);
    }
  });

  it('runaway recursion is a stack overflow at the recursive call', async () => {
    const e = await failure('static int down(int n)\n{\n\treturn down(n + 1) + 1;\n}\nvoid scenario(void)\n{\n\tdown(0);\n}\n');
    assert.equal(e.code, 'stack-overflow');
    assert.equal(e.range.line, 3);
  });

  it('allocation in a loop stops at the memory budget', async () => {
    const e = await failure('void scenario(void)\n{\n\tfor (;;)\n\t\t__get_free_page(GFP_KERNEL);\n}\n', { maxMemoryBytes: 64 * 4096 });
    assert.equal(e.code, 'memory-budget');
    assert.equal(e.range.line, 4);
  });

  it('NULL and wild pointers, division by zero and bad shifts fault at their line', async () => {
    const cases: [string, string][] = [
      ['\tint *p = NULL;\n\t*p = 1;', 'null-deref'],
      ['\tu64 *p = (u64 *)0x80000000;\n\t*p = 1;', 'bad-address'],
      ['\tint z = 0;\n\tint q = 10 / z;', 'division-by-zero'],
      ['\tint s = 40;\n\tint q = 1 << s;', 'bad-shift'],
      ['\tvoid (*f)(void) = NULL;\n\tf();', 'bad-call'],
    ];
    for (const [body, code] of cases) {
      const e = await failure(`void scenario(void)\n{\n${body}\n}\n`);
      assert.equal(e.code, code, body);
      assert.equal(e.range.line, 4, body);
    }
  });

  it('the host touching a granule it delegated is a granule protection fault', async () => {
    const e = await failure(`void scenario(void)
{
	u64 *page = (u64 *)__get_free_page(GFP_KERNEL);
	rmi_call(RMI_GRANULE_DELEGATE, virt_to_phys(page));
	*page = 1;
}
`, { profile: '1.0' });
    assert.equal(e.code, 'granule-protection-fault');
    assert.equal(e.range.line, 5);
    assert.match(e.message, /DELEGATED/);
  });

  it('freeing a page that is still delegated is refused', async () => {
    const e = await failure(`void scenario(void)
{
	unsigned long page = __get_free_page(GFP_KERNEL);
	rmi_call(RMI_GRANULE_DELEGATE, virt_to_phys((void *)page));
	free_page(page);
}
`, { profile: '1.0' });
    assert.equal(e.code, 'free-not-undelegated');
    assert.equal(e.range.line, 5);
  });

  it('BUG_ON panics with the condition in the message', async () => {
    const e = await failure('void scenario(void)\n{\n\tint x = 1;\n\tBUG_ON(x == 1);\n}\n');
    assert.equal(e.code, 'bug');
    assert.match(e.message, /BUG_ON\(x == 1\)/);
    assert.equal(e.range.line, 4);
  });
});
