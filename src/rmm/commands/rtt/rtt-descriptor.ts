// The stage-2 descriptor format the host passes to RTT_MAP_UNPROTECTED and reads back from
// RTT_READ_ENTRY (spec A5.5.11, B3 RttDescriptorIsValidForUnprotected, RttEntryFromDescriptor).
// Host-controlled fields: the output address, MemAttr[2:0] (bits 4:2; MemAttr[3] is RES0 under
// FEAT_S2FWB) and S2AP (bits 7:6). Everything else must be zero.
//
// The spec's functions take no realm, so one layout serves every realm: the 4 KB-granule LPA2
// layout, OA[49:12] in bits 49:12 and OA[51:50] in bits 9:8. A non-LPA2 realm then rejects an
// address at or above 2^48 through addr_bound, as the spec lists it.

const OA_49_12 = ((1n << 50n) - 1n) & ~0xfffn;
const OA_51_50 = 0x300n;
const MEMATTR = 0x1cn;
const S2AP = 0xc0n;
/** MemAttr[2:0] and S2AP as they sit in a descriptor; what an ASSIGNED_NS entry keeps in RttTable.attr. */
export const NS_ATTR_MASK = MEMATTR | S2AP;
/** MemAttr 0b100 is reserved when FEAT_S2FWB is in use (TF-RMM S2TTE_MEMATTR_FWB_RESERVED). */
const MEMATTR_FWB_RESERVED = 0b100n;

/** RttDescriptorIsValidForUnprotected: only host-controlled fields set, MemAttr not reserved. */
export function isValidUnprotectedDescriptor(desc: bigint): boolean {
  const d = BigInt.asUintN(64, desc);
  if ((d & ~(OA_49_12 | OA_51_50 | NS_ATTR_MASK)) !== 0n) return false;
  return (d & MEMATTR) >> 2n !== MEMATTR_FWB_RESERVED;
}

/** The output address a descriptor carries (exact as a double: below 2^52). */
export function descriptorAddr(desc: bigint): number {
  const d = BigInt.asUintN(64, desc);
  return Number(d & OA_49_12) + Number((d & OA_51_50) >> 8n) * 2 ** 50;
}

/** The MemAttr/S2AP bits of a descriptor. */
export function descriptorAttr(desc: bigint): number {
  return Number(BigInt.asUintN(64, desc) & NS_ATTR_MASK);
}

/** Encodes an output address and attribute bits back into a descriptor (RTT_READ_ENTRY X3). */
export function encodeDescriptor(addr: number, attr = 0): bigint {
  const high = Math.floor(addr / 2 ** 50);
  const low = BigInt(addr - high * 2 ** 50);
  return low | (BigInt(high) << 8n) | BigInt(attr);
}
