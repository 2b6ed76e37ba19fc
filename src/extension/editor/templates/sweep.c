/*
 * A new scenario to sweep: create a realm through the embedded host code and destroy it.
 *
 * Run "Realm Lab: Sweep Faults" on it: the sweep runs it once clean, then once per RMI call
 * and failing status (and per granule k of a range call) with that one fault injected, and
 * lists every point that leaks, WARNs or fails an expectation. With .host = "v14" the failed
 * delegation of the root RTT range shows the seed bug; with "fixed" none of those points fails.
 * (Faults in the teardown calls leak in both: there KVM leaks what the RMM will not return.)
 */

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
	/* A failure here is what the sweep injects: it must not lose any page. */
	if (realm_ensure_created(kvm) == 0)
		expect_granule(virt_to_phys(kvm->arch.realm.rd), RMI_GRANULE_RD);
	kvm_destroy_vm(kvm);
	expect_no_leaks();
	expect(kvm_leaked_pages == 0);
}
