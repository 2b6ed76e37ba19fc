// REC index and MPIDR (spec A2.3.3, B3.38 RecIndex, B4.4.18 RmiRecMpidr; reference 4.2).
// RmiRecMpidr: aff0 [3:0], SBZ [7:4], aff1 [15:8], aff2 [23:16], aff3 [31:24], SBZ [63:32].
// The index concatenates Aff3:Aff2:Aff1:Aff0[3:0]. Note aff3 sits at [31:24] here, not at
// MPIDR_EL1's [39:32]; the realm's own PSCI arguments use the MPIDR_EL1 layout.

const RMI_MPIDR_SBZ = (0xfn << 4n) | (0xffff_ffffn << 32n);

/** RecIndex of an RmiRecMpidr, or undefined when SBZ bits are set (TF-RMM rejects such values). */
export function recIndexOfRmiMpidr(mpidr: bigint): number | undefined {
  if ((mpidr & RMI_MPIDR_SBZ) !== 0n) return undefined;
  const aff = (shift: bigint) => Number((mpidr >> shift) & 0xffn);
  return Number(mpidr & 0xfn) + 16 * aff(8n) + 4096 * aff(16n) + 1048576 * aff(24n);
}

/** The REC index an MPIDR_EL1-format value (as a realm passes to PSCI) names: aff3 at [39:32]. */
export function recIndexOfMpidrEl1(mpidr: bigint): number {
  const aff = (shift: bigint) => Number((mpidr >> shift) & 0xffn);
  return Number(mpidr & 0xfn) + 16 * aff(8n) + 4096 * aff(16n) + 1048576 * aff(32n);
}

/** The RmiRecMpidr for a REC index (the encoding hosts should pass to REC_CREATE). */
export function rmiMpidrOfIndex(index: number): bigint {
  const i = BigInt(index);
  return (i & 0xfn) | (((i >> 4n) & 0xffn) << 8n) | (((i >> 12n) & 0xffn) << 16n) | (((i >> 20n) & 0xffn) << 24n);
}
