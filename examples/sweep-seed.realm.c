/*
 * sweep-seed.realm.c: the seed bug, found by a fault sweep.
 *
 *   realm-lab sweep examples/sweep-seed.realm.c
 *
 * The scenario creates a realm the way KVM's realm_create_rd does (v14 patch 28, pasted
 * unchanged below, with small stand-ins for the kernel around it), then tears the VM down the
 * way kvm_destroy_vm would: the stage-2 PGD is freed unless realm_create_rd marked it leaked
 * (pgt = NULL). The clean run passes. The sweep then fails each RMI call in turn; when the
 * delegation of the 16-granule root RTT range fails at granule k (every k = 0..15), the v14
 * error path undelegates the whole range, RMI_GRANULE_RANGE_UNDELEGATE stops at granule k (it
 * was never delegated), WARN_ON fires and the PGD pages are lost to the host. With
 * SWEEP_SEED_FIXED set to 1 (the fix agreed in the review: undelegate only
 * [pgd_phys, top_delegated)), no point of the sweep leaks anything.
 *
 * Until the embedded host library selects the variant from machine.host, the variant is chosen
 * here, at compile time.
 */
#define SWEEP_SEED_FIXED 0

struct realm_lab_machine machine = {
	.profile = "2.0",
	.host = "v14",
	.dram_size = SZ_16M,
};

/* ---- stand-ins for the kernel structures and helpers the seed functions use ---- */
#define RMI_REALM_PARAM_FLAG_LPA2 BIT(0)
#define RMI_REALM_PARAM_FLAG_PMU BIT(2)
#define VTCR_EL2_IPA(vtcr) (64 - ((vtcr) & 0x3f))
#define PGD_PAGES 16

enum realm_state { REALM_STATE_NONE, REALM_STATE_NEW, REALM_STATE_ACTIVE, REALM_STATE_DYING, REALM_STATE_DEAD };

/* RmiRealmParams, 2.0 (reference 6.2): one 4 KB page. */
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

/* 16 concatenated level-1 tables: a 43-bit IPA space. */
static size_t kvm_pgtable_stage2_pgd_size(u64 vtcr) { return PGD_PAGES * PAGE_SIZE; }
static int get_start_level(struct realm *realm) { return 1; }
static bool kvm_lpa2_is_enabled(void) { return false; }
static void kvm_set_realm_state(struct kvm *kvm, enum realm_state s) { kvm->arch.realm.state = s; }
static enum realm_state kvm_realm_state(struct kvm *kvm) { return kvm->arch.realm.state; }

/*
 * The range helpers of arch/arm64/kernel/rmi.c: loop on RMI_GRANULE_RANGE_DELEGATE from out_top
 * until the whole range is done; any other status ends the loop. The fixed helper also reports
 * the first address not delegated (the review's third argument).
 */
static int rmi_delegate_range_out(phys_addr_t phys, unsigned long size, phys_addr_t *out_phys)
{
	phys_addr_t top = phys + size;
	unsigned long ret = RMI_SUCCESS;

	while (phys < top) {
		ret = RMI_RETURN_STATUS(rmi_call(RMI_GRANULE_RANGE_DELEGATE, phys, top));
		if (ret != RMI_SUCCESS) {
			/* On error X1 reports how far the RMM got. */
			phys = rmi_last.x1;
			break;
		}
		phys = rmi_last.x1;
	}
	if (out_phys)
		*out_phys = phys;
	return ret == RMI_SUCCESS ? 0 : -1;
}

static int rmi_delegate_range(phys_addr_t phys, unsigned long size) { return rmi_delegate_range_out(phys, size, NULL); }
static int rmi_delegate_page(phys_addr_t phys) { return rmi_delegate_range(phys, PAGE_SIZE); }

static int rmi_undelegate_range(phys_addr_t phys, unsigned long size)
{
	phys_addr_t top = phys + size;

	while (phys < top) {
		if (RMI_RETURN_STATUS(rmi_call(RMI_GRANULE_RANGE_UNDELEGATE, phys, top)) != RMI_SUCCESS)
			return -1;
		phys = rmi_last.x1;
	}
	return 0;
}

static int rmi_undelegate_page(phys_addr_t phys) { return rmi_undelegate_range(phys, PAGE_SIZE); }
static int rmi_realm_create(phys_addr_t rd, phys_addr_t params) { return RMI_RETURN_STATUS(rmi_call(RMI_REALM_CREATE, rd, params)) ? -1 : 0; }

#if !SWEEP_SEED_FIXED
/* realm_create_rd as reviewed in v14 (unchanged). */
static int realm_create_rd(struct kvm *kvm)
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
#else
/* realm_create_rd with the fix: undelegate only what was delegated, [pgd_phys, top_delegated). */
static int realm_create_rd(struct kvm *kvm)
{
	struct realm *realm = &kvm->arch.realm;
	struct realm_params *params = realm->params;
	void *rd = NULL;
	phys_addr_t rd_phys, params_phys;
	phys_addr_t top_delegated;
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

	if (rmi_delegate_range_out(kvm->arch.mmu.pgd_phys, pgd_size, &top_delegated)) {
		r = -ENXIO;
		goto out_undelegate_tables;
	}

	params->s2sz = VTCR_EL2_IPA(kvm->arch.mmu.vtcr);
	params->rtt_level_start = get_start_level(realm);
	params->rtt_num_start = pgd_size / PAGE_SIZE;
	params->rtt_base = kvm->arch.mmu.pgd_phys;
	params_phys = virt_to_phys(params);

	if (rmi_realm_create(rd_phys, params_phys)) {
		r = -ENXIO;
		goto out_undelegate_tables;
	}

	realm->rd = rd;
	kvm_set_realm_state(kvm, REALM_STATE_NEW);
	free_page((unsigned long)realm->params);
	realm->params = NULL;

	return 0;

out_undelegate_tables:
	if (WARN_ON(rmi_undelegate_range(kvm->arch.mmu.pgd_phys, top_delegated - kvm->arch.mmu.pgd_phys))) {
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
#endif

/* realm_ensure_created as reviewed in v14 (unchanged). */
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

/* ---- the scenario: a VM whose realm creation may fail, then torn down like kvm_destroy_vm ---- */
struct kvm the_kvm;
struct kvm_pgtable the_pgt;

/* The stage-2 PGD goes back to the page allocator, unless realm_create_rd gave it up. */
static void kvm_free_stage2_pgd(struct kvm *kvm, unsigned long pgd)
{
	int i;

	if (!kvm->arch.mmu.pgt) {
		printk("kvm: stage-2 PGD at %pa not freed: pgt == NULL\n", &kvm->arch.mmu.pgd_phys);
		return;
	}
	for (i = 0; i < PGD_PAGES; i++)
		free_page(pgd + i * PAGE_SIZE);
}

void scenario(void)
{
	struct kvm *kvm = &the_kvm;
	unsigned long config = get_zeroed_page(GFP_KERNEL);
	unsigned long pgd, first, extra;
	int i, ret;

	/* Boot: configure and activate the RMM (reference 7.1). */
	if (RMI_RETURN_STATUS(rmi_call(RMI_RMM_CONFIG_SET, virt_to_phys((void *)config))) ||
	    RMI_RETURN_STATUS(rmi_call(RMI_RMM_ACTIVATE))) {
		printk("RMM not available\n");
		free_page(config);
		return;
	}

	/*
	 * VM creation: the stage-2 PGD, 16 pages aligned to their size as alloc_pages(order 4)
	 * gives them. The allocator hands out pages downwards, so take pages until the last one is
	 * aligned, then give back the ones above the PGD.
	 */
	first = __get_free_page(GFP_KERNEL);
	pgd = first;
	for (i = 1; i < PGD_PAGES || (virt_to_phys((void *)pgd) & (PGD_PAGES * PAGE_SIZE - 1)); i++)
		pgd = __get_free_page(GFP_KERNEL);
	for (extra = pgd + PGD_PAGES * PAGE_SIZE; extra <= first; extra += PAGE_SIZE)
		free_page(extra);
	kvm->arch.mmu.vtcr = 64 - 43;
	kvm->arch.mmu.pgd_phys = virt_to_phys((void *)pgd);
	kvm->arch.mmu.pgt = &the_pgt;
	kvm->arch.realm.params = (void *)get_zeroed_page(GFP_KERNEL);
	/* Set at VM creation from the VMM's configuration (ID_AA64DFR0_EL1.BRPs / WRPs). */
	kvm->arch.realm.params->num_bps = 1;
	kvm->arch.realm.params->num_wps = 1;

	ret = realm_ensure_created(kvm);
	if (ret == 0) {
		phys_addr_t rd_phys = virt_to_phys(kvm->arch.realm.rd);

		printk("realm created: RD at %pa\n", &rd_phys);
		expect_granule(kvm->arch.mmu.pgd_phys, RMI_GRANULE_RTT);
		expect_no_leaks();
		return;
	}

	/* Creation failed: the VM is destroyed. */
	printk("realm_ensure_created: %d\n", ret);
	free_page((unsigned long)kvm->arch.realm.params);
	kvm->arch.realm.params = NULL;
	kvm_free_stage2_pgd(kvm, pgd);
	free_page(config);
	expect_no_leaks();
}
