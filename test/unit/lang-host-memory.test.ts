// HostMemory.storeRegsPA: registers land in memory as little-endian u64s (as rmi_last after an
// SMC), zero-padded, whether they fit in one page or straddle two.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostMemory } from '../../src/lang';
import { createRmm } from '../../src/rmm';

const BASE = 0x8000_0000;
const u64s = (bytes: Uint8Array): bigint[] => {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 8 }, (_, i) => dv.getBigUint64(8 * i, true));
};

describe('host memory: storeRegsPA', () => {
  for (const [what, pa] of [['inside a page', BASE + 0x100], ['across a page boundary', BASE + 0x1000 - 16]] as const) {
    it(`stores registers ${what}, the missing ones as zero`, () => {
      const rmm = createRmm({ profile: '2.0', dram: [{ base: BigInt(BASE), size: 1n << 24n }] });
      const mem = new HostMemory(rmm);
      rmm.memory.write(BigInt(pa), new Uint8Array(40).fill(0xee)); // old contents that must all be replaced
      mem.resume();
      mem.storeRegsPA(pa, [5n, (1n << 64n) - 1n, 1n << 60n], 5);
      assert.deepEqual(u64s(rmm.memory.read(BigInt(pa), 40)), [5n, (1n << 64n) - 1n, 1n << 60n, 0n, 0n]);
    });
  }
});
