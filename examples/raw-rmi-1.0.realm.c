/*
 * raw-rmi-1.0.realm.c: create and destroy a realm with raw RMI calls (RMM 1.0).
 *
 * The host delegates two granules (the realm descriptor and the starting-level RTT), writes
 * RmiRealmParams into one of its own pages at the spec's offsets, creates the realm, checks
 * every granule's state, then destroys the realm and takes both granules back.
 */

struct realm_lab_machine machine = {
	.profile = "1.0",
	.host = "v14",
	.dram_base = 0x80000000,
	.dram_size = SZ_1G,
};

/* RmiRealmParams, RMM 1.0 (DEN0137 B4.4.12): one 4 KB page, fields at fixed offsets. */
struct rmi_realm_params {
	u64 flags;		/* 0x000 */
	u64 s2sz;		/* 0x008: IPA width in bits */
	u64 sve_vl;		/* 0x010 */
	u64 num_bps;		/* 0x018 */
	u64 num_wps;		/* 0x020 */
	u64 pmu_num_ctrs;	/* 0x028 */
	u64 hash_algo;		/* 0x030: 0 = SHA-256 */
	u8 reserved0[0x400 - 0x38];
	u8 rpv[64];		/* 0x400 */
	u8 reserved1[0x800 - 0x440];
	u64 vmid;		/* 0x800 */
	u64 rtt_base;		/* 0x808: PA of the starting-level RTT */
	s64 rtt_level_start;	/* 0x810 */
	u64 rtt_num_start;	/* 0x818 */
	u8 reserved2[0x1000 - 0x820];
};

/* A page from the host's allocator, as a physical address. */
static phys_addr_t alloc_granule(void)
{
	return virt_to_phys((void *)__get_free_page(GFP_KERNEL));
}

void scenario(void)
{
	struct rmi_realm_params *params = (void *)get_zeroed_page(GFP_KERNEL);
	phys_addr_t rd = alloc_granule();
	phys_addr_t rtt = alloc_granule();
	unsigned long ret;

	ret = rmi_call(RMI_GRANULE_DELEGATE, rd);
	expect(ret == RMI_SUCCESS);
	ret = rmi_call(RMI_GRANULE_DELEGATE, rtt);
	expect(ret == RMI_SUCCESS);
	expect_granule(rd, RMI_GRANULE_DELEGATED);

	params->s2sz = 39;		/* 39-bit IPA space: starts at level 1 */
	params->num_bps = 1;
	params->num_wps = 1;
	params->vmid = 1;
	params->rtt_base = rtt;
	params->rtt_level_start = 1;
	params->rtt_num_start = 1;

	ret = rmi_call(RMI_REALM_CREATE, rd, virt_to_phys(params));
	expect(ret == RMI_SUCCESS);
	expect_granule(rd, RMI_GRANULE_RD);
	expect_granule(rtt, RMI_GRANULE_RTT);

	/* Teardown: destroying the realm returns both granules DELEGATED. */
	ret = rmi_call(RMI_REALM_DESTROY, rd);
	expect(ret == RMI_SUCCESS);
	expect_granule(rtt, RMI_GRANULE_DELEGATED);

	ret = rmi_call(RMI_GRANULE_UNDELEGATE, rtt);
	expect(ret == RMI_SUCCESS);
	ret = rmi_call(RMI_GRANULE_UNDELEGATE, rd);
	expect(ret == RMI_SUCCESS);
	expect_granule(rd, RMI_GRANULE_UNDELEGATED);
	expect_no_leaks();

	free_page((unsigned long)phys_to_virt(rtt));
	free_page((unsigned long)phys_to_virt(rd));
	free_page((unsigned long)params);
}
