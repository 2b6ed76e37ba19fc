// Places a compiled program's static data (string literals, then globals) in host memory and
// resolves the address constants of their initialisers.
import type { Program } from '../check/tree';
import type { Reloc } from '../check/statics';
import { alignOf, alignUp, sizeOf } from '../check/types';
import { FUNC_VA_BASE, PAGE_OFFSET } from './layout';
import type { HostMemory } from './memory';

export interface StaticLayout {
  globalsVA: bigint[];
  stringsVA: bigint[];
  /** Bytes used from the start of the data area. */
  size: number;
}

/** Bytes the static data needs (before placing it). */
export function staticSize(program: Program): number {
  let off = 0;
  for (const s of program.strings) off += s.bytes.length;
  for (const g of program.globals) off = alignUp(off, alignOf(g.sym.type)) + (sizeOf(g.sym.type) ?? 0);
  return alignUp(off, 16);
}

export function loadStatics(program: Program, mem: HostMemory, basePa: number, runtimeGlobal: (name: string) => bigint | undefined): StaticLayout {
  let off = 0;
  const va = (o: number) => BigInt(basePa + o) + PAGE_OFFSET;
  const stringsVA = program.strings.map((s) => {
    const at = off;
    mem.writePA(basePa + at, s.bytes);
    off += s.bytes.length;
    return va(at);
  });
  const globalsVA: bigint[] = [];
  const pending: { at: number; relocs: Reloc[] }[] = [];
  for (const g of program.globals) {
    if (g.external) {
      globalsVA.push(runtimeGlobal(g.sym.name) ?? 0n);
      continue;
    }
    off = alignUp(off, alignOf(g.sym.type));
    const at = off;
    globalsVA.push(va(at));
    if (g.image) {
      mem.writePA(basePa + at, g.image.bytes);
      pending.push({ at, relocs: g.image.relocs });
    }
    off += sizeOf(g.sym.type) ?? 0;
  }
  for (const p of pending) {
    for (const r of p.relocs) {
      const target = r.target.k === 'global' ? globalsVA[r.target.index] : r.target.k === 'str' ? stringsVA[r.target.index] : FUNC_VA_BASE + BigInt(r.target.id) * 16n;
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, target + r.addend), true);
      mem.writePA(basePa + p.at + r.offset, b);
    }
  }
  return { globalsVA, stringsVA, size: alignUp(off, 16) };
}
