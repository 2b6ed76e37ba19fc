// Short reference entries for the RMI commands, in our own words, for hovers, completion and
// "Show RMI Reference". Registers and outputs follow DEN0137 (1.0-rel0) and, for the 2.0
// profile, the 2.0-bet1 ABI of the Linux v14 series. The failure conditions are not written
// here: they come from the emulator's own command model, so the reference and the behaviour
// cannot drift apart.

export interface RmiCommandDoc {
  summary: string;
  /** Input registers, X1 upwards. */
  inputs: string[];
  /** Output registers besides X0 (the status). */
  outputs: string[];
  /** Profiles that have the command. */
  profiles: ('1.0' | '2.0')[];
  /** Granule state changes on success, in words. */
  effect?: string;
}

const both: ('1.0' | '2.0')[] = ['1.0', '2.0'];

export const RMI_COMMAND_DOCS: Record<string, RmiCommandDoc> = {
  RMI_VERSION: { summary: 'Negotiates the RMI ABI version with the RMM.', inputs: ['X1 requested version (major << 16 | minor)'], outputs: ['X1 lowest implemented revision', 'X2 highest implemented revision'], profiles: both },
  RMI_FEATURES: { summary: 'Reads an RMI feature register (supported IPA width, hash algorithms, PMU, ...).', inputs: ['X1 feature register index'], outputs: ['X1 register value'], profiles: both },
  RMI_GRANULE_DELEGATE: { summary: 'Moves one 4 KB granule from the Non-secure to the Realm physical address space.', inputs: ['X1 PA of the granule'], outputs: [], profiles: ['1.0'], effect: 'UNDELEGATED -> DELEGATED' },
  RMI_GRANULE_UNDELEGATE: { summary: 'Returns one delegated granule to the Non-secure physical address space (the RMM scrubs it).', inputs: ['X1 PA of the granule'], outputs: [], profiles: ['1.0'], effect: 'DELEGATED -> UNDELEGATED' },
  RMI_GRANULE_RANGE_DELEGATE: { summary: 'Delegates the granules of [base, top); may stop part-way, so the host loops until out_top reaches top.', inputs: ['X1 base PA', 'X2 top PA'], outputs: ['X1 out_top: first granule not delegated'], profiles: ['2.0'], effect: 'UNDELEGATED -> DELEGATED for each granule below out_top' },
  RMI_GRANULE_RANGE_UNDELEGATE: { summary: 'Undelegates the granules of [base, top); may stop part-way.', inputs: ['X1 base PA', 'X2 top PA'], outputs: ['X1 out_top: first granule not undelegated'], profiles: ['2.0'], effect: 'DELEGATED -> UNDELEGATED for each granule below out_top' },
  RMI_REALM_CREATE: { summary: 'Creates a realm: the RD granule becomes its realm descriptor and the starting-level RTTs become its stage-2 roots, configured by RmiRealmParams in a Non-secure page.', inputs: ['X1 PA of the RD (DELEGATED)', 'X2 PA of RmiRealmParams'], outputs: [], profiles: both, effect: 'RD: DELEGATED -> RD; starting-level RTTs: DELEGATED -> RTT; realm state NEW' },
  RMI_REALM_ACTIVATE: { summary: 'Finalises the realm\'s initial measurement and lets its RECs run.', inputs: ['X1 PA of the RD'], outputs: [], profiles: both, effect: 'realm state NEW -> ACTIVE' },
  RMI_REALM_TERMINATE: { summary: 'Stops a realm for good before it is destroyed (2.0).', inputs: ['X1 PA of the RD'], outputs: [], profiles: ['2.0'], effect: 'realm state -> ZOMBIE' },
  RMI_REALM_DESTROY: { summary: 'Destroys a realm that has no RECs and no RTTs but its roots.', inputs: ['X1 PA of the RD'], outputs: [], profiles: both, effect: 'RD and starting-level RTTs -> DELEGATED' },
  RMI_REC_AUX_COUNT: { summary: 'Tells how many auxiliary granules each REC of the realm needs (1.0).', inputs: ['X1 PA of the RD'], outputs: ['X1 number of REC auxiliary granules'], profiles: ['1.0'] },
  RMI_REC_CREATE: { summary: 'Creates a REC (a vCPU) of a NEW realm from RmiRecParams; in 2.0 a stateful operation that asks the host for memory.', inputs: ['X1 PA of the RD', 'X2 PA of the REC (DELEGATED)', 'X3 PA of RmiRecParams'], outputs: ['2.0: X1 SRO handle when RMI_INCOMPLETE'], profiles: both, effect: 'REC: DELEGATED -> REC; 1.0 aux granules -> REC_AUX' },
  RMI_REC_DESTROY: { summary: 'Destroys a REC that is not running; in 2.0 a stateful operation that hands its memory back.', inputs: ['X1 PA of the REC'], outputs: [], profiles: both, effect: 'REC (and aux) -> DELEGATED' },
  RMI_REC_ENTER: { summary: 'Runs a REC until it exits to the host; the exit reason comes back in RmiRecRun.', inputs: ['X1 PA of the REC', 'X2 PA of RmiRecRun'], outputs: [], profiles: both },
  RMI_PSCI_COMPLETE: { summary: 'Completes a PSCI request a REC made (CPU_ON, AFFINITY_INFO) on its target REC.', inputs: ['X1 PA of the calling REC', 'X2 PA of the target REC', 'X3 PSCI status'], outputs: [], profiles: both },
  RMI_RTT_CREATE: { summary: 'Adds an RTT at `level` for the IPA range containing `ipa`, below an existing parent table.', inputs: ['X1 PA of the RD', 'X2 PA of the new RTT (DELEGATED)', 'X3 IPA', 'X4 level'], outputs: [], profiles: both, effect: 'RTT: DELEGATED -> RTT; parent entry -> TABLE' },
  RMI_RTT_DESTROY: { summary: 'Removes an RTT whose entries are all unassigned (not live).', inputs: ['X1 PA of the RD', 'X2 IPA', 'X3 level'], outputs: ['X1 PA of the freed RTT', 'X2 top: next IPA to try'], profiles: both, effect: 'RTT -> DELEGATED' },
  RMI_RTT_FOLD: { summary: 'Folds an RTT whose entries are all alike into a block entry of its parent.', inputs: ['X1 PA of the RD', 'X2 IPA', 'X3 level'], outputs: ['X1 PA of the freed RTT'], profiles: both, effect: 'RTT -> DELEGATED' },
  RMI_RTT_READ_ENTRY: { summary: 'Reads the RTT entry that maps `ipa` at `level`.', inputs: ['X1 PA of the RD', 'X2 IPA', 'X3 level'], outputs: ['X1 walk level reached', 'X2 entry state (HIPAS)', 'X3 descriptor', 'X4 RIPAS'], profiles: both },
  RMI_RTT_INIT_RIPAS: { summary: 'Sets RIPAS RAM over [base, top) of a NEW realm (measured in 1.0, not in 2.0).', inputs: ['X1 PA of the RD', 'X2 base IPA', 'X3 top IPA'], outputs: ['X1 out_top: how far it got'], profiles: both },
  RMI_RTT_SET_RIPAS: { summary: 'Completes a realm\'s RSI_IPA_STATE_SET request over [base, top).', inputs: ['X1 PA of the RD', 'X2 PA of the REC', 'X3 base IPA', 'X4 top IPA'], outputs: ['X1 out_top'], profiles: both },
  RMI_DATA_CREATE: { summary: 'Maps a DATA granule at `ipa` of a NEW realm, copying (and measuring) a Non-secure source page; 2.0 calls it RMI_RTT_DATA_MAP_INIT.', inputs: ['X1 PA of the RD', 'X2 PA of the data granule (DELEGATED)', 'X3 IPA', 'X4 PA of the source page', 'X5 flags (measure contents)'], outputs: [], profiles: both, effect: 'data: DELEGATED -> DATA; entry -> ASSIGNED, RIPAS RAM' },
  RMI_DATA_CREATE_UNKNOWN: { summary: 'Maps a DATA granule at `ipa` with unknown contents (1.0).', inputs: ['X1 PA of the RD', 'X2 PA of the data granule (DELEGATED)', 'X3 IPA'], outputs: [], profiles: ['1.0'], effect: 'data: DELEGATED -> DATA' },
  RMI_DATA_DESTROY: { summary: 'Unmaps the DATA granule at `ipa` (1.0).', inputs: ['X1 PA of the RD', 'X2 IPA'], outputs: ['X1 PA of the freed granule', 'X2 top: next IPA to try'], profiles: ['1.0'], effect: 'DATA -> DELEGATED' },
  RMI_RTT_MAP_UNPROTECTED: { summary: 'Maps a Non-secure page into the unprotected half of the IPA space (1.0).', inputs: ['X1 PA of the RD', 'X2 IPA', 'X3 level', 'X4 RTT entry descriptor'], outputs: [], profiles: ['1.0'] },
  RMI_RTT_UNMAP_UNPROTECTED: { summary: 'Removes an unprotected mapping (1.0).', inputs: ['X1 PA of the RD', 'X2 IPA', 'X3 level'], outputs: ['X1 top: next IPA to try'], profiles: ['1.0'] },
  RMI_RMM_CONFIG_SET: { summary: 'Configures the RMM (granule size, tracking region size) before it is activated (2.0).', inputs: ['X1 PA of RmiRmmConfig'], outputs: [], profiles: ['2.0'] },
  RMI_RMM_CONFIG_GET: { summary: 'Writes the RMM\'s configuration to a Non-secure page (2.0).', inputs: ['X1 PA of RmiRmmConfig'], outputs: [], profiles: ['2.0'] },
  RMI_RMM_ACTIVATE: { summary: 'Activates the RMM; until then most commands fail with RMI_ERROR_GLOBAL (2.0).', inputs: [], outputs: [], profiles: ['2.0'] },
  RMI_GRANULE_TRACKING_GET: { summary: 'Reads the memory category and tracking state of a PA range (2.0).', inputs: ['X1 base PA', 'X2 top PA'], outputs: ['X1 category', 'X2 tracking state', 'X3 top of the range the answer covers'], profiles: ['2.0'] },
  RMI_RTT_DATA_MAP: { summary: 'Maps delegated granules with unknown contents over an IPA range (2.0).', inputs: ['X1 PA of the RD', 'X2 base IPA', 'X3 top IPA', 'X4 flags', 'X5 PA or address list'], outputs: ['X1 out_top'], profiles: ['2.0'], effect: 'DELEGATED -> DATA' },
  RMI_RTT_DATA_UNMAP: { summary: 'Unmaps protected memory over an IPA range and reports the freed granules (2.0).', inputs: ['X1 PA of the RD', 'X2 base IPA', 'X3 top IPA', 'X4 flags', 'X5 output list'], outputs: ['X1 out_top', 'X2 range descriptor', 'X3 list count'], profiles: ['2.0'], effect: 'DATA -> DELEGATED' },
  RMI_RTT_UNPROT_MAP: { summary: 'Maps Non-secure memory into the unprotected IPA space over a range (2.0).', inputs: ['X1 PA of the RD', 'X2 base IPA', 'X3 top IPA', 'X4 flags', 'X5 PA or address list'], outputs: ['X1 out_top'], profiles: ['2.0'] },
  RMI_RTT_UNPROT_UNMAP: { summary: 'Removes unprotected mappings over a range (2.0).', inputs: ['X1 PA of the RD', 'X2 base IPA', 'X3 top IPA', 'X4 flags', 'X5 output list'], outputs: ['X1 out_top', 'X2 range descriptor', 'X3 count'], profiles: ['2.0'] },
  RMI_OP_CONTINUE: { summary: 'Continues (or, with flags bit 0, stops) a stateful operation that returned RMI_INCOMPLETE (2.0).', inputs: ['X1 SRO handle', 'X2 flags'], outputs: ['as the operation'], profiles: ['2.0'] },
  RMI_OP_MEM_DONATE: { summary: 'Gives a stateful operation the memory it asked for, as a list of address ranges (2.0).', inputs: ['X1 SRO handle', 'X2 PA of the address list', 'X3 entries'], outputs: ['X1 granules consumed', 'X2 next donate request'], profiles: ['2.0'] },
  RMI_OP_MEM_RECLAIM: { summary: 'Takes back memory a stateful operation releases, into a list (2.0).', inputs: ['X1 SRO handle', 'X2 PA of the output list', 'X3 capacity'], outputs: ['X1 entries written'], profiles: ['2.0'] },
  RMI_OP_CANCEL: { summary: 'Cancels a cancellable stateful operation (2.0).', inputs: ['X1 SRO handle'], outputs: [], profiles: ['2.0'] },
};

/** What each status means, in a few words. */
export const RMI_STATUS_DOCS: Record<string, string> = {
  RMI_SUCCESS: 'the command completed',
  RMI_ERROR_INPUT: 'a bad argument: misaligned or out-of-range address, a granule in the wrong state, bad parameters',
  RMI_ERROR_REALM: 'the realm\'s state or attributes forbid the command',
  RMI_ERROR_REC: 'the REC\'s state forbids the command',
  RMI_ERROR_RTT: 'an RTT walk or entry problem; the index is the RTT level',
  RMI_ERROR_NOT_SUPPORTED: 'the feature is not supported (2.0)',
  RMI_ERROR_DEVICE: 'a device state problem (2.0)',
  RMI_ERROR_RTT_AUX: 'an auxiliary RTT problem (2.0)',
  RMI_ERROR_PSMMU_ST: 'an SMMU stream table problem (2.0)',
  RMI_ERROR_DPT: 'a device permission table problem (2.0)',
  RMI_BUSY: 'contention: retry (2.0)',
  RMI_ERROR_GLOBAL: 'the RMM\'s global state forbids it: not activated, out of VMIDs (2.0)',
  RMI_ERROR_TRACKING: 'granule tracking: region not tracked or wrong category (2.0)',
  RMI_INCOMPLETE: 'a stateful operation is in progress: continue it (2.0)',
  RMI_BLOCKED: 'blocked: retry later (2.0)',
  RMI_ERROR_GPT: 'a GPT L1 table problem (2.0)',
  RMI_ERROR_GRANULE: 'granules in a state that prevents the operation (2.0)',
};

/** Granule states, for completion of RMI_GRANULE_* constants. */
export const GRANULE_STATE_DOCS: Record<string, string> = {
  UNDELEGATED: 'in the Non-secure PAS, the host\'s memory',
  DELEGATED: 'in the Realm PAS, not used by any RMM object yet',
  RD: 'a realm descriptor',
  REC: 'a realm execution context (vCPU)',
  REC_AUX: 'an auxiliary granule of a REC (1.0)',
  DATA: 'realm memory mapped at an IPA',
  RTT: 'a realm translation table (stage 2)',
};
