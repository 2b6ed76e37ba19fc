// printk's format: the C conversions host code uses (%d %i %u %x %X %o %c %s %p %%, with flags,
// width, precision and the hh/h/l/ll/z/t/j length modifiers) plus the kernel's %pa (phys_addr_t
// passed by reference). Arguments arrive already promoted, with their static types.
import { CRuntimeError, type CType, type HostMemory, type Value } from '../../lang';

export function formatPrintf(fmt: string, args: Value[], types: CType[], mem: HostMemory): string {
  let out = '';
  let ai = 0;
  const next = (): { v: Value; t: CType | undefined } => {
    if (ai >= args.length) throw new CRuntimeError(`printk: the format "${fmt}" wants more arguments than the ${args.length} given`, 'printf-args');
    const r = { v: args[ai], t: types[ai] };
    ai++;
    return r;
  };
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%') { out += c; continue; }
    const m = /^%([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?(hh|h|ll|l|z|t|j)?([diuxXocsp%])/.exec(fmt.slice(i));
    if (!m) { out += c; continue; }
    i += m[0].length - 1;
    const [, flags, w, p, len, conv] = m;
    if (conv === '%') { out += '%'; continue; }
    const width = w === '*' ? Number(next().v) : w ? Number(w) : 0;
    const prec = p === '*' ? Number(next().v) : p !== undefined ? Number(p) : undefined;
    let body: string;
    let sign = '';
    if (conv === 's') {
      const { v } = next();
      body = BigInt(v) === 0n ? '(null)' : mem.readCString(BigInt(v), prec ?? 4096);
      if (prec !== undefined) body = body.slice(0, prec);
    } else if (conv === 'c') {
      body = String.fromCharCode(Number(next().v) & 0xff);
    } else if (conv === 'p') {
      const { v } = next();
      if (fmt[i + 1] === 'a') {
        // %pa: the phys_addr_t the argument points to.
        i++;
        body = '0x' + (mem.load(BigInt(v), 7 /* K.U64 */) as bigint).toString(16).padStart(16, '0');
      } else {
        body = '0x' + BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, '0');
      }
    } else {
      const { v, t } = next();
      let n = BigInt(v);
      const bits = len === 'hh' ? 8 : len === 'h' ? 16 : len ? 64 : t && t.t === 'int' && t.size === 8 ? 64 : 32;
      const signed = conv === 'd' || conv === 'i';
      n = signed ? BigInt.asIntN(bits, n) : BigInt.asUintN(bits, n);
      if (n < 0n) { sign = '-'; n = -n; }
      else if (signed && flags.includes('+')) sign = '+';
      else if (signed && flags.includes(' ')) sign = ' ';
      const base = conv === 'x' || conv === 'X' ? 16 : conv === 'o' ? 8 : 10;
      body = n.toString(base);
      if (conv === 'X') body = body.toUpperCase();
      if (prec !== undefined) body = body.padStart(prec, '0');
      if (flags.includes('#') && n !== 0n) body = (conv === 'o' ? '0' : conv === 'x' ? '0x' : conv === 'X' ? '0X' : '') + body;
    }
    let s = sign + body;
    if (s.length < width) {
      if (flags.includes('-')) s = s.padEnd(width);
      else if (flags.includes('0') && prec === undefined && conv !== 's' && conv !== 'c') s = sign + body.padStart(width - sign.length, '0');
      else s = s.padStart(width);
    }
    out += s;
  }
  return out;
}
