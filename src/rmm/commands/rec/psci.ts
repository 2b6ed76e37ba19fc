// The PSCI functions a realm can forward to the host and the return codes the host may give back
// (spec A4.3.7, B3.27, B6.3; PSCI: Arm DEN0022). Only what REC_ENTER and PSCI_COMPLETE need.

export const PsciFid = {
  CPU_SUSPEND_32: 0x84000001n,
  CPU_SUSPEND_64: 0xc4000001n,
  CPU_OFF: 0x84000002n,
  CPU_ON_32: 0x84000003n,
  CPU_ON_64: 0xc4000003n,
  AFFINITY_INFO_32: 0x84000004n,
  AFFINITY_INFO_64: 0xc4000004n,
  SYSTEM_OFF: 0x84000008n,
  SYSTEM_RESET: 0x84000009n,
} as const;

/** PSCI return codes (signed 32-bit values, passed sign-extended in 64-bit registers). */
export const PsciReturn = { SUCCESS: 0n, NOT_SUPPORTED: -1n, INVALID_PARAMETERS: -2n, DENIED: -3n, ALREADY_ON: -4n } as const;
/** PSCI_AFFINITY_INFO results. */
export const AffinityInfo = { ON: 0n, OFF: 1n } as const;

export const isCpuOn = (fid: bigint) => fid === PsciFid.CPU_ON_32 || fid === PsciFid.CPU_ON_64;
export const isAffinityInfo = (fid: bigint) => fid === PsciFid.AFFINITY_INFO_32 || fid === PsciFid.AFFINITY_INFO_64;

/** Requests that name another REC by MPIDR: the host must answer them with RMI_PSCI_COMPLETE. */
export const needsPsciComplete = (fid: bigint) => isCpuOn(fid) || isAffinityInfo(fid);

/** A PsciReturnCode as the register holds it (PsciReturnCodeEncode). */
export const encodePsci = (v: bigint) => BigInt.asUintN(64, v);
/** A status register read back as a signed PSCI return code. */
export const decodePsci = (reg: bigint) => BigInt.asIntN(64, reg);
