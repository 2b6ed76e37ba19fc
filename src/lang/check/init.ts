// Initialisers (C11 6.7.9): scalars, strings into char arrays, brace lists with designators
// (`.field`, `[index]`, chained `.a.b`), brace elision, unknown-length arrays. The result is a
// flat plan: zero the object, then store each part at its offset (later parts win).
import type { Init, InitItem } from '../parse/ast';
import type { SrcRange } from '../source';
import type { Checker } from './checker';
import { assignConv, rvalue } from './conversions';
import { checkExpr } from './exprs';
import { constInt } from './resolve';
import type { InitPart, InitPlan, TExpr } from './tree';
import { findField, sameType, sizeOf, typeName, type CType } from './types';

export function initPlan(cx: Checker, type: CType, init: Init, range: SrcRange): InitPlan {
  const parts: InitPart[] = [];
  let size = sizeOf(type) ?? 0;
  if (type.t === 'array' || type.t === 'struct') {
    if (init.k === 'expr') {
      const e = checkExpr(cx, init.expr);
      if (!single(cx, type, 0, e, parts)) {
        if (type.t === 'array') cx.fail(init.range, `an array must be initialised with a brace-enclosed list${type.of.t === 'int' && type.of.size === 1 ? ' or a string literal' : ''}`, 'bad-init');
        cx.fail(init.range, `cannot initialise '${typeName(type)}' with a value of type '${typeName(e.type)}'`, 'bad-init');
      }
      if (type.t === 'array' && type.len === undefined) size = (parts[0] as { bytes: Uint8Array }).bytes.length;
    } else {
      const r = fill(cx, type, 0, init.items, 0, true, parts);
      if (r.next < init.items.length) cx.warn(init.items[r.next].range, 'excess elements in initializer', 'excess-initializers');
      if (type.t === 'array' && type.len === undefined) size = r.count * (sizeOf(type.of) ?? 0);
    }
  } else if (type.t === 'int' || type.t === 'ptr') {
    let x = init;
    // `int x = { 1 };` is allowed: one level of braces around a scalar.
    if (x.k === 'list') {
      if (x.items.length !== 1 || x.items[0].designators.length) cx.fail(x.range, `a scalar of type '${typeName(type)}' takes exactly one initialiser`, 'bad-init');
      x = x.items[0].value;
      if (x.k === 'list') cx.fail(x.range, 'too many braces around a scalar initialiser', 'bad-init');
    }
    parts.push({ offset: 0, type, value: assignConv(cx, rvalue(checkExpr(cx, x.expr)), type, 'initialisation', x.range) });
  } else {
    cx.fail(range, `a variable of type '${typeName(type)}' cannot be initialised`, 'bad-init');
  }
  return { size, parts };
}

/** An expression initialising a whole sub-object (a struct copy or a string into a char array). */
function single(cx: Checker, t: CType, offset: number, e: TExpr, parts: InitPart[]): boolean {
  if (t.t === 'struct' && e.type.t === 'struct' && sameType(t, e.type)) {
    parts.push({ offset, type: t, value: e });
    return true;
  }
  if (t.t === 'array' && t.of.t === 'int' && t.of.size === 1 && e.e === 'str') {
    let bytes = cx.program.strings[e.index].bytes;
    if (t.len !== undefined) {
      if (bytes.length - 1 > t.len) cx.warn(e.range, `initializer-string for an array of ${t.len} chars is too long`, 'excess-initializers');
      const b = new Uint8Array(t.len);
      b.set(bytes.subarray(0, t.len));
      bytes = b;
    }
    parts.push({ offset, bytes });
    return true;
  }
  return false;
}

interface Member {
  type: CType;
  offset: number;
}

function memberAt(t: CType, pos: number): Member | undefined {
  if (t.t === 'array') {
    if (t.len !== undefined && pos >= t.len) return undefined;
    return { type: t.of, offset: pos * (sizeOf(t.of) ?? 0) };
  }
  if (t.t === 'struct') {
    if (t.s.union && pos > 0) return undefined;
    const f = t.s.fields[pos];
    return f ? { type: f.type, offset: f.offset } : undefined;
  }
  return undefined;
}

/** Initialises `t` at `base` from items[i...]; returns the next item and the element count (arrays). */
function fill(cx: Checker, t: CType, base: number, items: InitItem[], i: number, braced: boolean, parts: InitPart[]): { next: number; count: number } {
  let pos = 0;
  let count = 0;
  while (i < items.length) {
    const item = items[i];
    if (item.designators.length) {
      // Without braces of its own a sub-object stops at a designator: it belongs to the outer list.
      if (!braced) break;
      const d = designate(cx, t, item);
      pos = d.pos;
      initMember(cx, d.member, base, item);
      i++;
      pos++;
      count = Math.max(count, pos);
      continue;
    }
    const m = memberAt(t, pos);
    if (!m) {
      if (braced) cx.warn(item.range, 'excess elements in initializer', 'excess-initializers');
      if (braced) return { next: items.length, count };
      break;
    }
    if (item.value.k === 'list' || m.type.t === 'int' || m.type.t === 'ptr') {
      initMember(cx, m, base, item);
      i++;
    } else {
      const e = checkExpr(cx, item.value.expr);
      if (single(cx, m.type, base + m.offset, e, parts)) i++;
      else i = fill(cx, m.type, base + m.offset, items, i, false, parts).next; // brace elision
    }
    pos++;
    count = Math.max(count, pos);
  }
  return { next: i, count };

  function initMember(cx2: Checker, m: Member, at: number, item: InitItem): void {
    const v = item.value;
    if (m.type.t === 'int' || m.type.t === 'ptr') {
      const sub = initPlan(cx2, m.type, v, item.range);
      for (const p of sub.parts) parts.push({ ...p, offset: p.offset + at + m.offset });
      return;
    }
    if (v.k === 'list') {
      const r = fill(cx2, m.type, at + m.offset, v.items, 0, true, parts);
      if (r.next < v.items.length) cx2.warn(v.items[r.next].range, 'excess elements in initializer', 'excess-initializers');
      return;
    }
    const e = checkExpr(cx2, v.expr);
    if (!single(cx2, m.type, at + m.offset, e, parts)) {
      // `.arr = 1` or `.s = 1` with no braces: the first scalar inside gets it (brace elision).
      const r = fill(cx2, m.type, at + m.offset, [{ designators: [], value: v, range: item.range }], 0, false, parts);
      if (r.next === 0) cx2.fail(v.range, `cannot initialise '${typeName(m.type)}' with a value of type '${typeName(e.type)}'`, 'bad-init');
    }
  }
}

/** Follows a designator chain from `t`; returns the position of the first step and the final member. */
function designate(cx: Checker, t: CType, item: InitItem): { pos: number; member: Member } {
  let cur = t;
  let offset = 0;
  let firstPos = -1;
  for (const d of item.designators) {
    let pos: number;
    let m: Member | undefined;
    if (d.k === 'field') {
      if (cur.t !== 'struct') cx.fail(d.range, `field designator '.${d.name}' used for a value of type '${typeName(cur)}', which is not a struct or union`, 'bad-init');
      const direct = cur.s.fields.findIndex((f) => f.name === d.name);
      if (direct >= 0) {
        pos = direct;
        m = { type: cur.s.fields[direct].type, offset: cur.s.fields[direct].offset };
      } else {
        // A member of an anonymous struct/union: position is that anonymous member's.
        const f = findField(cur.s, d.name);
        if (!f) cx.fail(d.range, `'${typeName(cur)}' has no member named '${d.name}'`, 'unknown-field');
        pos = cur.s.fields.findIndex((x) => x.name === undefined && x.type.t === 'struct' && findField(x.type.s, d.name));
        m = { type: f.type, offset: f.offset };
      }
    } else {
      if (cur.t !== 'array') cx.fail(d.range, `array index designator used for a value of type '${typeName(cur)}', which is not an array`, 'bad-init');
      const idx = constInt(cx, checkExpr(cx, d.index), 'an array designator');
      if (idx < 0n || (cur.len !== undefined && idx >= BigInt(cur.len))) cx.fail(d.range, `array index ${idx} is outside the array bounds [0, ${cur.len ?? '?'})`, 'bad-init');
      pos = Number(idx);
      m = { type: cur.of, offset: pos * (sizeOf(cur.of) ?? 0) };
    }
    if (firstPos < 0) firstPos = pos;
    offset += m.offset;
    cur = m.type;
  }
  return { pos: firstPos, member: { type: cur, offset } };
}
