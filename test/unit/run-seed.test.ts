// The seed case's functions, pasted unchanged from the v14 patch review
// (shared/docs/seed-realm-create-rd-review.txt), compile and run against the 2.0 emulator with
// only small stand-ins for the kernel around them: a partial range delegation makes the whole-range
// undelegate hit a granule that was never delegated, and WARN_ON fires, as the review describes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from './helpers/c-run';
import { SEED_FUNCTIONS, seedStubs } from './helpers/seed-source';

const STUBS = seedStubs(2);
const SEED = SEED_FUNCTIONS;

const SCENARIO = `struct kvm the_kvm;
void scenario(void)
{
	struct kvm *kvm = &the_kvm;
	/* A two-page stage-2 PGD: the allocator hands out pages downwards, so these two are adjacent. */
	unsigned long pgd = __get_free_page(GFP_KERNEL);
	__get_free_page(GFP_KERNEL);
	rmi_call(RMI_RMM_CONFIG_SET, virt_to_phys((void *)get_zeroed_page(GFP_KERNEL)));
	rmi_call(RMI_RMM_ACTIVATE);
	kvm->arch.mmu.vtcr = 64 - 40;
	kvm->arch.mmu.pgd_phys = virt_to_phys((void *)(pgd - PAGE_SIZE));
	kvm->arch.realm.params = (void *)get_zeroed_page(GFP_KERNEL);
	fault_inject_after("RMI_GRANULE_RANGE_DELEGATE", 1, RMI_ERROR_INPUT);
	expect(realm_ensure_created(kvm) == -ENXIO);
	expect_no_leaks();
}
`;

describe('the seed functions pasted into a scenario', () => {
  it('compile unchanged and show the partial-delegation bug: the undelegate of the whole range fails', async () => {
    const r = await run(STUBS + SEED + SCENARIO);
    assert.deepEqual(r.expectations.filter((e) => !e.passed), []);
    assert.deepEqual(r.calls.map((c) => [c.name, c.status]), [
      ['RMI_RMM_CONFIG_SET', 0], ['RMI_RMM_ACTIVATE', 0],
      ['RMI_GRANULE_RANGE_DELEGATE', 0], // the RD page
      ['RMI_GRANULE_RANGE_DELEGATE', 1], // the PGD: injected failure after 1 granule
      ['RMI_GRANULE_RANGE_UNDELEGATE', 1], // the whole PGD range: stops at the never-delegated granule
      ['RMI_GRANULE_RANGE_UNDELEGATE', 0], // the RD page
    ]);
    const bad = r.calls[4];
    assert.equal(bad.failedCheck, 'gran_state');
    assert.match(bad.findings[0]?.message ?? '', /never delegated/);
    assert.equal(r.output.length, 1);
    assert.match(r.output[0].text, /^WARNING: WARN_ON\(rmi_undelegate_range\(kvm->arch.mmu.pgd_phys, pgd_size\)\) at /);
    assert.equal(r.output[0].range.line, (STUBS + SEED).split('\n').findIndex((l) => l.includes('if (WARN_ON(rmi_undelegate_range(')) + 1);
  });
});
