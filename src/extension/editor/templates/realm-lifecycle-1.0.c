/*
 * A new scenario: a realm's whole life through the embedded KVM host code (RMM 1.0).
 *
 * Create a realm VM with guest RAM and one vCPU, populate the RAM (the first pages measured),
 * activate it, then destroy the VM: every granule goes back to UNDELEGATED and nothing leaks.
 * "Realm Lab: Copy Host Code into Workspace" gives you the host code to edit.
 */

struct realm_lab_machine machine = {
	.profile = "1.0",
	.host = "v14",
};

#define GUEST_RAM SZ_2M
#define IMAGE_PAGES 4

void scenario(void)
{
	struct kvm *kvm = kvm_create_vm(KVM_VM_TYPE_ARM_REALM | 40);
	void *image = (void *)get_zeroed_page(GFP_KERNEL);
	unsigned long ipa;
	phys_addr_t rd;

	expect(kvm != NULL);
	expect(kvm_set_memory_region(kvm, 0, GUEST_RAM) == 0);
	expect(kvm_vm_ioctl_create_vcpu(kvm, 0) != NULL);

	memset(image, 0xa5, PAGE_SIZE);
	for (ipa = 0; ipa < GUEST_RAM; ipa += PAGE_SIZE) {
		u32 flags = ipa < IMAGE_PAGES * PAGE_SIZE ? KVM_ARM_RMI_POPULATE_FLAGS_MEASURE : 0;

		if (kvm_realm_populate(kvm, ipa, PAGE_SIZE, image, flags))
			break;
	}
	expect(ipa == GUEST_RAM);
	rd = virt_to_phys(kvm->arch.realm.rd);
	expect_granule(rd, RMI_GRANULE_RD);

	expect(kvm_realm_activate(kvm) == 0);
	expect(kvm_realm_state(kvm) == REALM_STATE_ACTIVE);

	kvm_destroy_vm(kvm);
	expect_granule(rd, RMI_GRANULE_UNDELEGATED);
	expect_no_leaks();
	expect(kvm_leaked_pages == 0);
	free_page((unsigned long)image);
}
