/*
 * seed-partial-delegate.realm.c: the bug that started Realm Lab (RMM 2.0, host v14).
 *
 * realm_create_rd() delegates the realm's root RTTs, the 16 concatenated level-1 tables of a
 * 43-bit IPA space, with one rmi_delegate_range() call. Here RMI_GRANULE_RANGE_DELEGATE fails
 * at granule 3 of that range. v14's error path then undelegates the *whole* range: granules
 * 0..2 come back, granule 3 was never delegated, so RMI_GRANULE_RANGE_UNDELEGATE fails there,
 * WARN_ON fires and KVM sets pgt = NULL. The PGD is never freed: when the VM is destroyed its
 * 16 pages are leaked (kvm_leaked_pages), although no granule is left DELEGATED.
 * See seed-partial-delegate-fixed.realm.c for the fix.
 */

struct realm_lab_machine machine = {
	.profile = "2.0",
	.host = "v14",
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

	/* The undelegate gave granules 0..2 back and stopped at granule 3. */
	expect_granule(pgd, RMI_GRANULE_UNDELEGATED);
	expect_granule(pgd + FAIL_AT * PAGE_SIZE, RMI_GRANULE_UNDELEGATED);
	expect(kvm->arch.mmu.pgt == NULL);	/* KVM gave up on the PGD */

	kvm_destroy_vm(kvm);
	expect_no_leaks();			/* nothing stays DELEGATED... */
	expect(kvm_leaked_pages == 0);		/* ...but the host lost the PGD: fails with 16 */
}
