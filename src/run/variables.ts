// C values as the debugger shows them: integers in decimal (addresses and large unsigned values
// in hex), pointers with the PA they reach as memoryReference, structs and arrays expandable.
// Reading never throws: memory the host cannot read shows why instead of a value.
import { K, hex, kindOf, namedFields, typeName, virt_to_phys, type CType, type HostMemory, type Value } from '../lang';
import type { Variable } from './api';

const MAX_CHILDREN = 1024;

export function variable(mem: HostMemory, name: string, type: CType, va: bigint): Variable {
  if (type.t === 'int' || type.t === 'ptr') {
    try {
      return scalarVariable(mem, name, type, mem.load(va, type.t === 'ptr' ? K.PTR : kindOf(type)));
    } catch (e) {
      return { name, type: typeName(type), value: `<unreadable: ${e instanceof Error ? e.message : String(e)}>` };
    }
  }
  const v: Variable = { name, type: typeName(type), value: '' };
  const pa = virt_to_phys(va);
  try {
    switch (type.t) {
      case 'struct':
        v.value = '{...}';
        v.children = () => fields(mem, type, va);
        if (pa !== undefined) v.memoryReference = hex(pa);
        break;
      case 'array': {
        const n = type.len ?? 0;
        if (type.of.t === 'int' && type.of.size === 1) v.value = JSON.stringify(cString(mem.read(va, Math.min(n, 256))));
        else v.value = `[${n}]`;
        v.children = () => elements(mem, type, va);
        if (pa !== undefined) v.memoryReference = hex(pa);
        break;
      }
      default:
        v.value = typeName(type);
    }
  } catch (e) {
    v.value = `<unreadable: ${e instanceof Error ? e.message : String(e)}>`;
    delete v.children;
  }
  return v;
}

/** An integer or pointer value (not necessarily stored anywhere: a debugger expression's result). */
export function scalarVariable(mem: HostMemory, name: string, type: CType, value: Value): Variable {
  const v: Variable = { name, type: typeName(type), value: '' };
  if (type.t === 'int') {
    v.value = formatInt(value, type);
  } else if (type.t === 'ptr') {
    const p = BigInt.asUintN(64, BigInt(value));
    v.value = formatPointer(mem, p, type);
    const target = virt_to_phys(p);
    if (target !== undefined) v.memoryReference = hex(target);
    if (type.to.t === 'struct' && target !== undefined && type.to.s.complete) {
      v.children = () => fields(mem, type.to as CType & { t: 'struct' }, p);
    }
  } else {
    v.value = typeName(type);
  }
  return v;
}

function fields(mem: HostMemory, t: CType & { t: 'struct' }, va: bigint): Variable[] {
  return namedFields(t.s).map((f) => variable(mem, f.name, f.type, va + BigInt(f.offset)));
}

function elements(mem: HostMemory, t: CType & { t: 'array' }, va: bigint): Variable[] {
  const size = BigInt(sizeOfElement(t.of));
  const n = Math.min(t.len ?? 0, MAX_CHILDREN);
  const out: Variable[] = [];
  for (let i = 0; i < n; i++) out.push(variable(mem, `[${i}]`, t.of, va + BigInt(i) * size));
  return out;
}

function sizeOfElement(t: CType): number {
  switch (t.t) {
    case 'int': return t.size;
    case 'ptr': return 8;
    case 'struct': return t.s.size;
    case 'array': return (t.len ?? 0) * sizeOfElement(t.of);
    default: return 1;
  }
}

/** Decimal for counts and statuses; hex for addresses (phys_addr_t) and big unsigned values. */
export function formatInt(v: number | bigint, t: CType & { t: 'int' }): string {
  if (t.bool) return v ? 'true' : 'false';
  const b = BigInt(v);
  if (t.name === 'phys_addr_t' || t.name === 'uintptr_t') return hex(b);
  if (t.size === 1 && t.name === 'char' && b >= 32n && b < 127n) return `${b} '${String.fromCharCode(Number(b))}'`;
  if (!t.signed && b >= 0x10000n) return hex(b);
  return b.toString();
}

function formatPointer(mem: HostMemory, p: bigint, t: CType & { t: 'ptr' }): string {
  if (p === 0n) return 'NULL';
  const s = hex(p);
  if (t.to.t === 'int' && t.to.size === 1) {
    try {
      return `${s} ${JSON.stringify(mem.readCString(p, 128))}`;
    } catch {
      return s;
    }
  }
  return s;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return String.fromCharCode(...bytes.subarray(0, end < 0 ? bytes.length : end));
}
