/*
 * realm-lifecycle-2.0.realm.c: a whole realm lifetime through the embedded KVM host code
 * (RMM 2.0; rmi-reference.md 7.1-7.8).
 *
 * Create a realm VM with 16 MiB of guest RAM and two vCPUs, populate all of it (a measured
 * 64 KiB "kernel image", the rest unmeasured zero pages), activate it (RECs, INIT_RIPAS),
 * take one stage-2 fault after activation, then destroy the VM: every granule is UNDELEGATED
 * again and nothing leaks. The RIM is not readable by the host through RMI (only the realm
 * can ask for it, in its attestation token); the debugger's realm view and the run's report
 * show it.
 */

struct realm_lab_machine machine = {
	.profile = "2.0",
	.host = "v14",
};

#define GUEST_RAM SZ_16M
#define IMAGE_PAGES 16

void scenario(void)
{
	struct kvm *kvm = kvm_create_vm(KVM_VM_TYPE_ARM_REALM | 40);
	u8 *image[IMAGE_PAGES];
	void *zero = (void *)get_zeroed_page(GFP_KERNEL);
	unsigned long ipa;
	phys_addr_t rd;
	int i;

	expect(kvm != NULL);
	expect(kvm_set_memory_region(kvm, 0, GUEST_RAM) == 0);
	expect(kvm_vm_ioctl_create_vcpu(kvm, 0) != NULL);
	expect(kvm_vm_ioctl_create_vcpu(kvm, 1) != NULL);

	/* The image: IMAGE_PAGES pages with recognisable contents, populated measured. */
	for (i = 0; i < IMAGE_PAGES; i++) {
		image[i] = (u8 *)__get_free_page(GFP_KERNEL);
		memset(image[i], 0xa0 + i, PAGE_SIZE);
		expect(kvm_realm_populate(kvm, i * PAGE_SIZE, PAGE_SIZE, image[i], KVM_ARM_RMI_POPULATE_FLAGS_MEASURE) == 0);
	}
	for (ipa = IMAGE_PAGES * PAGE_SIZE; ipa < GUEST_RAM; ipa += PAGE_SIZE) {
		if (kvm_realm_populate(kvm, ipa, PAGE_SIZE, zero, 0))
			break;
	}
	expect(ipa == GUEST_RAM);
	rd = virt_to_phys(kvm->arch.realm.rd);
	expect_granule(rd, RMI_GRANULE_RD);
	expect_granule(kvm->arch.mmu.pgd_phys, RMI_GRANULE_RTT);
	printk("realm %pa: %lu MiB populated, %d pages measured\n", &rd, GUEST_RAM >> 20, IMAGE_PAGES);

	expect(kvm_realm_activate(kvm) == 0);
	expect(kvm_realm_state(kvm) == REALM_STATE_ACTIVE);
	expect_granule(virt_to_phys(kvm->vcpus[0]->rec.rec_page), RMI_GRANULE_REC);
	printk("realm %pa active with %u RECs; RIM: held by the RMM, not readable through RMI\n", &rd, kvm->created_vcpus);

	/* A fault on protected memory outside the populated RAM is backed at once. */
	expect(kvm_realm_fault(kvm, GUEST_RAM + 0x5000) == 0);

	kvm_destroy_vm(kvm);
	expect_granule(rd, RMI_GRANULE_UNDELEGATED);
	expect_no_leaks();
	expect(kvm_leaked_pages == 0);

	for (i = 0; i < IMAGE_PAGES; i++)
		free_page((unsigned long)image[i]);
	free_page((unsigned long)zero);
}
