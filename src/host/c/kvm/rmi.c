/*
 * kvm/rmi.c: the realm lifecycle KVM runs against an RMM 2.0 (2.0-bet1, the Linux v14 series,
 * arch/arm64/kvm/rmi.c; rmi-reference.md 7.2-7.8): realm parameters, the realm descriptor
 * (realm_create_rd, the code of the seed review), RTT levels, populate with
 * RTT_DATA_MAP_INIT, INIT_RIPAS, RECs through the stateful REC_CREATE, activation, fault-time
 * mapping, unmap and teardown. kvm/rme.c is the RMM 1.0 flow; kvm/arm.c picks one.
 *
 * Host variant: Realm Lab sets the macro below to 1 for machine.host = "fixed" (see
 * kernel/rmi.c). Only the error path of realm_create_rd differs (reference 7.3 / 7.4).
 */
#define REALM_LAB_HOST_FIXED 0

/* Allocated with the VM (kvm_init_realm); the VMM's configuration goes in before the RD. */
int kvm_init_realm(struct kvm *kvm)
{
	struct realm *realm = &kvm->arch.realm;

	realm->params = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!realm->params)
		return -ENOMEM;
	realm->params->hash_algo = RMI_HASH_SHA_256;
	/* One breakpoint and one watchpoint (the fields hold the count minus one). */
	realm->params->num_bps = 1;
	realm->params->num_wps = 1;
	kvm_set_realm_state(kvm, REALM_STATE_NONE);
	return 0;
}

int get_start_level(struct realm *realm)
{
	return 4 - stage2_pgtable_levels(realm->ia_bits);
}

#if REALM_LAB_HOST_FIXED
/* The fix agreed in the review (reference 7.4): undelegate only [pgd_phys, top_delegated). */
static int realm_create_rd(struct kvm *kvm)
{
	struct realm *realm = &kvm->arch.realm;
	struct realm_params *params = realm->params;
	void *rd = NULL;
	phys_addr_t rd_phys, params_phys, top_delegated;
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

	if (rmi_delegate_range(kvm->arch.mmu.pgd_phys, pgd_size, &top_delegated)) {
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
	/* Nothing to give back if not even the first granule was delegated. */
	if (top_delegated != kvm->arch.mmu.pgd_phys &&
	    WARN_ON(rmi_undelegate_range(kvm->arch.mmu.pgd_phys,
					 top_delegated - kvm->arch.mmu.pgd_phys))) {
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
/* v14 as reviewed in the seed: the error path undelegates the whole PGD range. */
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
#endif

int realm_ensure_created(struct kvm *kvm)
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

static phys_addr_t realm_rd_phys(struct realm *realm)
{
	return virt_to_phys(realm->rd);
}

/*
 * The walk stopped at `level` (RMI_ERROR_RTT's index): create the tables of levels
 * level + 1 .. max_level on the way to ipa. A table that already exists (RMI_ERROR_RTT at
 * level - 1) is not an error: the spare page goes back (reference 8.8).
 */
int realm_create_rtt_levels(struct realm *realm, unsigned long ipa, int level, int max_level)
{
	phys_addr_t rd = realm_rd_phys(realm);

	while (level++ < max_level) {
		unsigned long align_ipa = ALIGN_DOWN(ipa, rmi_rtt_level_mapsize(level - 1));
		void *page = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
		phys_addr_t phys;
		int ret;

		if (!page)
			return -ENOMEM;
		phys = virt_to_phys(page);
		if (rmi_delegate_page(phys)) {
			free_page((unsigned long)page);
			return -ENXIO;
		}
		ret = rmi_rtt_create(rd, phys, align_ipa, level);
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT && RMI_RETURN_INDEX(ret) == level - 1) {
			/* The RTT already exists: give the page back. */
			rmi_free_delegated_page(phys);
			continue;
		}
		if (ret) {
			rmi_free_delegated_page(phys);
			return -ENXIO;
		}
	}
	return 0;
}

/* Populate one page (reference 7.5): delegate dst, RTT_DATA_MAP_INIT, create RTTs once if needed. */
static int realm_data_map_init(struct kvm *kvm, unsigned long ipa, phys_addr_t dst, phys_addr_t src, unsigned long flags)
{
	struct realm *realm = &kvm->arch.realm;
	phys_addr_t rd = realm_rd_phys(realm);
	int ret;

	if (rmi_delegate_page(dst))
		return -ENXIO;

	ret = rmi_rtt_data_map_init(rd, dst, ipa, src, flags);
	if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
		ret = realm_create_rtt_levels(realm, ipa, RMI_RETURN_INDEX(ret), RMM_RTT_MAX_LEVEL);
		if (!ret)
			ret = rmi_rtt_data_map_init(rd, dst, ipa, src, flags);
	}
	if (ret) {
		if (WARN_ON(rmi_undelegate_page(dst))) {
			/* The page is not back with the host: leak it. */
			kvm_leaked_pages++;
			return -ENXIO;
		}
		free_page((unsigned long)phys_to_virt(dst));
		return -ENXIO;
	}
	return 0;
}

/*
 * KVM_ARM_RMI_POPULATE: copy [src, src + size) into the realm at IPA base, page by page,
 * measured when flags has KVM_ARM_RMI_POPULATE_FLAGS_MEASURE. Creates the realm first.
 */
int kvm_arm_rmi_populate(struct kvm *kvm, unsigned long base, unsigned long size, const void *src, u32 flags)
{
	unsigned long data_flags = flags & KVM_ARM_RMI_POPULATE_FLAGS_MEASURE ? RMI_MEASURE_CONTENT : RMI_NO_MEASURE_CONTENT;
	unsigned long off;
	int ret;

	if (!IS_ALIGNED(base, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -EINVAL;
	ret = realm_ensure_created(kvm);
	if (ret)
		return ret;
	if (kvm_realm_state(kvm) != REALM_STATE_NEW)
		return -EPERM;

	for (off = 0; off < size; off += PAGE_SIZE) {
		unsigned long dst = __get_free_page(GFP_KERNEL_ACCOUNT);

		if (!dst)
			return -ENOMEM;
		ret = realm_data_map_init(kvm, base + off, virt_to_phys((void *)dst),
					  virt_to_phys((const u8 *)src + off), data_flags);
		if (ret)
			return ret;
	}
	return 0;
}

/* RTT_INIT_RIPAS over [base, top), creating RTTs where the RMM needs a finer level. */
static int realm_init_ripas(struct kvm *kvm, unsigned long base, unsigned long top)
{
	struct realm *realm = &kvm->arch.realm;
	phys_addr_t rd = realm_rd_phys(realm);
	unsigned long next;
	int ret;

	while (base < top) {
		ret = rmi_rtt_init_ripas(rd, base, top, &next);
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
			int level = RMI_RETURN_INDEX(ret);

			if (level >= RMM_RTT_MAX_LEVEL)
				return -ENXIO;
			if (realm_create_rtt_levels(realm, base, level, level + 1))
				return -ENXIO;
			continue;
		}
		if (ret || WARN_ON(next <= base))
			return -ENXIO;
		base = next;
	}
	return 0;
}

/* Every memslot's IPA range becomes RIPAS RAM before activation (reference 7.6). */
static int set_ripas_of_protected_regions(struct kvm *kvm)
{
	unsigned int i;

	for (i = 0; i < kvm->nr_memslots; i++) {
		struct kvm_memory_slot *slot = &kvm->memslots[i];
		unsigned long base = slot->base_gfn << PAGE_SHIFT;
		int ret = realm_init_ripas(kvm, base, base + (slot->npages << PAGE_SHIFT));

		if (ret)
			return ret;
	}
	return 0;
}

/* RmiRecMpidr of a vCPU: Aff0[3:0], Aff1 (reference 4.2). */
static unsigned long realm_rec_mpidr(unsigned int vcpu_id)
{
	return (vcpu_id & 0xf) | ((unsigned long)((vcpu_id >> 4) & 0xff) << 8);
}

/* kvm_create_rec (reference 7.6): only vCPU 0 starts runnable; aux memory is donated (SRO). */
static int kvm_create_rec(struct kvm_vcpu *vcpu)
{
	struct realm *realm = &vcpu->kvm->arch.realm;
	struct realm_rec *rec = &vcpu->rec;
	phys_addr_t rec_page_phys;
	int r;

	rec->params = (void *)get_zeroed_page(GFP_KERNEL);
	rec->rec_page = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
	rec->run = (void *)get_zeroed_page(GFP_KERNEL);
	if (!rec->params || !rec->rec_page || !rec->run) {
		r = -ENOMEM;
		goto out_free_pages;
	}

	rec->params->gprs[0] = vcpu->x0;
	rec->params->pc = vcpu->pc;
	if (vcpu->vcpu_id == 0)
		rec->params->flags |= REC_PARAMS_FLAG_RUNNABLE;
	rec->mpidr = realm_rec_mpidr(vcpu->vcpu_id);
	rec->params->mpidr = rec->mpidr;

	rec_page_phys = virt_to_phys(rec->rec_page);
	if (rmi_delegate_page(rec_page_phys)) {
		r = -ENXIO;
		goto out_free_pages;
	}

	if (rmi_rec_create(realm_rd_phys(realm), rec_page_phys, virt_to_phys(rec->params))) {
		r = -ENXIO;
		goto out_undelegate_rmm_rec;
	}

	free_page((unsigned long)rec->params);
	rec->params = NULL;
	return 0;

out_undelegate_rmm_rec:
	if (WARN_ON(rmi_undelegate_page(rec_page_phys))) {
		kvm_leaked_pages++;
		rec->rec_page = NULL;
	}
out_free_pages:
	free_page((unsigned long)rec->rec_page);
	free_page((unsigned long)rec->run);
	free_page((unsigned long)rec->params);
	rec->rec_page = NULL;
	rec->run = NULL;
	rec->params = NULL;
	return r;
}

/* First vCPU run (reference 7.6): RECs, RIPAS of the memslots, REALM_ACTIVATE. */
int kvm_activate_realm(struct kvm *kvm)
{
	unsigned int i;
	int ret;

	if (kvm_realm_state(kvm) >= REALM_STATE_ACTIVE)
		return 0;
	ret = realm_ensure_created(kvm);
	if (ret)
		return ret;
	/* Mark dead in case we fail */
	kvm_set_realm_state(kvm, REALM_STATE_DEAD);

	for (i = 0; i < kvm->created_vcpus; i++) {
		ret = kvm_create_rec(kvm->vcpus[i]);
		if (ret)
			return ret;
	}
	ret = set_ripas_of_protected_regions(kvm);
	if (ret)
		return ret;
	if (rmi_realm_activate(realm_rd_phys(&kvm->arch.realm)))
		return -ENXIO;
	kvm_set_realm_state(kvm, REALM_STATE_ACTIVE);
	return 0;
}

/*
 * Stage-2 fault on a protected IPA (reference 7.7): back [ipa, ipa + map_size) with fresh
 * pages through RTT_DATA_MAP, creating RTTs as the RMM asks. Pages go one at a time here.
 */
int realm_map_protected(struct kvm *kvm, unsigned long ipa, unsigned long map_size)
{
	struct realm *realm = &kvm->arch.realm;
	phys_addr_t rd = realm_rd_phys(realm);
	unsigned long off, out_top;
	int ret;

	for (off = 0; off < map_size; off += PAGE_SIZE) {
		unsigned long page = __get_free_page(GFP_KERNEL_ACCOUNT);
		phys_addr_t phys = virt_to_phys((void *)page);

		if (rmi_delegate_page(phys)) {
			free_page(page);
			return -ENXIO;
		}
		ret = rmi_rtt_data_map(rd, ipa + off, ipa + off + PAGE_SIZE, rmi_addr_range_desc(phys, 1), &out_top);
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
			if (!realm_create_rtt_levels(realm, ipa + off, RMI_RETURN_INDEX(ret), RMM_RTT_MAX_LEVEL))
				ret = rmi_rtt_data_map(rd, ipa + off, ipa + off + PAGE_SIZE, rmi_addr_range_desc(phys, 1), &out_top);
		}
		if (ret) {
			rmi_free_delegated_page(phys);
			return -ENXIO;
		}
	}
	return 0;
}

/*
 * Unmap the private half of [start, start + size) (reference 7.7): RTT_DATA_UNMAP hands each
 * DATA granule back DELEGATED; undelegate and free it. Unmapped stretches are skipped.
 */
void kvm_realm_unmap_range(struct kvm *kvm, unsigned long start, unsigned long size)
{
	phys_addr_t rd = realm_rd_phys(&kvm->arch.realm);
	unsigned long addr = start, end = start + size, top, i, n;
	u64 desc;
	int ret;

	while (addr < end) {
		ret = rmi_rtt_data_unmap(rd, addr, end, &top, &desc);
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT && top > addr) {
			addr = top;	/* nothing mapped here */
			continue;
		}
		if (WARN_ON(ret || top <= addr))
			return;
		n = (desc >> 2) & 0x3ff;
		for (i = 0; desc && i < n; i++)
			rmi_free_delegated_page((desc & PAGE_MASK & ((1UL << 52) - 1)) + i * PAGE_SIZE);
		addr = top;
	}
}

/*
 * Destroy the RTTs of levels >= `level` in [start, end), deepest first (reference 7.8, 8.6):
 * a live table is emptied one level down, then destroyed; missing tables are skipped.
 */
static int realm_tear_down_rtt_level(struct realm *realm, int level, unsigned long start, unsigned long end)
{
	phys_addr_t rd = realm_rd_phys(realm);
	unsigned long map_size = rmi_rtt_level_mapsize(level - 1);
	unsigned long addr, next_addr;

	for (addr = start; addr < end; addr = next_addr) {
		unsigned long align_addr = ALIGN_DOWN(addr, map_size);
		phys_addr_t rtt;
		int ret;

		next_addr = ALIGN(addr + 1, map_size);
		ret = rmi_rtt_destroy(rd, align_addr, level, &rtt, &next_addr);
		switch (RMI_RETURN_STATUS(ret)) {
		case RMI_SUCCESS:
			rmi_free_delegated_page(rtt);
			break;
		case RMI_ERROR_RTT:
			if (next_addr > addr)
				break;	/* missing RTT: skip */
			if (RMI_RETURN_INDEX(ret) != level || level == RMM_RTT_MAX_LEVEL)
				return -EBUSY;	/* a block mapping, or live data below */
			/* Live table: tear down the level below it, then try again. */
			ret = realm_tear_down_rtt_level(realm, level + 1, align_addr, align_addr + map_size);
			if (ret)
				return ret;
			next_addr = addr;
			break;
		default:
			WARN_ON(1);
			return -ENXIO;
		}
	}
	return 0;
}

/* kvm_destroy_rec (reference 7.8): REC_DESTROY reclaims the aux pages; then the REC page. */
void kvm_destroy_rec(struct kvm_vcpu *vcpu)
{
	struct realm_rec *rec = &vcpu->rec;
	phys_addr_t rec_page_phys;

	if (!rec->rec_page)
		return;
	free_page((unsigned long)rec->run);
	rec->run = NULL;
	rec_page_phys = virt_to_phys(rec->rec_page);
	if (WARN_ON(rmi_rec_destroy(rec_page_phys))) {
		/* Leak the REC page: the RMM still owns it. */
		kvm_leaked_pages++;
		rec->rec_page = NULL;
		return;
	}
	rmi_free_delegated_page(rec_page_phys);
	rec->rec_page = NULL;
}

/* kvm_destroy_realm (reference 7.8); the vCPUs' RECs are gone already. */
void kvm_destroy_realm(struct kvm *kvm)
{
	struct realm *realm = &kvm->arch.realm;
	size_t pgd_size = kvm_pgtable_stage2_pgd_size(kvm->arch.mmu.vtcr);
	phys_addr_t rd_phys;

	if (realm->params) {
		free_page((unsigned long)realm->params);
		realm->params = NULL;
	}
	if (kvm_realm_state(kvm) == REALM_STATE_NONE || !realm->rd)
		return;

	kvm_set_realm_state(kvm, REALM_STATE_DYING);
	rd_phys = realm_rd_phys(realm);
	kvm_realm_unmap_range(kvm, 0, 1UL << (realm->ia_bits - 1));

	if (WARN_ON(rmi_realm_terminate(rd_phys)))
		return;
	if (WARN_ON(realm_tear_down_rtt_level(realm, get_start_level(realm) + 1, 0, 1UL << realm->ia_bits)))
		return;
	if (WARN_ON(rmi_realm_destroy(rd_phys))) {
		/* Everything stays with the realm world: leak it. */
		return;
	}
	rmi_free_delegated_page(rd_phys);
	realm->rd = NULL;

	if (WARN_ON(rmi_undelegate_range(kvm->arch.mmu.pgd_phys, pgd_size))) {
		/* Leak the PGD pages. */
		kvm->arch.mmu.pgt = NULL;
		return;
	}
	kvm_set_realm_state(kvm, REALM_STATE_DEAD);
}
