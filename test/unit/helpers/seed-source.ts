// The seed case (shared/docs/seed-realm-create-rd-review.txt) as C text, shared by the run tests
// and the DAP tests: realm_create_rd and realm_ensure_created pasted unchanged from the v14 patch,
// and the small stand-ins for the kernel around them. Pure text, no imports: any test bundle can use it.

/** Minimal stand-ins for the kernel structures and helpers the seed functions use; the stage-2 PGD has `pgdPages` pages. */
export function seedStubs(pgdPages: number): string {
  return `
struct realm_lab_machine machine = { .profile = "2.0" };
#define RMI_REALM_PARAM_FLAG_LPA2 BIT(0)
#define RMI_REALM_PARAM_FLAG_PMU BIT(2)
#define VTCR_EL2_IPA(vtcr) (64 - ((vtcr) & 0x3f))
enum realm_state { REALM_STATE_NONE, REALM_STATE_NEW, REALM_STATE_ACTIVE, REALM_STATE_DYING, REALM_STATE_DEAD };
struct realm_params {
	union { struct { u64 flags; u64 s2sz; u64 sve_vl; u64 num_bps; u64 num_wps; u64 pmu_num_ctrs; u64 hash_algo; }; u8 padding0[0x400]; };
	union { u8 rpv[64]; u8 padding1[0x400]; };
	union { struct { u64 padding; u64 rtt_base; s64 rtt_level_start; u64 rtt_num_start; }; u8 padding2[0x800]; };
};
struct kvm_pgtable { int dummy; };
struct realm { void *rd; struct realm_params *params; unsigned int ia_bits; enum realm_state state; };
struct kvm_s2_mmu { u64 vtcr; phys_addr_t pgd_phys; struct kvm_pgtable *pgt; };
struct kvm_arch { struct realm realm; struct kvm_s2_mmu mmu; void *arm_pmu; int nr_pmu_counters; };
struct kvm { struct kvm_arch arch; };
static size_t kvm_pgtable_stage2_pgd_size(u64 vtcr) { return ${pgdPages} * PAGE_SIZE; }
static int get_start_level(struct realm *realm) { return 4 - 3; }
static bool kvm_lpa2_is_enabled(void) { return false; }
static void kvm_set_realm_state(struct kvm *kvm, enum realm_state s) { kvm->arch.realm.state = s; }
static enum realm_state kvm_realm_state(struct kvm *kvm) { return kvm->arch.realm.state; }
static int rmi_delegate_page(phys_addr_t p) { return RMI_RETURN_STATUS(rmi_call(RMI_GRANULE_RANGE_DELEGATE, p, p + PAGE_SIZE)) ? -1 : 0; }
static int rmi_delegate_range(phys_addr_t p, unsigned long size) { return RMI_RETURN_STATUS(rmi_call(RMI_GRANULE_RANGE_DELEGATE, p, p + size)) ? -1 : 0; }
static int rmi_undelegate_range(phys_addr_t p, unsigned long size) { return RMI_RETURN_STATUS(rmi_call(RMI_GRANULE_RANGE_UNDELEGATE, p, p + size)) ? -1 : 0; }
static int rmi_undelegate_page(phys_addr_t p) { return rmi_undelegate_range(p, PAGE_SIZE); }
static int rmi_realm_create(phys_addr_t rd, phys_addr_t params) { return RMI_RETURN_STATUS(rmi_call(RMI_REALM_CREATE, rd, params)) ? -1 : 0; }

`;
}

/** realm_create_rd and realm_ensure_created as in the seed, unchanged. */
export const SEED_FUNCTIONS = `static int realm_create_rd(struct kvm *kvm)
{
	struct realm *realm = &kvm->arch.realm;
	struct realm_params *params = realm->params;
	void *rd = NULL;
	phys_addr_t rd_phys, params_phys;
	size_t pgd_size = kvm_pgtable_stage2_pgd_size(kvm->arch.mmu.vtcr);
	int r;

	realm->ia_bits = VTCR_EL2_IPA(kvm->arch.mmu.vtcr);

	if (WARN_ON(realm->rd || !realm->params))
		return -EEXIST;

	rd = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
	if (!rd)
		return -ENOMEM;

	rd_phys = virt_to_phys(rd);
	if (rmi_delegate_page(rd_phys)) {
		r = -ENXIO;
		goto free_rd;
	}

	if (rmi_delegate_range(kvm->arch.mmu.pgd_phys, pgd_size)) {
		r = -ENXIO;
		goto out_undelegate_tables;
	}

	params->s2sz = VTCR_EL2_IPA(kvm->arch.mmu.vtcr);
	params->rtt_level_start = get_start_level(realm);
	params->rtt_num_start = pgd_size / PAGE_SIZE;
	params->rtt_base = kvm->arch.mmu.pgd_phys;

	if (kvm->arch.arm_pmu) {
		params->pmu_num_ctrs = kvm->arch.nr_pmu_counters;
		params->flags |= RMI_REALM_PARAM_FLAG_PMU;
	}

	if (kvm_lpa2_is_enabled())
		params->flags |= RMI_REALM_PARAM_FLAG_LPA2;

	params_phys = virt_to_phys(params);

	if (rmi_realm_create(rd_phys, params_phys)) {
		r = -ENXIO;
		goto out_undelegate_tables;
	}

	realm->rd = rd;
	kvm_set_realm_state(kvm, REALM_STATE_NEW);
	/* The realm is up, free the parameters.  */
	free_page((unsigned long)realm->params);
	realm->params = NULL;

	return 0;

out_undelegate_tables:
	if (WARN_ON(rmi_undelegate_range(kvm->arch.mmu.pgd_phys, pgd_size))) {
		/* Leak the pages if they cannot be returned */
		kvm->arch.mmu.pgt = NULL;
	}
	if (WARN_ON(rmi_undelegate_page(rd_phys))) {
		/* Leak the page if it isn't returned */
		return r;
	}
free_rd:
	free_page((unsigned long)rd);
	return r;
}

static int realm_ensure_created(struct kvm *kvm)
{
	int ret;

	switch (kvm_realm_state(kvm)) {
	case REALM_STATE_NONE:
		break;
	case REALM_STATE_NEW:
		return 0;
	case REALM_STATE_DEAD:
		return -ENXIO;
	default:
		return -EBUSY;
	}

	ret = realm_create_rd(kvm);
	return ret;
}

`;
