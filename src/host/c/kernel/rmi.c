/*
 * kernel/rmi.c: RMM bring-up and the helpers every realm path uses, as
 * arch/arm64/kernel/rmi.c has them in the v14 series (reference 7.1, 5.5, 2.3): the range
 * delegation loops and the engine that runs a stateful RMI operation (SRO) to its end.
 *
 * Host variant: Realm Lab sets the macro below to 1 when the scenario's machine.host is
 * "fixed" (it rewrites this one line, so line numbers stay put). v14 is the code as reviewed
 * in the seed; fixed is the agreed fix (reference 7.4): rmi_delegate_range() reports how far
 * it got through a third argument.
 */
#define REALM_LAB_HOST_FIXED 0

/* Which RMM ABI the RMM speaks: 0 until kvm_init_rmi() has asked. */
static unsigned long rmi_abi_version;

enum { RMI_RETRY_MAX = 64 };

bool rmi_is_1_0(void)
{
	return rmi_abi_version == RMI_ABI_VERSION_1_0;
}

/*
 * Boot-time bring-up (reference 7.1): RMI_VERSION; for 2.0, RMI_RMM_CONFIG_SET with 4 KB
 * granules and RMI_RMM_ACTIVATE. Done once per machine, on the first VM.
 */
int kvm_init_rmi(void)
{
	struct rmi_rmm_config *cfg;
	unsigned long ret;

	if (rmi_abi_version)
		return 0;

	ret = rmi_call(RMI_VERSION, RMI_ABI_VERSION_2_0);
	if (RMI_RETURN_STATUS(ret) != RMI_SUCCESS) {
		/* No 2.0: a 1.0 RMM answers with the revision it implements. */
		if (rmi_last.x1 != RMI_ABI_VERSION_1_0) {
			pr_err("kvm: RMM ABI version %lx is not supported\n", rmi_last.x1);
			return -ENXIO;
		}
		rmi_abi_version = RMI_ABI_VERSION_1_0;
		return 0;
	}

	cfg = (void *)get_zeroed_page(GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	cfg->rmi_granule_size = 0;	/* 4 KB, the host's PAGE_SIZE */
	cfg->tracking_region_size = 0;	/* 1 GB */
	ret = rmi_call(RMI_RMM_CONFIG_SET, virt_to_phys(cfg));
	free_page((unsigned long)cfg);
	if (ret) {
		pr_err("kvm: RMI_RMM_CONFIG_SET failed: %lx\n", ret);
		return -ENXIO;
	}
	ret = rmi_call(RMI_RMM_ACTIVATE);
	if (ret) {
		pr_err("kvm: RMI_RMM_ACTIVATE failed: %lx\n", ret);
		return -ENXIO;
	}
	rmi_abi_version = RMI_ABI_VERSION_2_0;
	return 0;
}

static bool rmi_retry(unsigned long ret)
{
	return RMI_RETURN_STATUS(ret) == RMI_BUSY || RMI_RETURN_STATUS(ret) == RMI_BLOCKED;
}

/*
 * RMI_GRANULE_RANGE_DELEGATE over [phys, phys + size): call again from out_top until the
 * whole range is done; BUSY / BLOCKED are retried; any other error ends the loop. *out_phys,
 * when given, always receives the first address not delegated (also on error).
 */
int __rmi_delegate_range(phys_addr_t phys, unsigned long size, phys_addr_t *out_phys)
{
	phys_addr_t top = phys + size;
	unsigned long ret = RMI_SUCCESS;
	int retries = 0;

	while (phys < top) {
		ret = rmi_call(RMI_GRANULE_RANGE_DELEGATE, phys, top);
		if (RMI_RETURN_STATUS(ret) == RMI_SUCCESS) {
			phys = rmi_last.x1;
			retries = 0;
		} else if (rmi_retry(ret) && ++retries < RMI_RETRY_MAX) {
			continue;
		} else {
			/*
			 * An RMM that works granule by granule may fail part-way through this
			 * call and say how far it got in X1 (reference 5.5, 8.25): those granules
			 * are delegated, so count them, or they would leak.
			 */
			if (rmi_last.x1 > phys && rmi_last.x1 <= top)
				phys = rmi_last.x1;
			break;
		}
	}
	if (out_phys)
		*out_phys = phys;
	return RMI_RETURN_STATUS(ret);
}

#if REALM_LAB_HOST_FIXED
/* The fix (reference 7.4): the caller learns the top of the delegated part. */
int rmi_delegate_range(phys_addr_t phys, unsigned long size, phys_addr_t *out_phys)
{
	return __rmi_delegate_range(phys, size, out_phys);
}
#else
/* v14 as reviewed: on failure the caller cannot know how much was delegated. */
int rmi_delegate_range(phys_addr_t phys, unsigned long size)
{
	return __rmi_delegate_range(phys, size, NULL);
}
#endif

int rmi_undelegate_range(phys_addr_t phys, unsigned long size)
{
	phys_addr_t top = phys + size;
	unsigned long ret = RMI_SUCCESS;
	int retries = 0;

	WARN_ON(!size);
	while (phys < top) {
		ret = rmi_call(RMI_GRANULE_RANGE_UNDELEGATE, phys, top);
		if (RMI_RETURN_STATUS(ret) == RMI_SUCCESS) {
			phys = rmi_last.x1;
			retries = 0;
		} else if (rmi_retry(ret) && ++retries < RMI_RETRY_MAX) {
			continue;
		} else {
			break;
		}
	}
	return RMI_RETURN_STATUS(ret);
}

/* One page; 1.0 has the single-granule commands. */
int rmi_delegate_page(phys_addr_t phys)
{
	if (rmi_is_1_0())
		return rmi_granule_delegate(phys);
	return __rmi_delegate_range(phys, PAGE_SIZE, NULL);
}

int rmi_undelegate_page(phys_addr_t phys)
{
	if (rmi_is_1_0())
		return rmi_granule_undelegate(phys);
	return rmi_undelegate_range(phys, PAGE_SIZE);
}

/*
 * A page the RMM gave back DELEGATED: undelegate it and return it to the page allocator; if
 * the undelegate fails the page must not be reused by the host, so it is leaked.
 */
void rmi_free_delegated_page(phys_addr_t phys)
{
	if (WARN_ON(rmi_undelegate_page(phys))) {
		kvm_leaked_pages++;
		return;
	}
	free_page((unsigned long)phys_to_virt(phys));
}

/*
 * Donates `count` freshly delegated pages to operation `handle`; returns X0 of OP_MEM_DONATE
 * and the RMM's next donate request in *request.
 */
static unsigned long rmi_sro_donate(unsigned long handle, u64 *list, unsigned long count, unsigned long *request)
{
	unsigned long consumed, ret, i;
	phys_addr_t phys;

	if (count > RMI_ADDR_LIST_MAX)
		count = RMI_ADDR_LIST_MAX;
	for (i = 0; i < count; i++) {
		void *page = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);

		phys = virt_to_phys(page);
		if (rmi_delegate_page(phys)) {
			free_page((unsigned long)page);
			break;
		}
		list[i] = rmi_addr_range_desc(phys, 1);
	}
	count = i;
	ret = rmi_call(RMI_OP_MEM_DONATE, handle, virt_to_phys(list), count);
	consumed = rmi_last.x1;
	*request = rmi_last.x2;
	if (RMI_RETURN_STATUS(ret) != RMI_INCOMPLETE && RMI_RETURN_STATUS(ret) != RMI_SUCCESS)
		consumed = 0;
	/* What the RMM did not take goes back to the allocator. */
	for (i = consumed; i < count; i++)
		rmi_free_delegated_page(list[i] & PAGE_MASK & ((1UL << 52) - 1));
	return ret;
}

/* Collects memory an operation hands back, undelegates and frees it; returns X0 of OP_MEM_RECLAIM. */
static unsigned long rmi_sro_reclaim(unsigned long handle, u64 *list)
{
	unsigned long ret, n, i, j, count;
	u64 desc;
	phys_addr_t phys;

	ret = rmi_call(RMI_OP_MEM_RECLAIM, handle, virt_to_phys(list), RMI_ADDR_LIST_MAX);
	n = rmi_last.x1;
	if (RMI_RETURN_STATUS(ret) != RMI_INCOMPLETE && RMI_RETURN_STATUS(ret) != RMI_SUCCESS)
		return ret;
	for (i = 0; i < n && i < RMI_ADDR_LIST_MAX; i++) {
		desc = list[i];
		phys = desc & PAGE_MASK & ((1UL << 52) - 1);
		count = (desc >> 2) & 0x3ff;
		for (j = 0; j < count; j++)
			rmi_free_delegated_page(phys + j * PAGE_SIZE);
	}
	return ret;
}

/*
 * Runs a stateful operation to its end (reference 2.3, 5.11, 5.12): `ret` is X0 of the call
 * that started it. While the RMM answers RMI_INCOMPLETE, give it what it asks for: memory
 * (OP_MEM_DONATE), memory back (OP_MEM_RECLAIM) or just a push (OP_CONTINUE). Returns the
 * final X0. Any other answer is final too (1.0 commands pass straight through).
 */
unsigned long rmi_sro_execute(unsigned long ret)
{
	unsigned long handle = rmi_last.x1;
	unsigned long request = rmi_last.x2;
	unsigned long rounds = 0;
	u64 *list = NULL;

	while (RMI_RETURN_STATUS(ret) == RMI_INCOMPLETE) {
		if (WARN_ON(++rounds > 1024))
			break;
		if (!list)
			list = (u64 *)get_zeroed_page(GFP_KERNEL);
		switch ((ret >> 8) & 3) {
		case RMI_OP_MEM_REQ_DONATE:
			ret = rmi_sro_donate(handle, list, (request >> 2) & 0x3fff, &request);
			break;
		case RMI_OP_MEM_REQ_RECLAIM:
			ret = rmi_sro_reclaim(handle, list);
			break;
		default:
			ret = rmi_call(RMI_OP_CONTINUE, handle, 0);
			request = rmi_last.x2;
			break;
		}
	}
	if (list)
		free_page((unsigned long)list);
	return ret;
}
