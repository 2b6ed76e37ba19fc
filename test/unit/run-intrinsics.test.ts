// The scenario intrinsics: printk, WARN_ON, fault injection, expectations, the page allocator,
// the machine declaration, workspace #includes and host-library overriding.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRunWith, nodeParserAssets, type HostLibrary } from '../../src/run';
import { errorsOf, load, run } from './helpers/c-run';

const scenario = (body: string, prelude = '') => `${prelude}\nvoid scenario(void)\n{\n${body}\n}\n`;
/** 2.0 boot: RMM_CONFIG_SET with a zeroed RmiRmmConfig (4 KB granules), then RMM_ACTIVATE. */
const BOOT_20 = '\trmi_call(RMI_RMM_CONFIG_SET, virt_to_phys((void *)get_zeroed_page(GFP_KERNEL)));\n\trmi_call(RMI_RMM_ACTIVATE);\n';

describe('scenario intrinsics', () => {
  it('printk formats like the kernel and records each line with its statement', async () => {
    const r = await run(scenario(`\tphys_addr_t pa = 0x80001000;
	printk(KERN_INFO "d=%d u=%u x=%x X=%#X lx=%lx s=%s c=%c %%\\n", -5, 7u, 255, 255, 0x123456789abcULL, "rd", 'A');
	printk("[%5d] [%-4d] [%04d] [%.3s] pa=%pa\\n", 42, 7, 9, "abcdef", &pa);
	pr_info("plain\\n");`));
    assert.deepEqual(r.output.map((o) => [o.kind, o.text, o.range.line]), [
      ['printk', 'd=-5 u=7 x=ff X=0XFF lx=123456789abc s=rd c=A %', 5],
      ['printk', '[   42] [7   ] [0009] [abc] pa=0x0000000080001000', 6],
      ['printk', 'plain', 7],
    ]);
  });

  it('WARN_ON returns its condition and records a warning only when it fires', async () => {
    const r = await run(scenario(`\tint bad = 2;
	if (WARN_ON(bad > 1))
		bad = 0;
	WARN_ON(bad);`));
    assert.deepEqual(r.output.map((o) => [o.kind, o.text, o.range.line]), [['warn', 'WARNING: WARN_ON(bad > 1) at test.realm.c:5', 5]]);
    assert.equal(r.expectations.length, 0);
  });

  it('fault_inject makes the nth next call of a command fail with the chosen status', async () => {
    const r = await run(scenario(`\tphys_addr_t a = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	phys_addr_t b = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	phys_addr_t c = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	rmi_call(RMI_GRANULE_DELEGATE, a);
	fault_inject("RMI_GRANULE_DELEGATE", 2, RMI_ERROR_INPUT);
	expect(rmi_call(RMI_GRANULE_DELEGATE, b) == RMI_SUCCESS);
	expect(rmi_call(RMI_GRANULE_DELEGATE, c) == RMI_ERROR_INPUT);
	expect_granule(c, RMI_GRANULE_UNDELEGATED);
	fault_inject_granule("RMI_GRANULE_UNDELEGATE", b, RMI_ERROR_GRANULE);
	expect(rmi_call(RMI_GRANULE_UNDELEGATE, a) == RMI_SUCCESS);
	expect(rmi_call(RMI_GRANULE_UNDELEGATE, b) == RMI_ERROR_GRANULE);`), { profile: '1.0' });
    assert.deepEqual(r.expectations.filter((e) => !e.passed), []);
    assert.deepEqual(r.calls.map((c) => [c.status, c.fault !== undefined]), [[0, false], [0, false], [1, true], [0, false], [16, true]]);
  });

  it('fault_inject_after fails a range delegation after k granules (2.0)', async () => {
    const r = await run(scenario(`${BOOT_20}	phys_addr_t base = 0x80000000;
	unsigned long ret;
	fault_inject_after("RMI_GRANULE_RANGE_DELEGATE", 3, RMI_ERROR_INPUT);
	ret = rmi_call(RMI_GRANULE_RANGE_DELEGATE, base, base + 8 * PAGE_SIZE);
	expect(RMI_RETURN_STATUS(ret) == RMI_ERROR_INPUT);
	expect_granule(base + 2 * PAGE_SIZE, RMI_GRANULE_DELEGATED);
	expect_granule(base + 3 * PAGE_SIZE, RMI_GRANULE_UNDELEGATED);`), { profile: '2.0' });
    assert.deepEqual(r.expectations.filter((e) => !e.passed), []);
  });

  it('fault_inject rejects unknown commands and bad counts with a runtime error at the line', async () => {
    const r = await load(scenario('\tfault_inject("RMI_NOT_A_THING", 1, RMI_ERROR_INPUT);'), { profile: '1.0' });
    r.runToEnd();
    assert.equal(r.error?.code, 'bad-fault');
    assert.match(r.error!.message, /RMI_NOT_A_THING/);
    assert.equal(r.error?.range.line, 4);
  });

  it('expect_no_leaks passes after a clean teardown and names the leaked granules otherwise', async () => {
    const r = await run(scenario(`\tphys_addr_t a = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	phys_addr_t b = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	rmi_call(RMI_GRANULE_DELEGATE, a);
	rmi_call(RMI_GRANULE_UNDELEGATE, a);
	expect_no_leaks();
	rmi_call(RMI_GRANULE_DELEGATE, b);
	expect_no_leaks();`), { profile: '1.0' });
    assert.deepEqual(r.expectations.map((e) => e.passed), [true, false]);
    const b = r.calls[2].args[0];
    assert.match(r.expectations[1].message, new RegExp(`1 granule\\(s\\) leaked.*0x${b.toString(16)}`));
  });

  it('the page allocator hands out UNDELEGATED pages below the runtime area and reuses freed ones', async () => {
    const r = await run(scenario(`\tunsigned long a = __get_free_page(GFP_KERNEL);
	unsigned long b = get_zeroed_page(GFP_KERNEL);
	u64 *k = kzalloc(64, GFP_KERNEL);
	expect(a != b && (a & (PAGE_SIZE - 1)) == 0);
	expect(virt_to_phys((void *)a) >= 0x80000000 && virt_to_phys((void *)a) < 0xc0000000);
	expect(phys_to_virt(virt_to_phys((void *)a)) == (void *)a);
	expect(k[7] == 0);
	free_page(a);
	expect(__get_free_page(GFP_KERNEL) == a);
	kfree(k);
	memset((void *)b, 0xab, 16);
	expect(((u8 *)b)[15] == 0xab && ((u8 *)b)[16] == 0);
	memcpy((void *)a, (void *)b, 8);
	expect(*(u64 *)a == 0xababababababababULL && memcmp((void *)a, (void *)b, 8) == 0);
	expect(strlen("realm") == 5);`));
    assert.deepEqual(r.expectations.filter((e) => !e.passed), []);
  });

  it('free_page of an address the allocator never handed out is an error', async () => {
    const r = await load(scenario('\tunsigned long a = __get_free_page(GFP_KERNEL);\n\tfree_page(a);\n\tfree_page(a);'));
    r.runToEnd();
    assert.equal(r.error?.code, 'bad-free');
    assert.equal(r.error?.range.line, 6);
  });

  it('checks the machine declaration and defaults to profile 2.0, host v14, 1 GiB at 0x80000000', async () => {
    assert.deepEqual(await errorsOf(scenario('', 'struct realm_lab_machine machine = { .profile = "3.0" };')), ['1:26 machine.profile must be "1.0" or "2.0", not "3.0"']);
    assert.deepEqual(await errorsOf(scenario('', 'struct realm_lab_machine machine = { .dram_size = 4096 };')), ['1:26 machine.dram_size must be at least 4194304 bytes (4 MiB)']);
    const d = await load(scenario(''));
    assert.deepEqual([d.profile, d.hostVariant], ['2.0', 'v14']);
    const small = await run(scenario('\tu64 *p = (u64 *)__get_free_page(GFP_KERNEL);\n\t*p = 1;', 'struct realm_lab_machine machine = { .dram_base = 0x40000000, .dram_size = SZ_16M };'));
    assert.equal(small.rmm.granule(0x4000_0000n).state, 'UNDELEGATED');
    assert.throws(() => small.rmm.granule(0x4100_0000n));
  });

  it('#include "file" reads workspace files relative to the scenario', async () => {
    const files: Record<string, string> = {
      'ws/lib/helpers.h': '#ifndef HELPERS_H\n#define HELPERS_H\n#include "consts.h"\nstatic int triple(int x) { return x * FACTOR; }\n#endif\n',
      'ws/lib/consts.h': '#define FACTOR 3\n',
    };
    const r = await run(scenario('\texpect(triple(4) == 12);', '#include "lib/helpers.h"\n#include "lib/helpers.h"'), {
      file: 'ws/main.realm.c', readFile: (p) => files[p],
    });
    assert.deepEqual(r.expectations.map((e) => e.passed), [true]);
  });

  it('host library code compiles with the scenario; the scenario\'s definition of a function overrides it', async () => {
    const lib: HostLibrary = (variant) => [{
      path: `<embedded>/host/${variant}/lib.c`, origin: 'host',
      text: 'int host_value(void) { return 1; }\nint host_twice(void) { return 2 * host_value(); }\nint host_only(void) { return host_value() + 40; }\n',
    }];
    const src = scenario('\texpect(host_twice() == 14);\n\texpect(host_only() == 47);', 'int host_twice(void);\nint host_only(void);\nint host_value(void) { return 7; }');
    const r = await createRunWith({ file: 'o.realm.c', source: src, hostVariant: 'fixed' }, nodeParserAssets(), lib);
    assert.deepEqual(r.diagnostics, []);
    r.runToEnd();
    assert.deepEqual(r.expectations.map((e) => e.passed), [true, true], 'library callers reach the scenario\'s definition');
    const dup = await createRunWith({ file: 'o.realm.c', source: scenario('', 'int host_value(void) { return 7; }\nint host_value(void) { return 8; }') }, nodeParserAssets(), lib);
    assert.deepEqual(dup.diagnostics.map((d) => d.message), ["redefinition of 'host_value' (previous definition at o.realm.c:1)"]);
  });
});
