// readMemory: the emulator's physical memory (granule contents), addressed by the PAs the
// session hands out as memoryReferences. Addresses outside DRAM are errors; a read that runs off
// the end of DRAM returns what is there and reports the rest as unreadable.
import type { Rmm } from '../rmm';

/** Largest read answered at once (the hex editor asks in small windows). */
export const MAX_READ = 1 << 20;

export function readPhysical(rmm: Rmm, memoryReference: string, offset: number, count: number): { address: string; data: string; unreadableBytes: number } {
  let base: bigint;
  try {
    base = BigInt(memoryReference.trim());
  } catch {
    throw new Error(`'${memoryReference}' is not a memory reference (expected an address such as 0x80000000)`);
  }
  if (!Number.isInteger(offset) || !Number.isInteger(count) || count < 0) throw new Error('readMemory: offset and count must be whole numbers, count not negative');
  const pa = base + BigInt(offset);
  const hexPa = `0x${BigInt.asUintN(64, pa).toString(16)}`;
  const g = rmm.st.granules;
  if (pa < 0n || pa > BigInt(Number.MAX_SAFE_INTEGER) || g.index(Number(pa)) < 0) {
    throw new Error(`address ${hexPa} is outside DRAM (${g.regions.map((r) => `0x${r.base.toString(16)}-0x${(r.base + r.size - 1).toString(16)}`).join(', ')})`);
  }
  const p = Number(pa);
  const region = g.regions.find((r) => p >= r.base && p < r.base + r.size)!;
  const wanted = Math.min(count, MAX_READ);
  const readable = Math.min(wanted, region.base + region.size - p);
  const bytes = readable > 0 ? rmm.memory.read(pa, readable) : new Uint8Array(0);
  return { address: hexPa, data: Buffer.from(bytes).toString('base64'), unreadableBytes: count - readable };
}
