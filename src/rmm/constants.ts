// Names and encodings from the RMM specification (DEN0137) and rmi-reference.md sections 1-4.
// Where TF-RMM and the Linux headers differ, the comment says which one is followed.

export type Profile = '1.0' | '2.0';

export const GRANULE_SIZE = 4096;
export const GRANULE_SHIFT = 12;

/** SMCCC NOT_SUPPORTED: the answer to an FID with no handler (reference section 1). */
export const SMC_NOT_SUPPORTED = 0xffff_ffff_ffff_ffffn;

/** RmiStatusCode (reference section 2.2). */
export const Status = {
  RMI_SUCCESS: 0,
  RMI_ERROR_INPUT: 1,
  RMI_ERROR_REALM: 2,
  RMI_ERROR_REC: 3,
  RMI_ERROR_RTT: 4,
  RMI_ERROR_NOT_SUPPORTED: 5,
  RMI_ERROR_DEVICE: 6,
  RMI_ERROR_RTT_AUX: 7,
  RMI_ERROR_PSMMU_ST: 8,
  RMI_ERROR_DPT: 9,
  RMI_BUSY: 10,
  RMI_ERROR_GLOBAL: 11,
  RMI_ERROR_TRACKING: 12,
  RMI_INCOMPLETE: 13,
  RMI_BLOCKED: 14,
  RMI_ERROR_GPT: 15,
  RMI_ERROR_GRANULE: 16,
} as const;
export type StatusName = keyof typeof Status;
export const STATUS_NAMES: readonly string[] = Object.keys(Status);
export function statusName(s: number): string {
  return STATUS_NAMES[s] ?? `RMI_STATUS_${s}`;
}
export function statusFromName(name: string): number | undefined {
  return (Status as Record<string, number>)[name];
}

/** Granule states (reference section 3.1). Internal encoding follows TF-RMM; it is not ABI. */
export const GranuleState = {
  UNDELEGATED: 0,
  DELEGATED: 1,
  RD: 2,
  REC: 3,
  REC_AUX: 4,
  DATA: 5,
  RTT: 6,
  PARTIAL: 11,
} as const;
export type GranuleStateName = keyof typeof GranuleState;
const GRANULE_STATE_NAMES: string[] = [];
for (const [k, v] of Object.entries(GranuleState)) GRANULE_STATE_NAMES[v] = k;
export function granuleStateName(s: number): string {
  return GRANULE_STATE_NAMES[s] ?? `STATE_${s}`;
}

/** Realm states (reference section 4.1). */
export const RealmState = { NEW: 0, ACTIVE: 1, SYSTEM_OFF: 2, ZOMBIE: 3 } as const;
export const REALM_STATE_NAMES = ['REALM_NEW', 'REALM_ACTIVE', 'REALM_SYSTEM_OFF', 'REALM_ZOMBIE'];

/** RTT entry states, HIPAS (reference section 4.3). Internal encoding. */
export const RttState = { UNASSIGNED: 0, ASSIGNED: 1, TABLE: 2, UNASSIGNED_NS: 3, ASSIGNED_NS: 4 } as const;
export const RTT_STATE_NAMES = ['UNASSIGNED', 'ASSIGNED', 'TABLE', 'UNASSIGNED_NS', 'ASSIGNED_NS'];
/** RmiRttEntryState as returned by RTT_READ_ENTRY: NS variants are reported as their protected names. */
export const RmiRttEntryState = { UNASSIGNED: 0, ASSIGNED: 1, TABLE: 2 } as const;

/** RIPAS (reference section 4.4). */
export const Ripas = { EMPTY: 0, RAM: 1, DESTROYED: 2, DEV: 3 } as const;
export const RIPAS_NAMES = ['EMPTY', 'RAM', 'DESTROYED', 'DEV'];

/** Hash algorithms of RmiRealmParams.hash_algo (reference section 5.23). */
export const HashAlgo = { SHA_256: 0, SHA_512: 1, SHA_384: 2 } as const;

/** RMI function identifiers (reference sections 1.1 and 1.2). */
export const Fid = {
  RMI_VERSION: 0xc4000150,
  RMI_GRANULE_DELEGATE: 0xc4000151,
  RMI_GRANULE_UNDELEGATE: 0xc4000152,
  RMI_DATA_CREATE: 0xc4000153, // 2.0: RMI_RTT_DATA_MAP_INIT, same FID and registers
  RMI_DATA_CREATE_UNKNOWN: 0xc4000154,
  RMI_DATA_DESTROY: 0xc4000155,
  RMI_REALM_ACTIVATE: 0xc4000157,
  RMI_REALM_CREATE: 0xc4000158,
  RMI_REALM_DESTROY: 0xc4000159,
  RMI_REC_CREATE: 0xc400015a,
  RMI_REC_DESTROY: 0xc400015b,
  RMI_REC_ENTER: 0xc400015c,
  RMI_RTT_CREATE: 0xc400015d,
  RMI_RTT_DESTROY: 0xc400015e,
  RMI_RTT_MAP_UNPROTECTED: 0xc400015f,
  RMI_RTT_READ_ENTRY: 0xc4000161,
  RMI_RTT_UNMAP_UNPROTECTED: 0xc4000162,
  RMI_PSCI_COMPLETE: 0xc4000164,
  RMI_FEATURES: 0xc4000165,
  RMI_RTT_FOLD: 0xc4000166,
  RMI_REC_AUX_COUNT: 0xc4000167,
  RMI_RTT_INIT_RIPAS: 0xc4000168,
  RMI_RTT_SET_RIPAS: 0xc4000169,
  // 2.0 (2.0-bet1 as used by Linux v14)
  RMI_RMM_CONFIG_SET: 0xc400016e,
  RMI_RMM_CONFIG_GET: 0xc40001ec,
  RMI_RMM_ACTIVATE: 0xc4000202,
  RMI_GRANULE_TRACKING_GET: 0xc40001e1,
  RMI_GRANULE_RANGE_DELEGATE: 0xc40001f1,
  RMI_GRANULE_RANGE_UNDELEGATE: 0xc40001f2,
  RMI_RTT_DATA_MAP: 0xc40001f5,
  RMI_RTT_DATA_UNMAP: 0xc40001f6,
  RMI_RTT_UNPROT_MAP: 0xc40001fb,
  RMI_RTT_UNPROT_UNMAP: 0xc40001fc,
  RMI_REALM_TERMINATE: 0xc4000201,
  RMI_OP_CONTINUE: 0xc4000203,
  RMI_OP_MEM_DONATE: 0xc4000208,
  RMI_OP_MEM_RECLAIM: 0xc4000209,
  RMI_OP_CANCEL: 0xc400020a,
} as const;
export type CommandName = keyof typeof Fid;

/** The 2.0 name of FID 0xC4000153. */
export const RMI_RTT_DATA_MAP_INIT = Fid.RMI_DATA_CREATE;

/** The RMI FID ranges: inside them an unhandled FID answers SMC_NOT_SUPPORTED too. */
export function isRmiFid(fid: number): boolean {
  return (fid >= 0xc4000150 && fid <= 0xc400018f) || (fid >= 0xc40001d0 && fid <= 0xc400021f);
}

/** RMI interface versions: major [30:16], minor [15:0]. */
export const RMI_ABI_VERSION = { '1.0': 0x10000, '2.0': 0x20000 } as const;
