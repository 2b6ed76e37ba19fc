// The seed case as a scenario (shared/docs/seed-realm-create-rd-review.txt): the v14
// realm_create_rd with the stage-2 PGD's range delegation failing after 3 of its 4 granules, so
// the undelegate of the whole range hits a granule that was never delegated and WARN_ON fires.
// The stand-ins and seed functions are test/unit/helpers/seed-source.ts, with a four-page PGD.
import { SEED_FUNCTIONS, seedStubs } from '../unit/helpers/seed-source';

export const SEED_SCENARIO = `${seedStubs(4)}${SEED_FUNCTIONS}struct kvm the_kvm;
void scenario(void)
{
	struct kvm *kvm = &the_kvm;
	/* A four-page stage-2 PGD: the allocator hands out pages downwards, so these are adjacent. */
	unsigned long pgd = __get_free_page(GFP_KERNEL);
	__get_free_page(GFP_KERNEL);
	__get_free_page(GFP_KERNEL);
	__get_free_page(GFP_KERNEL);
	rmi_call(RMI_RMM_CONFIG_SET, virt_to_phys((void *)get_zeroed_page(GFP_KERNEL)));
	rmi_call(RMI_RMM_ACTIVATE);
	kvm->arch.mmu.vtcr = 64 - 40;
	kvm->arch.mmu.pgd_phys = virt_to_phys((void *)(pgd - 3 * PAGE_SIZE));
	kvm->arch.realm.params = (void *)get_zeroed_page(GFP_KERNEL);
	fault_inject_after("RMI_GRANULE_RANGE_DELEGATE", 3, RMI_ERROR_INPUT);
	expect(realm_ensure_created(kvm) == -ENXIO);
	expect_no_leaks();
}
`;
