/*
 * kvm/rme.c: the realm lifecycle of the RMM 1.0 era (arch/arm64/kvm/rme.c; reference 7.10):
 * host-chosen VMIDs, per-granule delegation, RTT_INIT_RIPAS and DATA_CREATE (both measured),
 * RECs with host-supplied auxiliary granules (REC_AUX_COUNT), REALM_ACTIVATE, and teardown
 * with DATA_DESTROY, RTT_DESTROY and REALM_DESTROY. Names carry an rme_ prefix where the
 * 2.0 code (kvm/rmi.c) has a function of the same name.
 */

static u8 rme_vmid_used[256];

static int rme_vmid_reserve(void)
{
	int i;

	for (i = 1; i < ARRAY_SIZE(rme_vmid_used); i++) {
		if (!rme_vmid_used[i]) {
			rme_vmid_used[i] = 1;
			return i;
		}
	}
	return -1;
}

static void rme_vmid_release(unsigned int vmid)
{
	rme_vmid_used[vmid & 0xff] = 0;
}

/* realm_create_rd, 1.0: per-granule delegation; the error path undoes exactly [0, i). */
static int rme_create_rd(struct kvm *kvm)
{
	struct realm *realm = &kvm->arch.realm;
	struct realm_params *params = realm->params;
	size_t pgd_size = kvm_pgtable_stage2_pgd_size(kvm->arch.mmu.vtcr);
	phys_addr_t pgd_phys = kvm->arch.mmu.pgd_phys, rd_phys;
	unsigned long i, aux_count;
	int vmid, r = -ENXIO;
	void *rd;

	realm->ia_bits = VTCR_EL2_IPA(kvm->arch.mmu.vtcr);
	if (WARN_ON(realm->rd || !realm->params))
		return -EEXIST;
	vmid = rme_vmid_reserve();
	if (vmid < 0)
		return -ENOSPC;
	realm->vmid = vmid;

	rd = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
	if (!rd) {
		r = -ENOMEM;
		goto out_vmid;
	}
	rd_phys = virt_to_phys(rd);
	if (rmi_granule_delegate(rd_phys))
		goto free_rd;

	for (i = 0; i < pgd_size; i += PAGE_SIZE) {
		if (rmi_granule_delegate(pgd_phys + i))
			goto out_undelegate_tables;
	}

	params->s2sz = realm->ia_bits;
	params->rtt_level_start = get_start_level(realm);
	params->rtt_num_start = pgd_size / PAGE_SIZE;
	params->rtt_base = pgd_phys;
	params->vmid = realm->vmid;

	if (rmi_realm_create(rd_phys, virt_to_phys(params)))
		goto out_undelegate_tables;

	realm->rd = rd;
	kvm_set_realm_state(kvm, REALM_STATE_NEW);
	free_page((unsigned long)realm->params);
	realm->params = NULL;

	if (WARN_ON(rmi_rec_aux_count(rd_phys, &aux_count)))
		aux_count = 0;
	realm->num_aux = aux_count;
	return 0;

out_undelegate_tables:
	while (i > 0) {
		i -= PAGE_SIZE;
		if (WARN_ON(rmi_granule_undelegate(pgd_phys + i))) {
			/* Leak the pages if they cannot be returned */
			kvm->arch.mmu.pgt = NULL;
			break;
		}
	}
	if (WARN_ON(rmi_granule_undelegate(rd_phys))) {
		kvm_leaked_pages++;
		goto out_vmid;
	}
free_rd:
	free_page((unsigned long)rd);
out_vmid:
	rme_vmid_release(realm->vmid);
	return r;
}

/* KVM_CAP_ARM_RME_INIT_IPA_REALM for every memslot: RTT_INIT_RIPAS, measured in 1.0. */
static int rme_init_ipa_realm(struct kvm *kvm)
{
	struct realm *realm = &kvm->arch.realm;
	phys_addr_t rd = virt_to_phys(realm->rd);
	unsigned int s;

	for (s = 0; s < kvm->nr_memslots; s++) {
		unsigned long base = kvm->memslots[s].base_gfn << PAGE_SHIFT;
		unsigned long top = base + (kvm->memslots[s].npages << PAGE_SHIFT);
		unsigned long next;
		int ret;

		while (base < top) {
			ret = rmi_rtt_init_ripas(rd, base, top, &next);
			if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
				int level = RMI_RETURN_INDEX(ret);

				if (level >= RMM_RTT_MAX_LEVEL ||
				    realm_create_rtt_levels(realm, base, level, level + 1))
					return -ENXIO;
				continue;
			}
			if (ret || WARN_ON(next <= base))
				return -ENXIO;
			base = next;
		}
	}
	return 0;
}

/* CREATE_RD then INIT_IPA_REALM, the first time the VMM populates (kvmtool's order). */
static int rme_ensure_created(struct kvm *kvm)
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
	ret = rme_create_rd(kvm);
	if (ret)
		return ret;
	return rme_init_ipa_realm(kvm);
}

/* One page of KVM_CAP_ARM_RME_POPULATE_REALM: delegate, DATA_CREATE (RTTs on demand). */
static int rme_populate_page(struct kvm *kvm, unsigned long ipa, phys_addr_t dst, phys_addr_t src, unsigned long flags)
{
	struct realm *realm = &kvm->arch.realm;
	phys_addr_t rd = virt_to_phys(realm->rd);
	int ret;

	if (rmi_granule_delegate(dst))
		return -ENXIO;
	ret = rmi_data_create(rd, dst, ipa, src, flags);
	if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
		ret = realm_create_rtt_levels(realm, ipa, RMI_RETURN_INDEX(ret), RMM_RTT_MAX_LEVEL);
		if (!ret)
			ret = rmi_data_create(rd, dst, ipa, src, flags);
	}
	if (ret) {
		if (WARN_ON(rmi_granule_undelegate(dst))) {
			kvm_leaked_pages++;
			return -ENXIO;
		}
		free_page((unsigned long)phys_to_virt(dst));
		return -ENXIO;
	}
	return 0;
}

int rme_populate_realm(struct kvm *kvm, unsigned long base, unsigned long size, const void *src, u32 flags)
{
	unsigned long data_flags = flags & KVM_ARM_RMI_POPULATE_FLAGS_MEASURE ? RMI_MEASURE_CONTENT : RMI_NO_MEASURE_CONTENT;
	unsigned long off;
	int ret;

	if (!IS_ALIGNED(base, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -EINVAL;
	ret = rme_ensure_created(kvm);
	if (ret)
		return ret;
	if (kvm_realm_state(kvm) != REALM_STATE_NEW)
		return -EPERM;
	for (off = 0; off < size; off += PAGE_SIZE) {
		unsigned long dst = __get_free_page(GFP_KERNEL_ACCOUNT);

		if (!dst)
			return -ENOMEM;
		ret = rme_populate_page(kvm, base + off, virt_to_phys((void *)dst), virt_to_phys((const u8 *)src + off), data_flags);
		if (ret)
			return ret;
	}
	return 0;
}

/* kvm_create_rec, 1.0: the host delegates the REC page and num_aux auxiliary pages. */
static int rme_create_rec(struct kvm_vcpu *vcpu)
{
	struct realm *realm = &vcpu->kvm->arch.realm;
	struct realm_rec *rec = &vcpu->rec;
	struct rec_params *params;
	unsigned long i;
	int r = -ENXIO;

	params = (void *)get_zeroed_page(GFP_KERNEL);
	rec->rec_page = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
	if (rmi_granule_delegate(virt_to_phys(rec->rec_page)))
		goto out_free;
	for (i = 0; i < realm->num_aux; i++) {
		rec->aux_pages[i] = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
		if (rmi_granule_delegate(virt_to_phys(rec->aux_pages[i]))) {
			free_page((unsigned long)rec->aux_pages[i]);
			rec->aux_pages[i] = NULL;
			goto out_undelegate;
		}
		params->aux[i] = virt_to_phys(rec->aux_pages[i]);
	}
	params->num_aux = realm->num_aux;
	params->pc = vcpu->pc;
	params->gprs[0] = vcpu->x0;
	if (vcpu->vcpu_id == 0)
		params->flags = REC_PARAMS_FLAG_RUNNABLE;
	rec->mpidr = (vcpu->vcpu_id & 0xf) | ((unsigned long)((vcpu->vcpu_id >> 4) & 0xff) << 8);
	params->mpidr = rec->mpidr;
	if (rmi_rec_create(virt_to_phys(realm->rd), virt_to_phys(rec->rec_page), virt_to_phys(params)))
		goto out_undelegate;
	rec->run = (void *)get_zeroed_page(GFP_KERNEL);
	free_page((unsigned long)params);
	return 0;

out_undelegate:
	for (i = 0; i < realm->num_aux; i++) {
		if (rec->aux_pages[i])
			rmi_free_delegated_page(virt_to_phys(rec->aux_pages[i]));
		rec->aux_pages[i] = NULL;
	}
	rmi_free_delegated_page(virt_to_phys(rec->rec_page));
	rec->rec_page = NULL;
out_free:
	free_page((unsigned long)rec->rec_page);
	rec->rec_page = NULL;
	free_page((unsigned long)params);
	return r;
}

int rme_activate_realm(struct kvm *kvm)
{
	unsigned int i;
	int ret;

	if (kvm_realm_state(kvm) >= REALM_STATE_ACTIVE)
		return 0;
	ret = rme_ensure_created(kvm);
	if (ret)
		return ret;
	kvm_set_realm_state(kvm, REALM_STATE_DEAD);
	for (i = 0; i < kvm->created_vcpus; i++) {
		ret = rme_create_rec(kvm->vcpus[i]);
		if (ret)
			return ret;
	}
	if (rmi_realm_activate(virt_to_phys(kvm->arch.realm.rd)))
		return -ENXIO;
	kvm_set_realm_state(kvm, REALM_STATE_ACTIVE);
	return 0;
}

/* Fault-time mapping, 1.0: DATA_CREATE_UNKNOWN, one page at a time. */
int rme_map_protected(struct kvm *kvm, unsigned long ipa, unsigned long map_size)
{
	struct realm *realm = &kvm->arch.realm;
	phys_addr_t rd = virt_to_phys(realm->rd);
	unsigned long off;
	int ret;

	for (off = 0; off < map_size; off += PAGE_SIZE) {
		unsigned long page = __get_free_page(GFP_KERNEL_ACCOUNT);
		phys_addr_t phys = virt_to_phys((void *)page);

		if (rmi_granule_delegate(phys)) {
			free_page(page);
			return -ENXIO;
		}
		ret = rmi_data_create_unknown(rd, phys, ipa + off);
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
			if (!realm_create_rtt_levels(realm, ipa + off, RMI_RETURN_INDEX(ret), RMM_RTT_MAX_LEVEL))
				ret = rmi_data_create_unknown(rd, phys, ipa + off);
		}
		if (ret) {
			rmi_free_delegated_page(phys);
			return -ENXIO;
		}
	}
	return 0;
}

/* DATA_DESTROY each mapped page of [start, start + size); X2 says where to go on. */
void rme_unmap_range(struct kvm *kvm, unsigned long start, unsigned long size)
{
	phys_addr_t rd = virt_to_phys(kvm->arch.realm.rd);
	unsigned long addr = start, end = start + size, top;
	phys_addr_t data;
	int ret;

	while (addr < end) {
		ret = rmi_data_destroy(rd, addr, &data, &top);
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT && top > addr) {
			addr = top;
			continue;
		}
		if (WARN_ON(ret || top <= addr))
			return;
		rmi_free_delegated_page(data);
		addr = top;
	}
}

void rme_destroy_rec(struct kvm_vcpu *vcpu)
{
	struct realm *realm = &vcpu->kvm->arch.realm;
	struct realm_rec *rec = &vcpu->rec;
	unsigned long i;

	if (!rec->rec_page)
		return;
	free_page((unsigned long)rec->run);
	rec->run = NULL;
	if (WARN_ON(rmi_rec_destroy(virt_to_phys(rec->rec_page)))) {
		kvm_leaked_pages += 1 + realm->num_aux;
		rec->rec_page = NULL;
		return;
	}
	for (i = 0; i < realm->num_aux; i++) {
		rmi_free_delegated_page(virt_to_phys(rec->aux_pages[i]));
		rec->aux_pages[i] = NULL;
	}
	rmi_free_delegated_page(virt_to_phys(rec->rec_page));
	rec->rec_page = NULL;
}

void rme_destroy_realm(struct kvm *kvm)
{
	struct realm *realm = &kvm->arch.realm;
	size_t pgd_size = kvm_pgtable_stage2_pgd_size(kvm->arch.mmu.vtcr);
	phys_addr_t rd_phys;
	unsigned long i;

	if (realm->params) {
		free_page((unsigned long)realm->params);
		realm->params = NULL;
	}
	if (kvm_realm_state(kvm) == REALM_STATE_NONE || !realm->rd)
		return;
	kvm_set_realm_state(kvm, REALM_STATE_DYING);
	rd_phys = virt_to_phys(realm->rd);
	rme_unmap_range(kvm, 0, 1UL << (realm->ia_bits - 1));
	if (WARN_ON(realm_tear_down_rtt_level(realm, get_start_level(realm) + 1, 0, 1UL << realm->ia_bits)))
		return;
	if (WARN_ON(rmi_realm_destroy(rd_phys)))
		return;
	rmi_free_delegated_page(rd_phys);
	realm->rd = NULL;
	rme_vmid_release(realm->vmid);
	for (i = 0; i < pgd_size; i += PAGE_SIZE) {
		if (WARN_ON(rmi_granule_undelegate(kvm->arch.mmu.pgd_phys + i))) {
			kvm->arch.mmu.pgt = NULL;
			return;
		}
	}
	kvm_set_realm_state(kvm, REALM_STATE_DEAD);
}
