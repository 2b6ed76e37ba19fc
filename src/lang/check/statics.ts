// Static initialisers: every part must be a constant (C11 6.6): an integer constant expression, or
// an address constant (&global, an array or function name, a string literal, plus or minus an
// integer constant), which becomes a relocation resolved when the program is loaded.
import type { Checker } from './checker';
import { foldInt } from './fold';
import type { InitPlan, TExpr } from './tree';

export type RelocTarget = { k: 'global'; index: number } | { k: 'str'; index: number } | { k: 'func'; id: number };

export interface Reloc {
  offset: number;
  target: RelocTarget;
  addend: bigint;
}

export interface StaticImage {
  bytes: Uint8Array;
  relocs: Reloc[];
}

export function staticImage(cx: Checker, plan: InitPlan): StaticImage {
  const bytes = new Uint8Array(plan.size);
  const dv = new DataView(bytes.buffer);
  const relocs: Reloc[] = [];
  for (const p of plan.parts) {
    if ('bytes' in p) {
      bytes.set(p.bytes, p.offset);
      continue;
    }
    const t = p.type;
    if (t.t === 'struct') {
      cx.error(p.value.range, 'initializer element is not a compile-time constant (copying a struct)', 'not-constant');
      continue;
    }
    const size = t.t === 'ptr' ? 8 : t.t === 'int' ? t.size : 0;
    const v = foldInt(p.value);
    if (v !== undefined) {
      writeInt(dv, p.offset, size, v);
      continue;
    }
    const a = address(p.value);
    if (a && size === 8) {
      relocs.push({ offset: p.offset, target: a.target, addend: a.addend });
      continue;
    }
    cx.error(p.value.range, 'initializer element is not a compile-time constant', 'not-constant');
  }
  return { bytes, relocs };
}

export function writeInt(dv: DataView, off: number, size: number, v: bigint): void {
  switch (size) {
    case 1: dv.setUint8(off, Number(BigInt.asUintN(8, v))); break;
    case 2: dv.setUint16(off, Number(BigInt.asUintN(16, v)), true); break;
    case 4: dv.setUint32(off, Number(BigInt.asUintN(32, v)), true); break;
    case 8: dv.setBigUint64(off, BigInt.asUintN(64, v), true); break;
  }
}

/** An address constant: a symbol plus a byte offset. */
function address(e: TExpr): { target: RelocTarget; addend: bigint } | undefined {
  switch (e.e) {
    case 'conv':
      return e.type.t === 'ptr' || (e.type.t === 'int' && e.type.size === 8) ? address(e.arg) : undefined;
    case 'addr':
    case 'decay':
      return lvalueAddress(e.arg);
    case 'ptradd': {
      const base = address(e.ptr);
      const i = foldInt(e.index);
      if (!base || i === undefined) return undefined;
      const d = i * BigInt(e.scale);
      return { target: base.target, addend: base.addend + (e.sub ? -d : d) };
    }
    default:
      return undefined;
  }
}

function lvalueAddress(e: TExpr): { target: RelocTarget; addend: bigint } | undefined {
  switch (e.e) {
    case 'var':
      return e.sym.kind === 'global' ? { target: { k: 'global', index: e.sym.index }, addend: 0n } : undefined;
    case 'str':
      return { target: { k: 'str', index: e.index }, addend: 0n };
    case 'func':
      return { target: { k: 'func', id: e.fn.id }, addend: 0n };
    case 'member': {
      const b = lvalueAddress(e.base);
      return b && { target: b.target, addend: b.addend + BigInt(e.offset) };
    }
    case 'deref': {
      const p = address(e.ptr);
      return p;
    }
    default:
      return undefined;
  }
}

