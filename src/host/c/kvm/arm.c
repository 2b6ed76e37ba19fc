/*
 * kvm/arm.c: what a VMM does to a realm VM through KVM's ioctls (KVM_CREATE_VM, memslots,
 * KVM_CREATE_VCPU, KVM_ARM_RMI_POPULATE, the first KVM_RUN, faults, close), as functions a
 * scenario calls. Each picks the RMM 1.0 flow (kvm/rme.c) or the 2.0 flow (kvm/rmi.c) from
 * the ABI the RMM reported at bring-up.
 */

/* KVM_CREATE_VM(KVM_VM_TYPE_ARM_REALM | ipa_bits): stage-2 PGD and realm parameters. */
struct kvm *kvm_create_vm(unsigned long type)
{
	unsigned int ia_bits = type & KVM_VM_TYPE_ARM_IPA_SIZE_MASK;
	struct kvm *kvm;

	if (kvm_init_rmi())
		return NULL;
	if (!ia_bits)
		ia_bits = 40;
	kvm = kzalloc(sizeof(*kvm), GFP_KERNEL_ACCOUNT);
	if (!kvm)
		return NULL;
	kvm->arch.is_realm = (type & KVM_VM_TYPE_ARM_REALM) != 0;
	if (kvm_init_stage2_mmu(kvm, ia_bits)) {
		kfree(kvm);
		return NULL;
	}
	if (kvm_is_realm(kvm) && kvm_init_realm(kvm)) {
		kvm_free_stage2_pgd(&kvm->arch.mmu);
		kfree(kvm);
		return NULL;
	}
	kvm->arch.realm.ia_bits = ia_bits;
	return kvm;
}

/* KVM_SET_USER_MEMORY_REGION2 with guest_memfd: guest RAM at [guest_phys_addr, + size). */
int kvm_set_memory_region(struct kvm *kvm, unsigned long guest_phys_addr, unsigned long memory_size)
{
	struct kvm_memory_slot *slot;

	if (kvm->nr_memslots == KVM_MAX_MEMSLOTS)
		return -ENOSPC;
	if (!IS_ALIGNED(guest_phys_addr, PAGE_SIZE) || !IS_ALIGNED(memory_size, PAGE_SIZE) || !memory_size)
		return -EINVAL;
	slot = &kvm->memslots[kvm->nr_memslots++];
	slot->base_gfn = guest_phys_addr >> PAGE_SHIFT;
	slot->npages = memory_size >> PAGE_SHIFT;
	return 0;
}

/* KVM_CREATE_VCPU: the REC is created at the first run (kvm_activate_realm). */
struct kvm_vcpu *kvm_vm_ioctl_create_vcpu(struct kvm *kvm, unsigned int id)
{
	struct kvm_vcpu *vcpu;

	if (kvm->created_vcpus == KVM_MAX_VCPUS || id != kvm->created_vcpus)
		return NULL;
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return NULL;
	vcpu->kvm = kvm;
	vcpu->vcpu_id = id;
	vcpu->pc = 0x80000;	/* the guest kernel's entry point in IPA space */
	kvm->vcpus[kvm->created_vcpus++] = vcpu;
	return vcpu;
}

int kvm_realm_populate(struct kvm *kvm, unsigned long base, unsigned long size, const void *src, u32 flags)
{
	if (rmi_is_1_0())
		return rme_populate_realm(kvm, base, size, src, flags);
	return kvm_arm_rmi_populate(kvm, base, size, src, flags);
}

/* The first KVM_RUN of any vCPU activates the realm. */
int kvm_realm_activate(struct kvm *kvm)
{
	if (rmi_is_1_0())
		return rme_activate_realm(kvm);
	return kvm_activate_realm(kvm);
}

/* A stage-2 fault on a protected IPA of an active realm: back one page. */
int kvm_realm_fault(struct kvm *kvm, unsigned long ipa)
{
	if (kvm_realm_state(kvm) != REALM_STATE_ACTIVE)
		return -EINVAL;
	if (rmi_is_1_0())
		return rme_map_protected(kvm, ALIGN_DOWN(ipa, PAGE_SIZE), PAGE_SIZE);
	return realm_map_protected(kvm, ALIGN_DOWN(ipa, PAGE_SIZE), PAGE_SIZE);
}

/* Closing the VM (kvm_arch_destroy_vm): vCPUs and their RECs first, then the realm, then stage 2. */
void kvm_destroy_vm(struct kvm *kvm)
{
	unsigned int i;

	if (!kvm)
		return;
	for (i = 0; i < kvm->created_vcpus; i++) {
		if (rmi_is_1_0())
			rme_destroy_rec(kvm->vcpus[i]);
		else
			kvm_destroy_rec(kvm->vcpus[i]);
		kfree(kvm->vcpus[i]);
	}
	if (kvm_is_realm(kvm)) {
		if (rmi_is_1_0())
			rme_destroy_realm(kvm);
		else
			kvm_destroy_realm(kvm);
	}
	kvm_free_stage2_pgd(&kvm->arch.mmu);
	kfree(kvm);
}
