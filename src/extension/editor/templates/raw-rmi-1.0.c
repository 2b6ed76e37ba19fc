/*
 * A new scenario: raw RMI calls (RMM 1.0).
 *
 * Delegate two granules, create a realm on them with RMI_REALM_CREATE, destroy it and take the
 * granules back. Every call is made with rmi_call(), so each one is visible in the Granule Map
 * and at the end of its line.
 */

struct realm_lab_machine machine = {
	.profile = "1.0",
	.host = "v14",
};

/* RmiRealmParams, RMM 1.0: one 4 KB page, fields at the spec's offsets. */
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

void scenario(void)
{
	struct rmi_realm_params *params = (void *)get_zeroed_page(GFP_KERNEL);
	phys_addr_t rd = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	phys_addr_t rtt = virt_to_phys((void *)__get_free_page(GFP_KERNEL));

	expect(rmi_call(RMI_GRANULE_DELEGATE, rd) == RMI_SUCCESS);
	expect(rmi_call(RMI_GRANULE_DELEGATE, rtt) == RMI_SUCCESS);
	expect_granule(rd, RMI_GRANULE_DELEGATED);

	params->s2sz = 39;		/* a 39-bit IPA space starts at level 1 */
	params->num_bps = 1;
	params->num_wps = 1;
	params->vmid = 1;
	params->rtt_base = rtt;
	params->rtt_level_start = 1;
	params->rtt_num_start = 1;
	expect(rmi_call(RMI_REALM_CREATE, rd, virt_to_phys(params)) == RMI_SUCCESS);
	expect_granule(rd, RMI_GRANULE_RD);
	expect_granule(rtt, RMI_GRANULE_RTT);

	/* Teardown: the realm first, then its granules. */
	expect(rmi_call(RMI_REALM_DESTROY, rd) == RMI_SUCCESS);
	expect(rmi_call(RMI_GRANULE_UNDELEGATE, rtt) == RMI_SUCCESS);
	expect(rmi_call(RMI_GRANULE_UNDELEGATE, rd) == RMI_SUCCESS);
	expect_no_leaks();

	free_page((unsigned long)phys_to_virt(rtt));
	free_page((unsigned long)phys_to_virt(rd));
	free_page((unsigned long)params);
}
