// Integer, character and string literals (C11 6.4.4, 6.4.5): their values and, for integers, the
// type the standard gives them (LP64: long is 64 bits).

export interface IntLiteral {
  value: bigint;
  unsigned: boolean;
  /** The literal's C type after the rules of C11 6.4.4.1 (first type that can hold it). */
  type: 'int' | 'unsigned int' | 'long' | 'unsigned long';
}

/** undefined when the text is not a valid integer constant (floating constants included). */
export function parseIntLiteral(text: string): IntLiteral | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text);
  if (!m) return undefined;
  const digits = m[1];
  const suffix = m[2].toLowerCase();
  if (!/^(u?l{0,2}|l{1,2}u)$/.test(suffix)) return undefined;
  let value: bigint;
  if (/^0[bB]/.test(digits)) value = BigInt(digits);
  else if (/^0[xX]/.test(digits)) value = BigInt(digits);
  else if (digits.length > 1 && digits[0] === '0') value = BigInt('0o' + digits.slice(1));
  else value = BigInt(digits);
  if (value >= 1n << 64n) return undefined;
  const decimal = /^[1-9]/.test(digits) || digits === '0';
  const u = suffix.includes('u');
  const l = suffix.includes('l');
  const fitsInt = value < 1n << 31n;
  const fitsUInt = value < 1n << 32n;
  const fitsLong = value < 1n << 63n;
  let type: IntLiteral['type'];
  if (u) type = !l && fitsUInt ? 'unsigned int' : 'unsigned long';
  else if (!l && fitsInt) type = 'int';
  else if (!l && !decimal && fitsUInt) type = 'unsigned int';
  else if (fitsLong) type = 'long';
  else type = 'unsigned long';
  return { value, unsigned: type.startsWith('unsigned'), type };
}

/** Decodes the escapes of a string or character literal body (without quotes) into bytes (UTF-8). */
export function decodeEscapes(body: string): number[] | string {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      if (cp < 0x80) out.push(cp);
      else {
        out.push(...utf8(cp));
        if (cp > 0xffff) i++;
      }
      continue;
    }
    const e = body[++i];
    if (e === undefined) return 'a backslash ends the literal';
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63 };
    if (e in simple) { out.push(simple[e]); continue; }
    if (e === 'x') {
      let j = i + 1;
      while (j < body.length && /[0-9a-fA-F]/.test(body[j])) j++;
      if (j === i + 1) return '\\x used with no following hex digits';
      out.push(parseInt(body.slice(i + 1, j), 16) & 0xff);
      i = j - 1;
      continue;
    }
    if (/[0-7]/.test(e)) {
      let j = i;
      while (j < body.length && j < i + 3 && /[0-7]/.test(body[j])) j++;
      out.push(parseInt(body.slice(i, j), 8) & 0xff);
      i = j - 1;
      continue;
    }
    return `unknown escape sequence '\\${e}'`;
  }
  return out;
}

function utf8(cp: number): number[] {
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}
