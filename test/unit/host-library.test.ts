// The embedded host code (src/host): the example scenarios run to the end with the expected
// granule states, WARNs and leaks; the seed story at every k on v14 and on fixed; the seed
// functions pasted into a scenario override the library's; a workspace copy wins; both
// profiles' lifecycles leave nothing behind.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HOST_FILES, hostLibrary } from '../../src/host';
import { createRun, formatDiagnostic, type RunOptions } from '../../src/run';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');
const example = (name: string) => readFileSync(join(EXAMPLES, name), 'utf8');

async function runToEnd(source: string, opts: Partial<RunOptions> = {}) {
  const r = await createRun({ file: 'ws/s.realm.c', source, ...opts });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), []);
  r.runToEnd();
  assert.equal(r.error && formatDiagnostic(r.error), undefined, 'no runtime error');
  assert.ok(r.finished);
  return r;
}
const failed = (r: { expectations: readonly { passed: boolean; message: string }[] }) => r.expectations.filter((e) => !e.passed).map((e) => e.message);
const warns = (r: { output: readonly { kind: string; text: string }[] }) => r.output.filter((o) => o.kind === 'warn').map((o) => o.text);
const hex = (n: bigint) => `0x${n.toString(16)}`;

/** A 2.0 VM with a 16-granule root RTT range whose delegation fails at granule k. */
const seedScenario = (host: string, k: number) => `struct realm_lab_machine machine = { .profile = "2.0", .host = "${host}" };
phys_addr_t pgd;
void scenario(void)
{
	struct kvm *kvm = kvm_create_vm(KVM_VM_TYPE_ARM_REALM | 43);
	pgd = kvm->arch.mmu.pgd_phys;
	fault_inject_after("RMI_GRANULE_RANGE_DELEGATE", 1 + ${k}, RMI_ERROR_INPUT);
	expect(realm_ensure_created(kvm) == -ENXIO);
	kvm_destroy_vm(kvm);
	expect_no_leaks();
}
`;

describe('host library: the seed examples', () => {
  it('seed-partial-delegate (v14): the whole-range undelegate fails at granule 3, WARNs, and the 16 PGD pages leak', async () => {
    const r = await runToEnd(example('seed-partial-delegate.realm.c'), { file: 'examples/seed-partial-delegate.realm.c' });
    assert.equal(r.hostVariant, 'v14');
    const pgd = r.calls.find((c) => c.name === 'RMI_GRANULE_RANGE_DELEGATE' && c.status !== 0)!.args[0];
    assert.deepEqual(r.calls.filter((c) => /RANGE_/.test(c.name)).map((c) => [c.name, c.status, hex(c.args[0]), hex(c.args[1])]), [
      ['RMI_GRANULE_RANGE_DELEGATE', 0, hex(r.calls[3].args[0]), hex(r.calls[3].args[0] + 0x1000n)], // the RD
      ['RMI_GRANULE_RANGE_DELEGATE', 1, hex(pgd), hex(pgd + 0x10000n)], // fails at granule 3
      ['RMI_GRANULE_RANGE_UNDELEGATE', 1, hex(pgd), hex(pgd + 0x10000n)], // v14: the whole range
      ['RMI_GRANULE_RANGE_UNDELEGATE', 0, hex(r.calls[3].args[0]), hex(r.calls[3].args[0] + 0x1000n)],
    ]);
    const undel = r.calls.find((c) => c.name === 'RMI_GRANULE_RANGE_UNDELEGATE')!;
    assert.equal(undel.failedCheck, 'gran_state');
    assert.deepEqual(undel.findings.map((f) => [f.kind, f.pa]), [['undelegate-not-delegated', Number(pgd) + 3 * 4096]]);
    assert.equal(warns(r).length, 1);
    assert.match(warns(r)[0], /^WARNING: WARN_ON\(rmi_undelegate_range\(kvm->arch\.mmu\.pgd_phys, pgd_size\)\) at realm-lab\/host\/kvm\/rmi\.c:\d+$/);
    assert.ok(r.output.some((o) => o.kind === 'printk' && o.text === `kvm: stage-2 PGD at 0x${pgd.toString(16).padStart(16, '0')} leaked: 16 pages never return to the host`));
    for (let i = 0; i < 16; i++) assert.equal(r.rmm.granule(pgd + BigInt(i) * 0x1000n).state, 'UNDELEGATED');
    assert.equal(r.globalValue('kvm_leaked_pages'), 16n);
    assert.deepEqual(failed(r), ['expect(kvm_leaked_pages == 0) failed: left side is 16, right side is 0']);
  });

  it('seed-partial-delegate-fixed: the same fault, only [pgd, top_delegated) undelegated, no WARN, no leak', async () => {
    const r = await runToEnd(example('seed-partial-delegate-fixed.realm.c'), { file: 'examples/seed-partial-delegate-fixed.realm.c' });
    assert.equal(r.hostVariant, 'fixed');
    const pgd = r.calls.find((c) => c.name === 'RMI_GRANULE_RANGE_DELEGATE' && c.status !== 0)!.args[0];
    const undel = r.calls.filter((c) => c.name === 'RMI_GRANULE_RANGE_UNDELEGATE');
    assert.deepEqual(undel.map((c) => [c.status, hex(c.args[0]), hex(c.args[1])]).slice(0, 1), [[0, hex(pgd), hex(pgd + 0x3000n)]]);
    assert.deepEqual(warns(r), []);
    assert.deepEqual(failed(r), []);
    assert.equal(r.globalValue('kvm_leaked_pages'), 0n);
  });
});

describe('host library: the seed story at every k of a 16-granule root RTT range', () => {
  for (let k = 0; k < 16; k++) {
    it(`k = ${k}: v14 WARNs and leaks the PGD; fixed does neither`, async () => {
      const v14 = await runToEnd(seedScenario('v14', k));
      assert.equal(warns(v14).length, 1, 'one WARN from the whole-range undelegate');
      assert.equal(v14.globalValue('kvm_leaked_pages'), 16n);
      const pgd = BigInt.asUintN(64, v14.globalValue('pgd')!);
      const stop = v14.calls.find((c) => c.name === 'RMI_GRANULE_RANGE_UNDELEGATE')!;
      assert.deepEqual(stop.findings.map((f) => f.pa), [Number(pgd) + k * 4096]);

      const fixed = await runToEnd(seedScenario('fixed', k));
      assert.deepEqual(warns(fixed), []);
      assert.equal(fixed.globalValue('kvm_leaked_pages'), 0n);
      const pgdUndelegates = fixed.calls.filter((c) => c.name === 'RMI_GRANULE_RANGE_UNDELEGATE' && c.args[0] === BigInt.asUintN(64, fixed.globalValue('pgd')!));
      // k = 0: nothing was delegated, so no undelegate is issued (a PGD undelegate only at teardown never happens: no RD).
      assert.deepEqual(pgdUndelegates.map((c) => [c.status, c.args[1] - c.args[0]]), k === 0 ? [] : [[0, BigInt(k) * 4096n]]);
      for (const r of [v14, fixed]) assert.deepEqual(failed(r), []);
    });
  }
});

describe('host library: overriding and workspace copies', () => {
  it('the seed functions pasted into a scenario override the library\'s', async () => {
    const lib = hostLibrary('v14').find((u) => u.path === 'realm-lab/host/kvm/rmi.c')!.text;
    const start = lib.indexOf('static int realm_create_rd(struct kvm *kvm)', lib.indexOf('#else'));
    const seed = lib.slice(start, lib.indexOf('#endif', start)) + lib.slice(lib.indexOf('int realm_ensure_created'), lib.indexOf('static phys_addr_t realm_rd_phys'));
    const src = `struct realm_lab_machine machine = { .profile = "2.0" };\n${seed.replace('int realm_ensure_created', 'static int realm_ensure_created')}
void scenario(void)
{
	struct kvm *kvm = kvm_create_vm(KVM_VM_TYPE_ARM_REALM | 43);
	fault_inject_after("RMI_GRANULE_RANGE_DELEGATE", 1 + 5, RMI_ERROR_INPUT);
	expect(realm_ensure_created(kvm) == -ENXIO);
	kvm_destroy_vm(kvm);
}
`;
    const r = await runToEnd(src, { hostVariant: 'v14' });
    // The pasted function runs, not the library's: the WARN comes from the scenario's line.
    assert.equal(warns(r).length, 1);
    assert.match(warns(r)[0], /at ws\/s\.realm\.c:\d+$/);
  });

  it('a workspace copy next to the scenario replaces the embedded file', async () => {
    const original = HOST_FILES.find((f) => f.path === 'kvm/arm.c')!.text;
    const edited = original.replace('vcpu->pc = 0x80000;', 'vcpu->pc = 0x80000;\n\tprintk("workspace copy\\n");');
    const files: Record<string, string> = { 'ws/realm-lab-host/kvm/arm.c': edited };
    const src = `void scenario(void)\n{\n\tstruct kvm *kvm = kvm_create_vm(KVM_VM_TYPE_ARM_REALM | 40);\n\tkvm_vm_ioctl_create_vcpu(kvm, 0);\n\tkvm_destroy_vm(kvm);\n}\n`;
    const r = await runToEnd(src, { readFile: (p) => files[p] });
    assert.deepEqual(r.output.map((o) => [o.text, o.range.file]), [['workspace copy', 'ws/realm-lab-host/kvm/arm.c']]);
    const plain = await runToEnd(src, { readFile: () => undefined });
    assert.deepEqual(plain.output, []);
  });

  it('a scenario that defines everything it uses runs without the library', async () => {
    const r = await runToEnd('struct kvm { int x; };\nvoid scenario(void)\n{\n\tstruct kvm k = { 1 };\n\texpect(k.x == 1);\n}\n');
    assert.ok(!r.program!.functions.some((f) => f.name === 'realm_create_rd'));
  });
});

describe('host library: lifecycles', () => {
  for (const profile of ['1.0', '2.0'] as const) {
    it(`realm-lifecycle-${profile}: create, populate 16 MiB, RECs, activate, fault, teardown; no leak`, async () => {
      const r = await runToEnd(example(`realm-lifecycle-${profile}.realm.c`), { file: `examples/realm-lifecycle-${profile}.realm.c` });
      assert.equal(r.profile, profile);
      assert.deepEqual(failed(r), []);
      assert.deepEqual(warns(r), []);
      const names = r.calls.map((c) => c.name);
      const count = (n: string) => names.filter((x) => x === n).length;
      const data = r.calls.filter((c) => c.name === (profile === '1.0' ? 'RMI_DATA_CREATE' : 'RMI_RTT_DATA_MAP_INIT'));
      assert.equal(data.filter((c) => c.status === 0).length, 4096, 'one successful populate per 4 KB of 16 MiB');
      // The first page of each 2 MiB needs its level-3 RTT: RMI_ERROR_RTT, RTT_CREATE, retry. In 1.0
      // INIT_RIPAS came first and made the level-2 table; in 2.0 the first page makes it too.
      const walks = data.filter((c) => c.status !== 0).map((c) => [c.status, c.index]);
      assert.deepEqual(walks, profile === '1.0' ? Array(8).fill([4, 2]) : [[4, 1], ...Array(7).fill([4, 2])]);
      assert.equal(count('RMI_REALM_ACTIVATE'), 1);
      assert.equal(count('RMI_REC_CREATE'), 2);
      assert.equal(r.calls.filter((c) => c.name === 'RMI_REC_CREATE' || c.name === 'RMI_OP_CONTINUE').every((c) => c.status === 0 || c.status === 13), true);
      // Every granule is back with the host.
      const g = r.rmm.st.granules;
      let used = 0;
      for (let i = 0; i < g.count; i++) if (g.state[i] !== 0) used++;
      assert.equal(used, 0);
      assert.equal(r.rmm.st.realms.size, 0);
      assert.match(r.output[0].text, /^realm 0x[0-9a-f]{16}: 16 MiB populated, 16 pages measured$/);
    });
  }

  it('the RIM depends on the populated contents and differs between the profiles\' flows', async () => {
    const rims: string[] = [];
    for (const profile of ['1.0', '2.0'] as const) {
      const src = example(`realm-lifecycle-${profile}.realm.c`).replace('kvm_destroy_vm(kvm);', 'return;');
      const r = await createRun({ file: 'x.realm.c', source: src });
      r.runToEnd();
      const realm = [...r.rmm.st.realms.values()][0];
      rims.push(Buffer.from(realm.measurements[0]).toString('hex'));
    }
    assert.notEqual(rims[0], rims[1]);
    assert.ok(rims.every((h) => /[1-9a-f]/.test(h)));
  });
});
