/*
 * rmi_cmds.c: one C wrapper per RMI command over the rmi_call() SMC intrinsic, as
 * arch/arm64/include/asm/rmi_cmds.h has them. Each returns X0 (status in [7:0], index in
 * [15:8]); outputs come back through pointer arguments. RMI_BUSY / RMI_BLOCKED are retried
 * by the range helpers
 * in kernel/rmi.c (reference 2.5).
 */

/* ---- granules (1.0) ---- */
int rmi_granule_delegate(phys_addr_t phys)
{
	return rmi_call(RMI_GRANULE_DELEGATE, phys);
}

int rmi_granule_undelegate(phys_addr_t phys)
{
	return rmi_call(RMI_GRANULE_UNDELEGATE, phys);
}

/* ---- realms ---- */
int rmi_realm_create(phys_addr_t rd, phys_addr_t params)
{
	return rmi_call(RMI_REALM_CREATE, rd, params);
}

int rmi_realm_activate(phys_addr_t rd)
{
	return rmi_call(RMI_REALM_ACTIVATE, rd);
}

int rmi_realm_terminate(phys_addr_t rd)
{
	return rmi_call(RMI_REALM_TERMINATE, rd);
}

int rmi_realm_destroy(phys_addr_t rd)
{
	return rmi_call(RMI_REALM_DESTROY, rd);
}

int rmi_rec_aux_count(phys_addr_t rd, unsigned long *aux_count)
{
	unsigned long ret = rmi_call(RMI_REC_AUX_COUNT, rd);

	if (aux_count)
		*aux_count = rmi_last.x1;
	return ret;
}

/* ---- RECs: 2.0 runs them as stateful operations (donate on create, reclaim on destroy) ---- */
int rmi_rec_create(phys_addr_t rd, phys_addr_t rec, phys_addr_t params)
{
	unsigned long ret = rmi_call(RMI_REC_CREATE, rd, rec, params);

	return rmi_sro_execute(ret);
}

int rmi_rec_destroy(phys_addr_t rec)
{
	unsigned long ret = rmi_call(RMI_REC_DESTROY, rec);

	return rmi_sro_execute(ret);
}

/* ---- RTTs ---- */
int rmi_rtt_create(phys_addr_t rd, phys_addr_t rtt, unsigned long ipa, long level)
{
	return rmi_call(RMI_RTT_CREATE, rd, rtt, ipa, level);
}

/* X1 = the freed RTT (success), X2 = top (success and RMI_ERROR_RTT). */
int rmi_rtt_destroy(phys_addr_t rd, unsigned long ipa, long level, phys_addr_t *out_rtt, unsigned long *out_top)
{
	unsigned long ret = rmi_call(RMI_RTT_DESTROY, rd, ipa, level);

	if (out_rtt)
		*out_rtt = rmi_last.x1;
	if (out_top)
		*out_top = rmi_last.x2;
	return ret;
}

int rmi_rtt_fold(phys_addr_t rd, unsigned long ipa, long level, phys_addr_t *out_rtt)
{
	unsigned long ret = rmi_call(RMI_RTT_FOLD, rd, ipa, level);

	if (out_rtt)
		*out_rtt = rmi_last.x1;
	return ret;
}

int rmi_rtt_init_ripas(phys_addr_t rd, unsigned long base, unsigned long top, unsigned long *out_top)
{
	unsigned long ret = rmi_call(RMI_RTT_INIT_RIPAS, rd, base, top);

	if (out_top)
		*out_top = rmi_last.x1;
	return ret;
}

/* ---- data: 1.0 names ---- */
int rmi_data_create(phys_addr_t rd, phys_addr_t data, unsigned long ipa, phys_addr_t src, unsigned long flags)
{
	return rmi_call(RMI_DATA_CREATE, rd, data, ipa, src, flags);
}

int rmi_data_create_unknown(phys_addr_t rd, phys_addr_t data, unsigned long ipa)
{
	return rmi_call(RMI_DATA_CREATE_UNKNOWN, rd, data, ipa);
}

/* X1 = the data granule (success), X2 = top (success and RMI_ERROR_RTT). */
int rmi_data_destroy(phys_addr_t rd, unsigned long ipa, phys_addr_t *out_data, unsigned long *out_top)
{
	unsigned long ret = rmi_call(RMI_DATA_DESTROY, rd, ipa);

	if (out_data)
		*out_data = rmi_last.x1;
	if (out_top)
		*out_top = rmi_last.x2;
	return ret;
}

/* ---- data: 2.0 names ---- */
int rmi_rtt_data_map_init(phys_addr_t rd, phys_addr_t data, unsigned long ipa, phys_addr_t src, unsigned long flags)
{
	return rmi_call(RMI_RTT_DATA_MAP_INIT, rd, data, ipa, src, flags);
}

/* An RmiAddrRangeDesc for `count` 4 KB pages at phys, state DELEGATED. */
u64 rmi_addr_range_desc(phys_addr_t phys, unsigned long count)
{
	return phys | (count << 2);
}

int rmi_rtt_data_map(phys_addr_t rd, unsigned long base, unsigned long top, u64 desc, unsigned long *out_top)
{
	unsigned long ret = rmi_call(RMI_RTT_DATA_MAP, rd, base, top, RMI_ADDR_TYPE_SINGLE, desc);

	if (out_top)
		*out_top = rmi_last.x1;
	return ret;
}

/* X1 = out_top, X2 = an RmiAddrRangeDesc of the memory now back with the host (DELEGATED). */
int rmi_rtt_data_unmap(phys_addr_t rd, unsigned long base, unsigned long top, unsigned long *out_top, u64 *out_desc)
{
	unsigned long ret = rmi_call(RMI_RTT_DATA_UNMAP, rd, base, top, RMI_ADDR_TYPE_SINGLE, 0);

	if (out_top)
		*out_top = rmi_last.x1;
	if (out_desc)
		*out_desc = rmi_last.x2;
	return ret;
}
