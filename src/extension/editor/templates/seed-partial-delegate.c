/*
 * A new scenario: the seed's partial delegation (RMM 2.0, host v14).
 *
 * realm_create_rd() delegates the 16 root RTT granules of a 43-bit IPA space in one range.
 * Here RMI_GRANULE_RANGE_DELEGATE fails at granule FAIL_AT. The v14 error path undelegates the
 * whole range, the undelegate stops at the granule that was never delegated, WARN_ON fires and
 * KVM gives up on the PGD: its pages are lost when the VM is destroyed. The expectations below
 * describe that behaviour; switch .host to "fixed" to see the fix (then kvm_leaked_pages is 0).
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
	expect_granule(pgd + FAIL_AT * PAGE_SIZE, RMI_GRANULE_UNDELEGATED);

	kvm_destroy_vm(kvm);
	expect_no_leaks();	/* no granule stays DELEGATED... */
	printk("kvm_leaked_pages = %d\n", kvm_leaked_pages);	/* ...but v14 lost the PGD's pages */
}
