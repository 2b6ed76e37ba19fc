// The host's memory services: pages and kmalloc from the page allocator, the linear map
// (virt_to_phys / phys_to_virt), and memset/memcpy/memcmp/strlen/strcmp over checked memory.
import { CRuntimeError, PAGE_OFFSET, PAGE_OFFSET_M, from64, hex, machineNative, phys_to_virt, virt_to_phys, virtToPhysM, type NativeFn, type Value } from '../../lang';
import type { RunContext } from '../context';

const PAGE = 4096n;
/** One memset/memcpy may touch at most this much (a runaway size is a bug, not a workload). */
const MAX_BULK = 64 * 1024 * 1024;

export function memoryNatives(ctx: RunContext): Record<string, NativeFn> {
  // ctx is read lazily: the factory also runs without a run, to list the intrinsics' names.
  // The page getters and the linear map work on machine values (machineNative): they run for
  // every page a host populates, and a BigInt per call would be most of their cost.
  const pageVA = (what: string, zero: boolean): Value => {
    const pa = ctx.alloc.alloc(what);
    if (zero) ctx.mem.zeroPage(pa);
    return pa + PAGE_OFFSET_M;
  };
  const paOf = (what: string, v: Value): number => {
    const va = BigInt.asUintN(64, BigInt(v));
    const pa = virt_to_phys(va);
    if (pa === undefined) throw new CRuntimeError(`${what}(${hex(va)}): not a kernel virtual address`, 'bad-address');
    return pa;
  };
  const bulk = (what: string, n: Value): number => {
    const size = Number(BigInt.asUintN(64, BigInt(n)));
    if (size > MAX_BULK) throw new CRuntimeError(`${what}: size ${size} is larger than ${MAX_BULK} bytes; is the size wrong?`, 'bad-size');
    return size;
  };
  return {
    __get_free_page: machineNative(() => pageVA('__get_free_page', false)),
    get_zeroed_page: machineNative(() => pageVA('get_zeroed_page', true)),
    alloc_page: machineNative(() => pageVA('alloc_page', false)),
    free_page: (_m, [v]) => {
      if (BigInt(v) === 0n) return undefined;
      ctx.alloc.release(paOf('free_page', v), 'free_page');
      return undefined;
    },
    __free_page: (_m, [v]) => {
      ctx.alloc.release(paOf('__free_page', v), '__free_page');
      return undefined;
    },
    page_address: machineNative((_m, [v]) => v),
    page_to_phys: machineNative((_m, [v]) => virtToPhysM(v) ?? paOf('page_to_phys', v)),
    kmalloc: (_m, [n]) => kmalloc(ctx, n, false),
    kzalloc: (_m, [n]) => kmalloc(ctx, n, true),
    kfree: (_m, [v]) => {
      if (BigInt(v) === 0n) return undefined;
      const pa = paOf('kfree', v);
      ctx.alloc.release(pa, 'kfree');
      return undefined;
    },
    virt_to_phys: machineNative((_m, [v]) => virtToPhysM(v) ?? paOf('virt_to_phys', v)),
    phys_to_virt: machineNative((_m, [v]) => {
      if (typeof v === 'number') {
        const va = v + PAGE_OFFSET_M;
        if (va >= -Number.MAX_SAFE_INTEGER && va <= Number.MAX_SAFE_INTEGER) return va;
      }
      return from64(BigInt(v) + PAGE_OFFSET);
    }),
    memset: (_m, [d, c, n]) => {
      const size = bulk('memset', n);
      ctx.mem.write(BigInt(d), new Uint8Array(size).fill(Number(c) & 0xff));
      return d;
    },
    memcpy: (_m, [d, s, n]) => {
      const size = bulk('memcpy', n);
      ctx.mem.write(BigInt(d), ctx.mem.read(BigInt(s), size));
      return d;
    },
    memcmp: (_m, [a, b, n]) => {
      const size = bulk('memcmp', n);
      const x = ctx.mem.read(BigInt(a), size);
      const y = ctx.mem.read(BigInt(b), size);
      for (let i = 0; i < size; i++) if (x[i] !== y[i]) return x[i] - y[i];
      return 0;
    },
    strlen: (_m, [s]) => BigInt(utf8Length(ctx.mem.readCString(BigInt(s), MAX_BULK))),
    strcmp: (_m, [a, b]) => {
      const x = ctx.mem.readCString(BigInt(a));
      const y = ctx.mem.readCString(BigInt(b));
      return x < y ? -1 : x > y ? 1 : 0;
    },
  };
}

function kmalloc(ctx: RunContext, n: Value, zero: boolean): bigint {
  const size = Number(BigInt.asUintN(64, BigInt(n)));
  if (size > Number(PAGE)) throw new CRuntimeError(`kmalloc(${size}): objects larger than a page are not supported; use __get_free_page`, 'bad-size');
  const pa = ctx.alloc.alloc('kmalloc', size);
  // kmalloc memory is uninitialised in the kernel; here it is at least not left over from a realm.
  if (zero) ctx.mem.zeroPage(pa);
  return phys_to_virt(pa);
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

