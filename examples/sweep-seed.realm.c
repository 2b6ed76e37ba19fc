/*
 * sweep-seed.realm.c: the seed bug, found by a fault sweep (RMM 2.0).
 *
 *   node dist/cli.js sweep examples/sweep-seed.realm.c --command RMI_GRANULE_RANGE_DELEGATE  # v14: every k
 *   node dist/cli.js sweep examples/sweep-seed.realm.c --command RMI_GRANULE_RANGE_DELEGATE --host fixed
 *
 * The scenario creates a realm VM through the embedded KVM host code (realm_ensure_created ->
 * realm_create_rd, v14 patch 28) and destroys it again; the clean run leaks nothing. A sweep
 * then fails each RMI call in turn, and the range delegations at every granule k of the range.
 * When the delegation of the 16-granule root RTT range fails at granule k, v14's error path
 * undelegates the whole range: RMI_GRANULE_RANGE_UNDELEGATE stops at granule k (it was never
 * delegated), WARN_ON fires, KVM sets pgt = NULL and the PGD's pages are lost to the host.
 * With the fixed error path (undelegate only [pgd_phys, top_delegated)) none of them leaks.
 * (A full sweep also fails the teardown calls: there KVM leaks what the RMM will not return.) */

struct realm_lab_machine machine = {
	.profile = "2.0",
	.host = "v14",
	.dram_size = SZ_16M,
};

void scenario(void)
{
	struct kvm *kvm = kvm_create_vm(KVM_VM_TYPE_ARM_REALM | 43);

	if (!kvm)
		return;
	/* A failure here is what the sweep is about: the host must clean up either way. */
	realm_ensure_created(kvm);
	kvm_destroy_vm(kvm);
}
