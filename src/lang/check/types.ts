// C types with LP64 sizes (as on arm64 Linux: long and pointers are 64 bits, plain char is
// unsigned), natural-alignment struct layout, and the usual arithmetic conversions.

export interface IntType {
  t: 'int';
  size: 1 | 2 | 4 | 8;
  signed: boolean;
  /** Spelling for messages and the variables view (typedef names kept: u64, phys_addr_t). */
  name: string;
  bool?: boolean;
}

export interface Field {
  name?: string;
  type: CType;
  offset: number;
}

export interface StructInfo {
  tag?: string;
  union: boolean;
  fields: Field[];
  size: number;
  align: number;
  complete: boolean;
  /** Unique per definition, so two struct types compare by identity. */
  id: number;
}

export type CType =
  | { t: 'void'; name?: string }
  | IntType
  | { t: 'ptr'; to: CType; name?: string }
  | { t: 'array'; of: CType; len: number | undefined; name?: string }
  | { t: 'struct'; s: StructInfo; name?: string }
  | { t: 'func'; ret: CType; params: CType[]; variadic: boolean; unspecified: boolean; name?: string };

export type FuncType = CType & { t: 'func' };

const int = (size: IntType['size'], signed: boolean, name: string): IntType => ({ t: 'int', size, signed, name });

export const T = {
  void: { t: 'void' } as CType,
  bool: { t: 'int', size: 1, signed: false, name: 'bool', bool: true } as IntType,
  char: int(1, false, 'char'),
  schar: int(1, true, 'signed char'),
  uchar: int(1, false, 'unsigned char'),
  short: int(2, true, 'short'),
  ushort: int(2, false, 'unsigned short'),
  int: int(4, true, 'int'),
  uint: int(4, false, 'unsigned int'),
  long: int(8, true, 'long'),
  ulong: int(8, false, 'unsigned long'),
  llong: int(8, true, 'long long'),
  ullong: int(8, false, 'unsigned long long'),
};

export const ptrTo = (to: CType): CType => ({ t: 'ptr', to });
export const VOID_PTR = ptrTo(T.void);
export const CHAR_PTR = ptrTo(T.char);

/** The integer type of a keyword list (`unsigned long int`), or a message. */
export function primType(words: string[]): CType | string {
  const w = [...words].sort().join(' ');
  let unsigned = words.includes('unsigned');
  const signed = words.includes('signed');
  if (unsigned && signed) return "both 'signed' and 'unsigned' in declaration specifiers";
  const rest = words.filter((x) => x !== 'unsigned' && x !== 'signed' && x !== 'int');
  const longs = rest.filter((x) => x === 'long').length;
  const others = rest.filter((x) => x !== 'long');
  if (others.length > 1) return `'${words.join(' ')}' is not a valid type`;
  const o = others[0];
  if (o === 'void' || o === '_Bool' || o === 'bool') {
    if (words.length > 1) return `'${words.join(' ')}' is not a valid type`;
    return o === 'void' ? T.void : T.bool;
  }
  if (o === 'float' || o === 'double' || o === '__int128') return `'${o}' is not supported (integer types only)`;
  if (o === 'char') {
    if (longs) return `'${w}' is not a valid type`;
    return signed ? T.schar : unsigned ? T.uchar : T.char;
  }
  if (o === 'short') {
    if (longs) return `'${words.join(' ')}' is not a valid type`;
    return unsigned ? T.ushort : T.short;
  }
  if (o !== undefined) return `'${words.join(' ')}' is not a valid type`;
  if (longs > 2) return "'long long long' is too long for C";
  if (longs === 0 && !words.includes('int') && !unsigned && !signed) return `'${words.join(' ')}' is not a valid type`;
  unsigned = unsigned === true;
  if (longs === 0) return unsigned ? T.uint : T.int;
  if (longs === 1) return unsigned ? T.ulong : T.long;
  return unsigned ? T.ullong : T.llong;
}

export const isInt = (t: CType): t is IntType => t.t === 'int';
export const isPtr = (t: CType): t is CType & { t: 'ptr' } => t.t === 'ptr';
export const isScalar = (t: CType) => t.t === 'int' || t.t === 'ptr';
export const isStruct = (t: CType): t is CType & { t: 'struct' } => t.t === 'struct';
export const isVoid = (t: CType) => t.t === 'void';

export function sizeOf(t: CType): number | undefined {
  switch (t.t) {
    case 'int': return t.size;
    case 'ptr': return 8;
    case 'array': {
      if (t.len === undefined) return undefined;
      const e = sizeOf(t.of);
      return e === undefined ? undefined : e * t.len;
    }
    case 'struct': return t.s.complete ? t.s.size : undefined;
    default: return undefined;
  }
}

export function alignOf(t: CType): number {
  switch (t.t) {
    case 'int': return t.size;
    case 'ptr': return 8;
    case 'array': return alignOf(t.of);
    case 'struct': return t.s.align;
    default: return 1;
  }
}

export const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** Lays out fields with natural alignment (C11 6.7.2.1; what GCC does on AArch64). */
export function layoutStruct(s: StructInfo, fields: { name?: string; type: CType }[]): void {
  let off = 0;
  let align = 1;
  let size = 0;
  s.fields = fields.map((f) => {
    const a = alignOf(f.type);
    const sz = sizeOf(f.type) ?? 0;
    align = Math.max(align, a);
    if (s.union) {
      size = Math.max(size, sz);
      return { name: f.name, type: f.type, offset: 0 };
    }
    off = alignUp(off, a);
    const field = { name: f.name, type: f.type, offset: off };
    off += sz;
    size = off;
    return field;
  });
  s.align = align;
  s.size = alignUp(size, align);
  s.complete = true;
}

/** A member by name, looking into anonymous struct/union members (C11 6.7.2.1p13). */
export function findField(s: StructInfo, name: string): { type: CType; offset: number } | undefined {
  for (const f of s.fields) {
    if (f.name === name) return { type: f.type, offset: f.offset };
    if (f.name === undefined && f.type.t === 'struct') {
      const inner = findField(f.type.s, name);
      if (inner) return { type: inner.type, offset: f.offset + inner.offset };
    }
  }
  return undefined;
}

/** The members one can name in s, anonymous members flattened (for completion and the variables view). */
export function namedFields(s: StructInfo, base = 0): { name: string; type: CType; offset: number }[] {
  const out: { name: string; type: CType; offset: number }[] = [];
  for (const f of s.fields) {
    if (f.name !== undefined) out.push({ name: f.name, type: f.type, offset: base + f.offset });
    else if (f.type.t === 'struct') out.push(...namedFields(f.type.s, base + f.offset));
  }
  return out;
}

/** C11 6.3.1.1: integer promotion. */
export function promote(t: IntType): IntType {
  if (t.size < 4) return T.int;
  return t;
}

/** The arithmetic kinds values are computed in after promotion: they decide the machine ops. */
export type Arith = 'i32' | 'u32' | 'i64' | 'u64';

export function arithOf(t: IntType): Arith {
  const p = promote(t);
  return p.size === 8 ? (p.signed ? 'i64' : 'u64') : p.signed ? 'i32' : 'u32';
}

export const ARITH_TYPE: Record<Arith, IntType> = { i32: T.int, u32: T.uint, i64: T.long, u64: T.ulong };

/** C11 6.3.1.8: the usual arithmetic conversions (LP64). */
export function usualArith(a: IntType, b: IntType): IntType {
  const x = promote(a);
  const y = promote(b);
  if (x.size === y.size) {
    if (x.signed === y.signed) return x.size === 8 && x.name !== y.name ? (x.signed ? T.long : T.ulong) : x;
    return x.signed ? y : x;
  }
  const big = x.size > y.size ? x : y;
  // A 64-bit signed type holds every 32-bit unsigned value, so it wins.
  return big;
}

/** Same type (compatibility, ignoring typedef names and qualifiers). */
export function sameType(a: CType, b: CType): boolean {
  if (a === b) return true;
  if (a.t !== b.t) return false;
  switch (a.t) {
    case 'void': return true;
    case 'int': {
      const bi = b as IntType;
      return a.size === bi.size && a.signed === bi.signed && !!a.bool === !!bi.bool;
    }
    case 'ptr': return sameType(a.to, (b as typeof a).to);
    case 'array': {
      const ba = b as typeof a;
      return (a.len === ba.len || a.len === undefined || ba.len === undefined) && sameType(a.of, ba.of);
    }
    case 'struct': return a.s === (b as typeof a).s || (a.s.tag !== undefined && a.s.tag === (b as typeof a).s.tag && a.s.union === (b as typeof a).s.union);
    case 'func': {
      const bf = b as typeof a;
      if (!sameType(a.ret, bf.ret)) return false;
      if (a.unspecified || bf.unspecified) return true;
      return a.variadic === bf.variadic && a.params.length === bf.params.length && a.params.every((p, i) => sameType(p, bf.params[i]));
    }
  }
}

/** How a type reads in a message: `struct realm_params *`, `u64`, `int (*)(int)`. */
export function typeName(t: CType): string {
  if (t.name) return t.name;
  switch (t.t) {
    case 'void': return 'void';
    case 'int': return t.name;
    case 'ptr': {
      if (t.to.t === 'func') return `${typeName(t.to.ret)} (*)(${paramList(t.to)})`;
      const inner = typeName(t.to);
      return inner.endsWith('*') ? `${inner}*` : `${inner} *`;
    }
    case 'array': return `${typeName(t.of)}[${t.len ?? ''}]`;
    case 'struct': return `${t.s.union ? 'union' : 'struct'} ${t.s.tag ?? '<anonymous>'}`;
    case 'func': return `${typeName(t.ret)} (${paramList(t)})`;
  }
}

function paramList(f: FuncType): string {
  if (f.unspecified) return '';
  const ps = f.params.map(typeName);
  if (f.variadic) ps.push('...');
  return ps.length ? ps.join(', ') : 'void';
}

/** A typedef: the same type under another name. */
export function named(t: CType, name: string): CType {
  return { ...t, name } as CType;
}
