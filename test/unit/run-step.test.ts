// Stepping: each step() executes one statement (entering calls) and stops before the next; the
// call stack and locals describe the stopped state; a checkpoint brings everything back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load } from './helpers/c-run';

const SRC = `struct pt { int x; u64 y; };
static int twice(int v)
{
	int r = v * 2;
	return r;
}
void scenario(void)
{
	int a = 1;
	struct pt p = { .x = 3, .y = 0x80000000 };
	a = twice(a);
	if (a > 1)
		a += p.x;
	printk("a=%d", a);
}
`;

describe('stepping through a scenario', () => {
  it('stops before each statement, entering calls, in source order', async () => {
    const r = await load(SRC);
    assert.deepEqual(r.diagnostics, []);
    const lines: string[] = [];
    do {
      const f = r.frames();
      lines.push(`${f[0].name}:${f[0].range.line}`);
    } while (r.step());
    assert.deepEqual(lines, [
      'scenario:9', 'scenario:10', 'scenario:11', 'twice:4', 'twice:5', 'scenario:12', 'scenario:13', 'scenario:14', 'scenario:15',
    ]);
    assert.equal(r.finished, true);
    assert.equal(r.step(), false, 'nothing left to step');
    assert.equal(r.steps, 9);
    assert.deepEqual(r.output.map((o) => o.text), ['a=5']);
  });

  it('shows the call stack innermost first, the caller at the call in progress', async () => {
    const r = await load(SRC);
    while (r.frames()[0].name !== 'twice') r.step();
    const frames = r.frames();
    assert.deepEqual(frames.map((f) => [f.name, f.kind, f.range.line, f.range.column]), [['twice', 'scenario', 4, 2], ['scenario', 'scenario', 11, 2]]);
    assert.equal(frames[0].range.file, 'test.realm.c');
    assert.notEqual(frames[0].id, frames[1].id);
  });

  it('shows locals with their types and values, and members on demand', async () => {
    const r = await load(SRC);
    r.step();
    r.step(); // before `a = twice(a);`
    const locals = r.locals(r.frames()[0].id);
    const a = locals.find((v) => v.name === 'a')!;
    assert.deepEqual([a.type, a.value], ['int', '1']);
    const p = locals.find((v) => v.name === 'p')!;
    assert.equal(p.type, 'struct pt');
    assert.match(p.memoryReference ?? '', /^0x[0-9a-f]+$/);
    assert.deepEqual(p.children!().map((c) => `${c.name}: ${c.type} = ${c.value}`), ['x: int = 3', 'y: u64 = 0x80000000']);
    r.step(); // into twice
    const inner = r.locals(r.frames()[0].id);
    assert.deepEqual(inner.map((v) => v.name), ['v', 'r'], 'the parameter and the local being declared');
    assert.equal(inner[0].value, '1');
    r.step();
    assert.equal(r.locals(r.frames()[0].id).find((v) => v.name === 'r')?.value, '2');
    const callerLocals = r.locals(r.frames()[1].id);
    assert.equal(callerLocals.find((v) => v.name === 'a')?.value, '1', 'the caller frame still has its own locals');
  });

  it('shows globals, with pointers as addresses and memory references', async () => {
    const r = await load('u64 counter = 7;\nconst char *name = "rd";\nu64 *where;\nvoid scenario(void)\n{\n\twhere = &counter;\n}\n');
    r.runToEnd();
    const g = Object.fromEntries(r.globals().map((v) => [v.name, v]));
    assert.equal(g.counter.value, '7');
    assert.match(g.name.value, /^0xffff0000[0-9a-f]{8} "rd"$/);
    assert.match(g.where.value, /^0xffff0000[0-9a-f]{8}$/);
    assert.equal(BigInt(g.where.memoryReference!) + 0xffff_0000_0000_0000n, BigInt(g.where.value));
    assert.ok(g.rmi_last, 'the runtime global rmi_last is visible');
  });

  it('restores a checkpoint: machine, memory, emulator and records come back exactly', async () => {
    const r = await load(`u64 total;
void scenario(void)
{
	phys_addr_t pa = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	total = 1;
	rmi_call(RMI_GRANULE_DELEGATE, pa);
	total = 2;
	printk("delegated");
	expect(total == 2);
}
`, { profile: '1.0' });
    r.step();
    r.step(); // before `rmi_call`
    const cp = r.checkpoint()!;
    const line = r.frames()[0].range.line;
    r.runToEnd();
    assert.equal(r.calls.length, 1);
    assert.equal(r.globalValue('total'), 2n);
    const pa = r.calls[0].args[0];
    assert.equal(r.rmm.granule(pa).state, 'DELEGATED');
    r.restore(cp);
    assert.equal(r.finished, false);
    assert.equal(r.frames()[0].range.line, line);
    assert.equal(r.globalValue('total'), 1n);
    assert.equal(r.rmm.granule(pa).state, 'UNDELEGATED');
    assert.deepEqual([r.calls.length, r.output.length, r.expectations.length], [0, 0, 0]);
    r.runToEnd();
    assert.deepEqual([r.calls.length, r.output.length, r.expectations.length, r.error], [1, 1, 1, undefined]);
    assert.equal(r.rmm.granule(pa).state, 'DELEGATED');
  });
});
