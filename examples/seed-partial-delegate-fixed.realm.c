/*
 * seed-partial-delegate-fixed.realm.c: the same fault as seed-partial-delegate.realm.c, with
 * the fixed host code (RMM 2.0, host fixed; rmi-reference.md 7.4).
 *
 * rmi_delegate_range() now reports the top of what it delegated, and realm_create_rd()
 * undelegates only [pgd_phys, top_delegated): granules 0..2. The undelegate succeeds, no
 * WARN fires, the PGD stays with KVM and is freed with the VM: nothing leaks.
 */

struct realm_lab_machine machine = {
	.profile = "2.0",
	.host = "fixed",
};

#define PGD_GRANULES 16
#define FAIL_AT 3

void scenario(void)
{
	struct kvm *kvm = kvm_create_vm(KVM_VM_TYPE_ARM_REALM | 43);
	phys_addr_t pgd;

	expect(kvm != NULL);
	pgd = kvm->arch.mmu.pgd_phys;
	expect(kvm_pgtable_stage2_pgd_size(kvm->arch.mmu.vtcr) == PGD_GRANULES * PAGE_SIZE);

	/* The RD page is the first granule RANGE_DELEGATE processes; the PGD comes next. */
	fault_inject_after("RMI_GRANULE_RANGE_DELEGATE", 1 + FAIL_AT, RMI_ERROR_INPUT);
	expect(realm_ensure_created(kvm) == -ENXIO);

	expect_granule(pgd, RMI_GRANULE_UNDELEGATED);
	expect_granule(pgd + (FAIL_AT - 1) * PAGE_SIZE, RMI_GRANULE_UNDELEGATED);
	expect(kvm->arch.mmu.pgt != NULL);	/* the PGD is still KVM's to free */

	kvm_destroy_vm(kvm);
	expect_no_leaks();
	expect(kvm_leaked_pages == 0);
}
