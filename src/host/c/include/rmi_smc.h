/*
 * rmi_smc.h: the RMI structures the host writes into its own pages for the RMM to read
 * (rmi-reference.md section 6), as arch/arm64/include/asm/rmi_smc.h has them.
 *
 * Realm Lab compiles each host file as its own unit, and the units share one file scope (types,
 * enums, functions) but not macros. Constants another file (or a pasted patch) needs are
 * therefore enum constants here, not #defines; they behave the same in expressions.
 */

/* RmiRealmParams.flags (2.0-bet1 as Linux v14 names them; 1.0 uses the same bits). */
enum {
	RMI_REALM_PARAM_FLAG_LPA2 = 1 << 0,
	RMI_REALM_PARAM_FLAG_SVE = 1 << 1,
	RMI_REALM_PARAM_FLAG_PMU = 1 << 2,
};

/* RmiHashAlgorithm */
enum {
	RMI_HASH_SHA_256 = 0,
	RMI_HASH_SHA_512 = 1,
};

/* RmiRecCreateFlags */
enum {
	REC_PARAMS_FLAG_RUNNABLE = 1 << 0,
};

/* RmiDataFlags (DATA_CREATE / RTT_DATA_MAP_INIT) */
enum {
	RMI_NO_MEASURE_CONTENT = 0,
	RMI_MEASURE_CONTENT = 1,
};

/* RMI_ADDR_TYPE: flags [1:0] of the 2.0 map / unmap commands */
enum {
	RMI_ADDR_TYPE_NONE = 0,
	RMI_ADDR_TYPE_SINGLE = 1,
	RMI_ADDR_TYPE_LIST = 2,
};

/* RMI_INCOMPLETE (2.0 stateful operations): X0 [9:8] says what the RMM wants next. */
enum {
	RMI_OP_MEM_REQ_NONE = 0,
	RMI_OP_MEM_REQ_DONATE = 1,
	RMI_OP_MEM_REQ_RECLAIM = 2,
};

/* RmiInterfaceVersion */
enum {
	RMI_ABI_VERSION_1_0 = 0x10000,
	RMI_ABI_VERSION_2_0 = 0x20000,
};

enum {
	RMM_RTT_MAX_LEVEL = 3,
	RMI_REC_AUX_MAX = 16,
	/* An RMI address list lives in one page: 512 RmiAddrRangeDesc entries. */
	RMI_ADDR_LIST_MAX = 512,
};

/* RmiRealmParams: one 4 KB page (section 6.1 / 6.2). */
struct realm_params {
	union {
		struct {
			u64 flags;		/* 0x000 */
			u64 s2sz;		/* 0x008 */
			u64 sve_vl;		/* 0x010 */
			u64 num_bps;		/* 0x018 */
			u64 num_wps;		/* 0x020 */
			u64 pmu_num_ctrs;	/* 0x028 */
			u64 hash_algo;		/* 0x030 */
		};
		u8 padding0[0x400];
	};
	union {
		u8 rpv[64];			/* 0x400 */
		u8 padding1[0x400];
	};
	union {
		struct {
			u64 vmid;		/* 0x800: 1.0 only (2.0: the RMM picks VMIDs) */
			u64 rtt_base;		/* 0x808 */
			s64 rtt_level_start;	/* 0x810 */
			u64 rtt_num_start;	/* 0x818 */
		};
		u8 padding2[0x800];
	};
};

/* RmiRecParams: one 4 KB page (section 6.3); num_aux / aux[] are 1.0 only. */
struct rec_params {
	union {
		u64 flags;			/* 0x000 */
		u8 padding0[0x100];
	};
	union {
		u64 mpidr;			/* 0x100 */
		u8 padding1[0x100];
	};
	union {
		u64 pc;				/* 0x200 */
		u8 padding2[0x100];
	};
	union {
		u64 gprs[8];			/* 0x300 */
		u8 padding3[0x500];
	};
	union {
		struct {
			u64 num_aux;		/* 0x800 */
			u64 aux[16];		/* 0x808 */
		};
		u8 padding4[0x800];
	};
};

/* RmiRmmConfig (2.0, RMI_RMM_CONFIG_SET): zero = 4 KB granules, 1 GB tracking regions. */
struct rmi_rmm_config {
	u64 tracking_region_size;
	u64 rmi_granule_size;
};
