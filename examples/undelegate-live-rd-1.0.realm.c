/*
 * undelegate-live-rd-1.0.realm.c: a failing expectation.
 *
 * The host creates a realm, then tries to take the realm descriptor back while the realm still
 * exists. The RMM refuses (RMI_GRANULE_UNDELEGATE fails its gran_state check: the granule is an
 * RD, not DELEGATED), so the two expectations below fail and the run says why.
 */

struct realm_lab_machine machine = {
	.profile = "1.0",
	.dram_base = 0x80000000,
	.dram_size = SZ_1G,
};

/* RmiRealmParams, RMM 1.0 (DEN0137 B4.4.12). */
struct rmi_realm_params {
	u64 flags;
	u64 s2sz;
	u64 sve_vl;
	u64 num_bps;
	u64 num_wps;
	u64 pmu_num_ctrs;
	u64 hash_algo;
	u8 reserved0[0x400 - 0x38];
	u8 rpv[64];
	u8 reserved1[0x800 - 0x440];
	u64 vmid;
	u64 rtt_base;
	s64 rtt_level_start;
	u64 rtt_num_start;
	u8 reserved2[0x1000 - 0x820];
};

void scenario(void)
{
	struct rmi_realm_params *params = (void *)get_zeroed_page(GFP_KERNEL);
	phys_addr_t rd = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	phys_addr_t rtt = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	unsigned long ret;

	rmi_call(RMI_GRANULE_DELEGATE, rd);
	rmi_call(RMI_GRANULE_DELEGATE, rtt);
	params->s2sz = 39;
	params->num_bps = 1;
	params->num_wps = 1;
	params->vmid = 1;
	params->rtt_base = rtt;
	params->rtt_level_start = 1;
	params->rtt_num_start = 1;
	ret = rmi_call(RMI_REALM_CREATE, rd, virt_to_phys(params));
	expect(ret == RMI_SUCCESS);

	/* Wrong: the realm still uses rd. */
	ret = rmi_call(RMI_GRANULE_UNDELEGATE, rd);
	expect(ret == RMI_SUCCESS);
	expect_granule(rd, RMI_GRANULE_UNDELEGATED);
}
