// The host's page allocator (src/run/allocator.ts): which pages the host holds and the size asked
// for each, across snapshots and restores as the debugger's timeline takes them (a snapshot must
// not see later allocations, and one snapshot can be restored any number of times).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, createRmm } from '../../src/rmm';
import { PageAllocator } from '../../src/run/allocator';

const BASE = 0x8000_0000;
const PAGE = 4096;
/** 64 MiB of DRAM: pages are handed out downwards from 1 MiB below its top. */
const TOP = BASE + 63 * 0x10_0000;

function setup(maxBytes = Number.MAX_SAFE_INTEGER) {
  const rmm = createRmm({ profile: '1.0', dram: [{ base: BASE, size: 0x400_0000 }] });
  return { rmm, alloc: new PageAllocator(rmm, TOP, BASE, maxBytes) };
}

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe('page allocator', () => {
  it('hands out pages downwards, records each size, and knows exactly which pages it owns', () => {
    const { alloc } = setup();
    const a = alloc.alloc('a');
    const b = alloc.alloc('kmalloc', 24);
    const c = alloc.alloc('kmalloc', 0);
    assert.deepEqual([a, b, c], [TOP - PAGE, TOP - 2 * PAGE, TOP - 3 * PAGE]);
    assert.deepEqual([alloc.sizeOf(a), alloc.sizeOf(b), alloc.sizeOf(c)], [PAGE, 24, 0]);
    assert.deepEqual(alloc.ownedPages(), [c, b, a]);
    assert.equal(alloc.bytes, 3 * PAGE);
    // Not owned: a page never handed out, an address inside an owned page, outside the range.
    for (const pa of [TOP - 4 * PAGE, a + 8, TOP, BASE - PAGE, -PAGE, 2 ** 60]) {
      assert.equal(alloc.owns(pa), false, `0x${pa.toString(16)}`);
      assert.equal(alloc.sizeOf(pa), undefined);
    }
  });

  it('reuses freed pages, refuses double frees and frees of pages it never handed out', () => {
    const { alloc } = setup();
    const a = alloc.alloc('a');
    alloc.alloc('b');
    alloc.release(a, 'free_page');
    assert.equal(alloc.owns(a), false);
    assert.equal(codeOf(() => alloc.release(a, 'free_page')), 'bad-free');
    assert.equal(codeOf(() => alloc.release(TOP - 10 * PAGE, 'kfree')), 'bad-free');
    assert.equal(codeOf(() => alloc.release(a + 1, 'kfree')), 'bad-free');
    assert.equal(alloc.alloc('again'), a, 'the freed page comes back first');
  });

  it('refuses to free a page that is still delegated, and skips delegated pages when allocating', () => {
    const { rmm, alloc } = setup();
    const a = alloc.alloc('a');
    assert.equal(rmm.smc(BigInt(Fid.RMI_GRANULE_DELEGATE), BigInt(a))[0], 0n, 'GRANULE_DELEGATE');
    assert.equal(codeOf(() => alloc.release(a, 'free_page')), 'free-not-undelegated');
    assert.equal(rmm.smc(BigInt(Fid.RMI_GRANULE_DELEGATE), BigInt(a - PAGE))[0], 0n);
    assert.equal(alloc.alloc('b'), a - 2 * PAGE, 'the delegated page below is skipped');
  });

  it('enforces the memory budget', () => {
    const { alloc } = setup(2 * PAGE);
    alloc.alloc('a');
    alloc.alloc('b');
    assert.equal(codeOf(() => alloc.alloc('c')), 'memory-budget');
  });

  it('restores a snapshot exactly, any number of times, whatever happened after it', () => {
    const { alloc } = setup();
    const kept = [alloc.alloc('a'), alloc.alloc('kmalloc', 100)];
    const snap = alloc.snapshot();
    const before = { pages: alloc.ownedPages(), bytes: alloc.bytes };
    for (let round = 0; round < 2; round++) {
      // Changes in the same chunk as the snapshot's pages and far from them.
      alloc.release(kept[0], 'free_page');
      for (let i = 0; i < 2000; i++) alloc.alloc('more', i % PAGE);
      assert.equal(alloc.owns(kept[0]), true, 'the freed page was handed out again');
      alloc.restore(snap);
      assert.deepEqual({ pages: alloc.ownedPages(), bytes: alloc.bytes }, before);
      assert.deepEqual([alloc.sizeOf(kept[0]), alloc.sizeOf(kept[1])], [PAGE, 100]);
      assert.equal(alloc.alloc('next'), kept[1] - PAGE, 'allocation continues from where the snapshot was');
      alloc.restore(snap);
    }
    // A later snapshot is independent of the earlier one.
    const extra = alloc.alloc('x');
    const snap2 = alloc.snapshot();
    alloc.restore(snap);
    assert.equal(alloc.owns(extra), false);
    alloc.restore(snap2);
    assert.equal(alloc.owns(extra), true);
  });

  it('allocates every page of a large range and gives an out-of-memory error at the floor', () => {
    const { alloc } = setup();
    const n = (TOP - BASE) / PAGE;
    for (let i = 0; i < n; i++) alloc.alloc('p');
    assert.equal(alloc.ownedPages().length, n);
    assert.equal(alloc.ownedPages()[0], BASE);
    assert.equal(codeOf(() => alloc.alloc('p')), 'out-of-memory');
  });
});
