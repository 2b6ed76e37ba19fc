// Evaluates the controlling expression of #if / #elif (C11 6.10.1) over tokens that have already
// been macro-expanded, with `defined` resolved and remaining identifiers replaced by 0. Values are
// intmax_t / uintmax_t, i.e. 64-bit, as BigInt.
import type { PpToken } from './lexer';
import { parseIntLiteral } from '../parse/literals';

export class IfExprError extends Error {
  constructor(readonly tok: PpToken | undefined, message: string) {
    super(message);
  }
}

interface Val {
  v: bigint;
  unsigned: boolean;
}

const BIN: Record<string, number> = {
  '*': 10, '/': 10, '%': 10, '+': 9, '-': 9, '<<': 8, '>>': 8, '<': 7, '<=': 7, '>': 7, '>=': 7,
  '==': 6, '!=': 6, '&': 5, '^': 4, '|': 3, '&&': 2, '||': 1,
};

export function evalIfExpr(toks: readonly PpToken[], at: PpToken): bigint {
  let i = 0;
  const peek = () => toks[i];
  const fix = (x: Val): Val => ({ v: x.unsigned ? BigInt.asUintN(64, x.v) : BigInt.asIntN(64, x.v), unsigned: x.unsigned });

  const primary = (): Val => {
    const t = toks[i++];
    if (!t) throw new IfExprError(at, '#if expression ends too early');
    if (t.text === '(') {
      const v = cond();
      if (toks[i]?.text !== ')') throw new IfExprError(toks[i] ?? at, "expected ')' in #if expression");
      i++;
      return v;
    }
    if (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!') {
      const a = primary();
      if (t.text === '-') return fix({ v: -a.v, unsigned: a.unsigned });
      if (t.text === '~') return fix({ v: ~a.v, unsigned: a.unsigned });
      if (t.text === '!') return { v: a.v === 0n ? 1n : 0n, unsigned: false };
      return a;
    }
    if (t.kind === 'num') {
      const lit = parseIntLiteral(t.text);
      if (!lit) throw new IfExprError(t, `invalid integer constant '${t.text}' in #if expression`);
      return { v: lit.value, unsigned: lit.unsigned };
    }
    if (t.kind === 'chr') {
      const body = t.text.slice(1, -1);
      return { v: BigInt(body.startsWith('\\') ? escapeValue(body) : body.charCodeAt(0) || 0), unsigned: false };
    }
    if (t.kind === 'id') return { v: 0n, unsigned: false };
    throw new IfExprError(t, `unexpected '${t.text}' in #if expression`);
  };

  const binary = (minPrec: number): Val => {
    let left = primary();
    for (;;) {
      const op = peek()?.text;
      const prec = op !== undefined ? BIN[op] : undefined;
      if (prec === undefined || prec < minPrec || peek().kind !== 'punct') return left;
      i++;
      const right = binary(prec + 1);
      left = apply(op!, left, right, toks[i - 1]);
    }
  };

  const cond = (): Val => {
    const c = binary(1);
    if (peek()?.text !== '?') return c;
    i++;
    const a = cond();
    if (peek()?.text !== ':') throw new IfExprError(peek() ?? at, "expected ':' in #if expression");
    i++;
    const b = cond();
    return c.v !== 0n ? a : b;
  };

  const apply = (op: string, a: Val, b: Val, t: PpToken): Val => {
    const unsigned = a.unsigned || b.unsigned;
    const x = unsigned ? BigInt.asUintN(64, a.v) : a.v;
    const y = unsigned ? BigInt.asUintN(64, b.v) : b.v;
    const bool = (c: boolean): Val => ({ v: c ? 1n : 0n, unsigned: false });
    switch (op) {
      case '*': return fix({ v: x * y, unsigned });
      case '/': case '%':
        if (y === 0n) throw new IfExprError(t, 'division by zero in #if expression');
        return fix({ v: op === '/' ? x / y : x % y, unsigned });
      case '+': return fix({ v: x + y, unsigned });
      case '-': return fix({ v: x - y, unsigned });
      case '<<': return fix({ v: x << (b.v & 63n), unsigned: a.unsigned });
      case '>>': return fix({ v: x >> (b.v & 63n), unsigned: a.unsigned });
      case '<': return bool(x < y);
      case '<=': return bool(x <= y);
      case '>': return bool(x > y);
      case '>=': return bool(x >= y);
      case '==': return bool(x === y);
      case '!=': return bool(x !== y);
      case '&': return fix({ v: x & y, unsigned });
      case '^': return fix({ v: x ^ y, unsigned });
      case '|': return fix({ v: x | y, unsigned });
      case '&&': return bool(x !== 0n && y !== 0n);
      default: return bool(x !== 0n || y !== 0n);
    }
  };

  if (toks.length === 0) throw new IfExprError(at, '#if with no expression');
  const v = cond();
  if (i < toks.length) throw new IfExprError(toks[i], `unexpected '${toks[i].text}' in #if expression`);
  return v.v;
}

function escapeValue(body: string): number {
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };
  const c = body[1];
  if (c === 'x') return parseInt(body.slice(2), 16) || 0;
  if (/[0-7]/.test(c)) return parseInt(body.slice(1), 8) || 0;
  return simple[c] ?? c.charCodeAt(0);
}
