// RmiAddrRangeDesc (reference 6.6) and RMI address lists: how 2.0 commands name physical memory.
// A descriptor covers `count` contiguous blocks of one RTT level's size:
//   [1:0] size (0 = 4 KB page / level 3, 1 = 2 MB / level 2, 2 = 1 GB / level 1, 3 = level 0)
//   [11:2] count (10 bits with 4 KB granules)   [51:12] address   [63] state (0 DELEGATED, 1 UNDELEGATED)
// This is the bet1 / TF-RMM main layout; bet3 Linux widens the state to [63:62] (reference 2.3).
// A list is an array of descriptors in one NS granule, so at most 512 of them.
import { GRANULE_SIZE, GranuleState } from '../../constants';
import { levelSize } from '../../rtt';
import type { RmmState } from '../../state';

export const DESC_MEM_DELEGATED = 0;
export const DESC_MEM_UNDELEGATED = 1;
/** Blocks one descriptor can hold (the 10-bit count field). */
export const MAX_DESC_COUNT = 0x3ff;
/** Descriptors that fit in one granule (the longest list an RMI command reads or writes). */
export const LIST_MAX = GRANULE_SIZE / 8;

/** RMI_ADDR_TYPE, flags [1:0] of the map / unmap commands. */
export const AddrType = { NONE: 0, SINGLE: 1, LIST: 2 } as const;

export interface RangeDesc {
  /** Base PA (a double is exact below 2^52). */
  addr: number;
  /** RTT level of one block: 3 - size field. */
  level: number;
  count: number;
  /** The memory state field: DESC_MEM_DELEGATED or DESC_MEM_UNDELEGATED. */
  state: number;
}

const ADDR_MASK = ((1n << 52n) - 1n) & ~0xfffn;

export function decodeDesc(v: bigint): RangeDesc {
  const d = BigInt.asUintN(64, v);
  return {
    addr: Number(d & ADDR_MASK),
    level: 3 - Number(d & 3n),
    count: Number((d >> 2n) & 0x3ffn),
    state: Number(d >> 63n),
  };
}

export function encodeDesc(d: RangeDesc): bigint {
  return BigInt(d.addr) | (BigInt(d.count) << 2n) | BigInt(3 - d.level) | (BigInt(d.state) << 63n);
}

/** Size of one block of a descriptor. */
export function blockSize(d: RangeDesc): number {
  return levelSize(d.level);
}

/**
 * How many list slots a command may use at `pa`: the host's count, clipped so the list never
 * crosses out of its granule (TF-RMM clips rather than failing).
 */
export function listCapacity(pa: number, count: number): number {
  const slotsLeft = LIST_MAX - Math.floor((pa % GRANULE_SIZE) / 8);
  return Math.max(0, Math.min(count, slotsLeft));
}

/** Whether a host list can live at `pa`: 8-byte aligned (list_align). */
export function listAligned(pa: number): boolean {
  return pa % 8 === 0;
}

/** Whether the granule holding a list is host memory (list_pas; outside DRAM counts as not). */
export function listInNsMemory(st: RmmState, pa: number): boolean {
  const gi = st.granules.index(pa - (pa % GRANULE_SIZE));
  return gi >= 0 && st.granules.state[gi] === GranuleState.UNDELEGATED;
}

export function readDescs(st: RmmState, pa: number, count: number): bigint[] {
  return Array.from({ length: count }, (_, i) => st.memory.readU64(pa + 8 * i));
}

export function writeDescs(st: RmmState, pa: number, descs: readonly RangeDesc[]): void {
  descs.forEach((d, i) => st.memory.writeU64(pa + 8 * i, encodeDesc(d)));
}

/**
 * The blocks of a descriptor list in order, one at a time, skipping empty descriptors (what
 * TF-RMM's addr_list_reduce_first_block hands out).
 */
export function* blocksOf(descs: readonly RangeDesc[]): Generator<{ pa: number; level: number; state: number }> {
  for (const d of descs) {
    const size = blockSize(d);
    for (let i = 0; i < d.count; i++) yield { pa: d.addr + i * size, level: d.level, state: d.state };
  }
}

/**
 * An output list being filled block by block: a block joins a descriptor it extends (at either
 * end, same level and state) or opens a new one while fewer than `max` exist.
 */
export class RangeList {
  readonly descs: RangeDesc[] = [];

  constructor(private readonly max: number) {}

  add(pa: number, level: number, state: number): boolean {
    const size = levelSize(level);
    for (const d of this.descs) {
      if (d.level !== level || d.state !== state || d.count >= MAX_DESC_COUNT) continue;
      if (pa === d.addr + d.count * size) {
        d.count++;
        return true;
      }
      if (pa === d.addr - size) {
        d.addr = pa;
        d.count++;
        return true;
      }
    }
    if (this.descs.length >= this.max) return false;
    this.descs.push({ addr: pa, level, count: 1, state });
    return true;
  }
}
