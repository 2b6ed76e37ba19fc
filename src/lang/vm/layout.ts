// The host's address space, as on arm64 Linux: DRAM is reached through a linear map at
// PAGE_OFFSET (VA = PA + PAGE_OFFSET), so virt_to_phys/phys_to_virt are arithmetic. Function
// addresses live in a separate "text" range that is never data.

/** VA of PA 0 in the linear map (arm64, 48-bit VAs). */
export const PAGE_OFFSET = 0xffff_0000_0000_0000n;
/** PAs reachable through the linear map: [0, 2^47). */
export const LINEAR_SPAN = 1n << 47n;
/** Function f's address is FUNC_VA_BASE + 16 * f.id. */
export const FUNC_VA_BASE = 0xffff_8000_0000_0000n;
export const PAGE_SIZE = 4096;
/** PAGE_OFFSET and FUNC_VA_BASE as machine values (arith64.ts: their signed reading, a safe number). */
export const PAGE_OFFSET_M = -(2 ** 48);
export const FUNC_VA_BASE_M = -(2 ** 47);

/** The function id behind a function pointer held as a machine value, or undefined. */
export function funcIdOfM(v: number | bigint): number | undefined {
  if (typeof v === 'bigint') return undefined;
  const off = v - FUNC_VA_BASE_M;
  return off >= 0 && off % 16 === 0 && off < 2 ** 32 ? off / 16 : undefined;
}

export const phys_to_virt = (pa: bigint | number): bigint => BigInt.asUintN(64, BigInt(pa) + PAGE_OFFSET);

/** The PA behind a linear-map VA, or undefined when the VA is not in the linear map. */
export function virt_to_phys(va: bigint): number | undefined {
  const off = va - PAGE_OFFSET;
  return off >= 0n && off < LINEAR_SPAN ? Number(off) : undefined;
}

/** The function id behind a function pointer, or undefined. */
export function funcIdOf(va: bigint): number | undefined {
  const off = va - FUNC_VA_BASE;
  if (off < 0n || off % 16n !== 0n || off >= 1n << 32n) return undefined;
  return Number(off / 16n);
}

/** virt_to_phys on a machine value (arith64.ts): the PA, or undefined when it is not a linear-map VA. */
export function virtToPhysM(v: number | bigint): number | undefined {
  if (typeof v !== 'number') return undefined; // linear-map VAs are safe numbers
  const pa = v - PAGE_OFFSET_M;
  return pa >= 0 && pa < 2 ** 47 ? pa : undefined;
}
