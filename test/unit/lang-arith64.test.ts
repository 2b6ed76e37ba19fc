// Conformance of the machine's integer representation (64-bit values as JS numbers while they fit
// in 53 bits, BigInt beyond): C snippets run through the whole pipeline, results read back from
// memory, the emulator's registers, printk output and the debugger, and compared with values
// computed here independently with BigInt from C's rules (promotions, usual arithmetic
// conversions, wrap-around, truncating division, arithmetic right shift of signed values).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectAll, globalNum, load, run, type CRun } from './helpers/c-run';

interface CT { name: string; bits: number; signed: boolean }
const T = {
  u64: { name: 'u64', bits: 64, signed: false }, s64: { name: 's64', bits: 64, signed: true },
  u32: { name: 'u32', bits: 32, signed: false }, s32: { name: 's32', bits: 32, signed: true },
  u16: { name: 'u16', bits: 16, signed: false }, s16: { name: 's16', bits: 16, signed: true },
  u8: { name: 'u8', bits: 8, signed: false }, s8: { name: 's8', bits: 8, signed: true },
} satisfies Record<string, CT>;
const OPERAND_TYPES: CT[] = [T.u64, T.s64, T.u32, T.s32, T.u8, T.s8];
const ALL_TYPES: CT[] = [T.u64, T.s64, T.u32, T.s32, T.u16, T.s16, T.u8, T.s8];

const P = (n: number) => 2n ** BigInt(n);
/** Values around every boundary the representation has: 2^31, 2^32, 2^53, 2^63, 2^64, kernel VAs. */
const EDGES: bigint[] = [
  0n, 1n, 2n, 3n, 7n, -1n, -2n, 127n, 128n, 255n, 256n, 0x7fffn, 0x8000n, 0xffffn,
  P(31) - 1n, P(31), P(31) + 1n, -P(31), -P(31) - 1n, P(32) - 1n, P(32), P(32) + 1n,
  P(48), -P(48), P(52) + 3n, P(53) - 1n, P(53), P(53) + 1n, -(P(53) - 1n), -P(53), -P(53) - 1n,
  P(63) - 1n, P(63), P(63) + 1n, P(64) - 1n, P(64) - P(32), 0xffff_0000_8000_1000n, 0xffff_8000_0000_0000n,
  0x1234_5678_9abc_def0n, 0x8000_0000_0000_0001n,
];

const wrap = (v: bigint, t: CT) => (t.signed ? BigInt.asIntN(t.bits, v) : BigInt.asUintN(t.bits, v));
const promote = (t: CT): CT => (t.bits < 32 ? T.s32 : t);
/** The usual arithmetic conversions: same width -> unsigned wins; else the wider type. */
function common(a: CT, b: CT): CT {
  const x = promote(a);
  const y = promote(b);
  if (x.bits === y.bits) return x.signed ? y : x;
  return x.bits > y.bits ? x : y;
}
const valuesOf = (t: CT) => [...new Set(EDGES.map((v) => wrap(v, t)))];
/** A C constant expression of type t with value v. */
const lit = (v: bigint, t: CT) => `(${t.name})0x${BigInt.asUintN(64, v).toString(16)}ULL`;
const u64hex = (v: bigint) => `0x${BigInt.asUintN(64, v).toString(16)}`;

/** Reads `n` elements of type t of a global array, from the emulator's memory. */
function readArray(r: CRun, name: string, t: CT, n: number): bigint[] {
  const ref = r.evaluate(name).memoryReference;
  assert.ok(ref, `${name} has a memory reference`);
  const size = t.bits / 8;
  const bytes = r.rmm.st.memory.read(Number(BigInt(ref)), n * size);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    const u = size === 8 ? dv.getBigUint64(i * 8, true) : BigInt(size === 4 ? dv.getUint32(i * 4, true) : size === 2 ? dv.getUint16(i * 2, true) : dv.getUint8(i));
    out.push(wrap(u, t));
  }
  return out;
}

/** Compares actual and expected element by element, reporting the first few mismatches with their inputs. */
function assertValues(what: string, actual: bigint[], expected: (bigint | undefined)[], label: (k: number) => string): void {
  const bad: string[] = [];
  for (let k = 0; k < expected.length; k++) {
    const e = expected[k];
    if (e !== undefined && actual[k] !== e) bad.push(`${label(k)}: got ${actual[k]} (${u64hex(actual[k])}), want ${e} (${u64hex(e)})`);
  }
  assert.deepEqual(bad.slice(0, 8), [], `${what}: ${bad.length} wrong results`);
}

type Bin = (x: bigint, y: bigint) => bigint | undefined;
const BINARY: { name: string; op: string; f: Bin; guard?: boolean }[] = [
  { name: 'add', op: '+', f: (x, y) => x + y },
  { name: 'sub', op: '-', f: (x, y) => x - y },
  { name: 'mul', op: '*', f: (x, y) => x * y },
  { name: 'div', op: '/', f: (x, y) => (y === 0n ? undefined : x / y), guard: true },
  { name: 'mod', op: '%', f: (x, y) => (y === 0n ? undefined : x % y), guard: true },
  { name: 'and', op: '&', f: (x, y) => x & y },
  { name: 'or', op: '|', f: (x, y) => x | y },
  { name: 'xor', op: '^', f: (x, y) => x ^ y },
];
const COMPARE: { name: string; op: string; f: (x: bigint, y: bigint) => boolean }[] = [
  { name: 'lt', op: '<', f: (x, y) => x < y }, { name: 'le', op: '<=', f: (x, y) => x <= y },
  { name: 'gt', op: '>', f: (x, y) => x > y }, { name: 'ge', op: '>=', f: (x, y) => x >= y },
  { name: 'eq', op: '==', f: (x, y) => x === y }, { name: 'ne', op: '!=', f: (x, y) => x !== y },
];

/** Every binary operator, comparison and compound assignment on all value pairs of (ta, tb). */
async function checkPair(ta: CT, tb: CT): Promise<void> {
  const av = valuesOf(ta);
  const bv = valuesOf(tb);
  const ct = common(ta, tb);
  const n = av.length * bv.length;
  const decls = [
    `${ta.name} a[${av.length}] = { ${av.map((v) => lit(v, ta)).join(', ')} };`,
    `${tb.name} b[${bv.length}] = { ${bv.map((v) => lit(v, tb)).join(', ')} };`,
    ...BINARY.map((o) => `${ct.name} r_${o.name}[${n}];`),
    ...BINARY.map((o) => `${ta.name} q_${o.name}[${n}];`),
    ...COMPARE.map((o) => `int c_${o.name}[${n}];`),
  ];
  const body = [
    ...BINARY.map((o) => (o.guard ? `if (y != 0) r_${o.name}[k] = x ${o.op} y;` : `r_${o.name}[k] = x ${o.op} y;`)),
    ...BINARY.map((o) => `t = x; ${o.guard ? 'if (y != 0) ' : ''}t ${o.op}= y; q_${o.name}[k] = t;`),
    ...COMPARE.map((o) => `c_${o.name}[k] = x ${o.op} y;`),
  ];
  const src = `${decls.join('\n')}
void scenario(void)
{
	int i, j, k;
	for (i = 0; i < ${av.length}; i++)
		for (j = 0; j < ${bv.length}; j++) {
			${ta.name} x = a[i], t;
			${tb.name} y = b[j];
			k = i * ${bv.length} + j;
			${body.join('\n\t\t\t')}
		}
}
`;
  const r = await run(src);
  const label = (k: number) => `(${ta.name})${u64hex(av[Math.floor(k / bv.length)])} op (${tb.name})${u64hex(bv[k % bv.length])}`;
  const pairs = av.flatMap((x) => bv.map((y) => [wrap(x, ct), wrap(y, ct)] as const));
  for (const o of BINARY) {
    const want = pairs.map(([x, y]) => { const v = o.f(x, y); return v === undefined ? (o.guard ? 0n : undefined) : wrap(v, ct); });
    assertValues(`${ta.name} ${o.op} ${tb.name} (in ${ct.name})`, readArray(r, `r_${o.name}`, ct, n), want, (k) => label(k).replace(' op ', ` ${o.op} `));
    const wantQ = pairs.map(([x, y], k) => { const v = o.f(x, y); return v === undefined ? av[Math.floor(k / bv.length)] : wrap(v, ta); });
    assertValues(`${ta.name} ${o.op}= ${tb.name}`, readArray(r, `q_${o.name}`, ta, n), wantQ, (k) => label(k).replace(' op ', ` ${o.op}= `));
  }
  for (const o of COMPARE) {
    const want = pairs.map(([x, y]) => (o.f(x, y) ? 1n : 0n));
    assertValues(`${ta.name} ${o.op} ${tb.name} (in ${ct.name})`, readArray(r, `c_${o.name}`, T.s32, n), want, (k) => label(k).replace(' op ', ` ${o.op} `));
  }
}

describe('64-bit machine values: binary operators', () => {
  for (const ta of OPERAND_TYPES) {
    it(`${ta.name} with every operand type: + - * / % & | ^, compound assignment, comparisons`, async () => {
      for (const tb of OPERAND_TYPES) await checkPair(ta, tb);
    });
  }
});

const SHIFTS = [0, 1, 2, 7, 8, 12, 31, 32, 33, 47, 48, 52, 53, 54, 62, 63];

describe('64-bit machine values: shifts', () => {
  for (const ta of OPERAND_TYPES) {
    it(`${ta.name} << and >> by every count in range (arithmetic for signed)`, async () => {
      const pt = promote(ta);
      const av = valuesOf(ta);
      const counts = SHIFTS.filter((s) => s < pt.bits);
      const n = av.length * counts.length;
      const r = await run(`${ta.name} a[${av.length}] = { ${av.map((v) => lit(v, ta)).join(', ')} };
int s[${counts.length}] = { ${counts.join(', ')} };
${pt.name} r_shl[${n}], r_shr[${n}], r_shl64[${n}];
${ta.name} q_shl[${n}], q_shr[${n}];
void scenario(void)
{
	int i, j, k;
	for (i = 0; i < ${av.length}; i++)
		for (j = 0; j < ${counts.length}; j++) {
			${ta.name} x = a[i], t;
			u64 c = s[j];
			k = i * ${counts.length} + j;
			r_shl[k] = x << s[j];
			r_shr[k] = x >> s[j];
			r_shl64[k] = x << c;
			t = x; t <<= s[j]; q_shl[k] = t;
			t = x; t >>= c; q_shr[k] = t;
		}
}
`);
      const label = (k: number) => `(${ta.name})${u64hex(av[Math.floor(k / counts.length)])} by ${counts[k % counts.length]}`;
      const ins = av.flatMap((x) => counts.map((c) => [wrap(x, pt), BigInt(c)] as const));
      const shl = ins.map(([x, c]) => wrap(x << c, pt));
      const shr = ins.map(([x, c]) => wrap(x >> c, pt));
      assertValues(`${ta.name} <<`, readArray(r, 'r_shl', pt, n), shl, label);
      assertValues(`${ta.name} >>`, readArray(r, 'r_shr', pt, n), shr, label);
      assertValues(`${ta.name} << u64 count`, readArray(r, 'r_shl64', pt, n), shl, label);
      assertValues(`${ta.name} <<=`, readArray(r, 'q_shl', ta, n), shl.map((v) => wrap(v, ta)), label);
      assertValues(`${ta.name} >>=`, readArray(r, 'q_shr', ta, n), shr.map((v) => wrap(v, ta)), label);
    });
  }

  it('a shift count out of range stops the run with a clear error', async () => {
    for (const [type, count] of [['u64', 64], ['s64', -1], ['u32', 32]] as const) {
      const r = await load(`${type} g = 1; int n = ${count};\nvoid scenario(void)\n{\n\tg = g << n;\n}\n`);
      r.runToEnd();
      assert.match(r.error?.message ?? 'no error', /shift count -?\d+ is out of range/, `${type} << ${count}`);
      assert.equal(r.error?.range.line, 4);
    }
  });
});

/** Constants as C writes them (their type follows C's rules for literals). */
const CONSTS: { text: string; type: CT; v: bigint }[] = [
  { text: '1', type: T.s32, v: 1n }, { text: '0xff', type: T.s32, v: 0xffn }, { text: '0xfff', type: T.s32, v: 0xfffn },
  { text: '0x7fffffff', type: T.s32, v: P(31) - 1n }, { text: '-1', type: T.s32, v: -1n }, { text: '0xffffffffu', type: T.u32, v: P(32) - 1n },
  { text: '0xffffffffULL', type: T.u64, v: P(32) - 1n }, { text: '0xfffffffffffff000ULL', type: T.u64, v: P(64) - 4096n },
  { text: '(1ULL << 53)', type: T.u64, v: P(53) }, { text: '-4096LL', type: T.s64, v: -4096n },
];

describe('64-bit machine values: operators with a constant operand', () => {
  for (const ta of OPERAND_TYPES) {
    it(`${ta.name} op constant (masks, shifts by constant counts, offsets)`, async () => {
      const av = valuesOf(ta);
      const pt = promote(ta);
      const ops = BINARY.filter((o) => !o.guard);
      const cases = CONSTS.flatMap((c) => ops.map((o) => ({ c, o, ct: common(ta, c.type) })));
      const shifts = SHIFTS.filter((n) => n < pt.bits).flatMap((n) => [{ n, left: true }, { n, left: false }]);
      const r = await run(`${ta.name} a[${av.length}] = { ${av.map((v) => lit(v, ta)).join(', ')} };
${cases.map((x, i) => `${x.ct.name} r${i}[${av.length}];`).join('\n')}
${shifts.map((_, i) => `${pt.name} sh${i}[${av.length}];`).join('\n')}
void scenario(void)
{
	int i;
	for (i = 0; i < ${av.length}; i++) {
		${ta.name} x = a[i];
${cases.map((x, i) => `\t\tr${i}[i] = x ${x.o.op} ${x.c.text};`).join('\n')}
${shifts.map((x, i) => `\t\tsh${i}[i] = x ${x.left ? '<<' : '>>'} ${x.n};`).join('\n')}
	}
}
`);
      const label = (k: number) => `(${ta.name})${u64hex(av[k])}`;
      for (const [i, x] of cases.entries()) {
        const want = av.map((v) => wrap(x.o.f(wrap(v, x.ct), wrap(x.c.v, x.ct))!, x.ct));
        assertValues(`${ta.name} ${x.o.op} ${x.c.text}`, readArray(r, `r${i}`, x.ct, av.length), want, label);
      }
      for (const [i, x] of shifts.entries()) {
        const want = av.map((v) => wrap(x.left ? wrap(v, pt) << BigInt(x.n) : wrap(v, pt) >> BigInt(x.n), pt));
        assertValues(`${ta.name} ${x.left ? '<<' : '>>'} ${x.n}`, readArray(r, `sh${i}`, pt, av.length), want, label);
      }
    });
  }
});

describe('64-bit machine values: unary operators, conversions, ++ and --', () => {
  for (const ta of ALL_TYPES) {
    it(`${ta.name}: - ~ ! and casts to every width and signedness`, async () => {
      const av = valuesOf(ta);
      const pt = promote(ta);
      const n = av.length;
      const r = await run(`${ta.name} a[${n}] = { ${av.map((v) => lit(v, ta)).join(', ')} };
${pt.name} r_neg[${n}], r_not[${n}];
int r_lnot[${n}];
${ALL_TYPES.map((u) => `${u.name} r_to_${u.name}[${n}], r_via_${u.name}[${n}];`).join('\n')}
bool r_bool[${n}];
${ta.name} r_inc[${n}], r_dec[${n}], r_pinc[${n}], r_old[${n}], m_inc[${n}], m_dec[${n}];
void scenario(void)
{
	int i;
	for (i = 0; i < ${n}; i++) {
		${ta.name} x = a[i], t;
		r_neg[i] = -x;
		r_not[i] = ~x;
		r_lnot[i] = !x;
		r_bool[i] = x;
${ALL_TYPES.map((u) => `\t\tr_to_${u.name}[i] = (${u.name})x;\n\t\t{ ${u.name} v = x; r_via_${u.name}[i] = v; }`).join('\n')}
		t = x; t++; r_inc[i] = t;
		t = x; t--; r_dec[i] = t;
		t = x; r_pinc[i] = ++t;
		t = x; r_old[i] = t--;
		m_inc[i] = a[i]; m_inc[i]++;
		m_dec[i] = a[i]; --m_dec[i];
	}
}
`);
      const label = (k: number) => `(${ta.name})${u64hex(av[k])}`;
      assertValues(`-(${ta.name})`, readArray(r, 'r_neg', pt, n), av.map((v) => wrap(-v, pt)), label);
      assertValues(`~(${ta.name})`, readArray(r, 'r_not', pt, n), av.map((v) => wrap(~v, pt)), label);
      assertValues(`!(${ta.name})`, readArray(r, 'r_lnot', T.s32, n), av.map((v) => (v === 0n ? 1n : 0n)), label);
      assertValues(`(bool)(${ta.name})`, readArray(r, 'r_bool', T.u8, n), av.map((v) => (v === 0n ? 0n : 1n)), label);
      for (const u of ALL_TYPES) {
        assertValues(`(${u.name})(${ta.name})`, readArray(r, `r_to_${u.name}`, u, n), av.map((v) => wrap(v, u)), label);
        assertValues(`${u.name} = (${ta.name})`, readArray(r, `r_via_${u.name}`, u, n), av.map((v) => wrap(v, u)), label);
      }
      assertValues(`${ta.name}++`, readArray(r, 'r_inc', ta, n), av.map((v) => wrap(v + 1n, ta)), label);
      assertValues(`${ta.name}--`, readArray(r, 'r_dec', ta, n), av.map((v) => wrap(v - 1n, ta)), label);
      assertValues(`++${ta.name}`, readArray(r, 'r_pinc', ta, n), av.map((v) => wrap(v + 1n, ta)), label);
      assertValues(`${ta.name}-- (old value)`, readArray(r, 'r_old', ta, n), av, label);
      assertValues(`${ta.name}++ in memory`, readArray(r, 'm_inc', ta, n), av.map((v) => wrap(v + 1n, ta)), label);
      assertValues(`--${ta.name} in memory`, readArray(r, 'm_dec', ta, n), av.map((v) => wrap(v - 1n, ta)), label);
    });
  }

  it('switch on 64-bit values picks the case with exactly that value', async () => {
    const cases = [0n, 1n, -1n, P(53), P(53) + 1n, -P(53) - 1n, P(63), P(63) - 1n, P(64) - 2n, 0xffff_0000_8000_1000n];
    const inputs = [...cases, 2n, P(53) - 1n, P(63) + 1n, 0xffff_0000_8000_1001n];
    const r = await run(`u64 in[${inputs.length}] = { ${inputs.map((v) => lit(v, T.u64)).join(', ')} };
int out[${inputs.length}];
s64 sin[${inputs.length}] = { ${inputs.map((v) => lit(v, T.s64)).join(', ')} };
int sout[${inputs.length}];
void scenario(void)
{
	int i;
	for (i = 0; i < ${inputs.length}; i++) {
		switch (in[i]) {
${cases.map((c, k) => `\t\tcase ${u64hex(c)}ULL: out[i] = ${k + 1}; break;`).join('\n')}
		default: out[i] = -1;
		}
		switch (sin[i]) {
${cases.map((c, k) => `\t\tcase (s64)${u64hex(c)}ULL: sout[i] = ${k + 1}; break;`).join('\n')}
		default: sout[i] = -1;
		}
	}
}
`);
    const want = inputs.map((v) => { const k = cases.indexOf(v); return BigInt(k < 0 ? -1 : k + 1); });
    assertValues('switch (u64)', readArray(r, 'out', T.s32, inputs.length), want, (k) => u64hex(inputs[k]));
    assertValues('switch (s64)', readArray(r, 'sout', T.s32, inputs.length), want, (k) => u64hex(inputs[k]));
  });

  it('passes 64-bit values to C functions and returns them, through locals and pointers', async () => {
    const vals = valuesOf(T.u64);
    const r = await run(`u64 in[${vals.length}] = { ${vals.map((v) => lit(v, T.u64)).join(', ')} };
u64 r_id[${vals.length}], r_ptr[${vals.length}], r_fp[${vals.length}];
s64 r_s[${vals.length}];
u32 r_lo[${vals.length}];
static u64 id(u64 v) { return v; }
static s64 neg(s64 v) { return -v; }
static u32 lo(u64 v) { return v; }
static void put(u64 *dst, u64 v) { *dst = v; }
typedef u64 (*u64_fn)(u64);
void scenario(void)
{
	u64_fn f = id;
	int i;
	for (i = 0; i < ${vals.length}; i++) {
		r_id[i] = id(in[i]);
		r_s[i] = neg(in[i]);
		r_lo[i] = lo(in[i]);
		put(&r_ptr[i], in[i]);
		r_fp[i] = f(in[i]);
	}
}
`);
    const label = (k: number) => u64hex(vals[k]);
    assertValues('id(u64)', readArray(r, 'r_id', T.u64, vals.length), vals, label);
    assertValues('neg(s64)', readArray(r, 'r_s', T.s64, vals.length), vals.map((v) => wrap(-v, T.s64)), label);
    assertValues('lo(u64) -> u32', readArray(r, 'r_lo', T.u32, vals.length), vals.map((v) => wrap(v, T.u32)), label);
    assertValues('*p = u64', readArray(r, 'r_ptr', T.u64, vals.length), vals, label);
    assertValues('(*f)(u64)', readArray(r, 'r_fp', T.u64, vals.length), vals, label);
  });
});

const PAGE_OFFSET = 0xffff_0000_0000_0000n;

describe('64-bit machine values: pointers in the linear map', () => {
  it('pointer arithmetic, differences and comparisons on kernel virtual addresses', async () => {
    const base = PAGE_OFFSET + 0x8000_1000n;
    const r = await run(`u64 r[16];
s64 d[8];
int c[16];
void scenario(void)
{
	u64 *p = (u64 *)0x${base.toString(16)}ULL;
	u64 *q = p + 512;
	char *b = (char *)p;
	char *top = (char *)0xffffffffffffff00ULL;
	void *lo = (void *)0x1000;
	void *hi = (void *)0x8000000000000000ULL;
	long k = -3;
	unsigned long big = 0x10000000000ULL;
	r[0] = (u64)(p + 1);
	r[1] = (u64)(p - 1);
	r[2] = (u64)(q - 512);
	r[3] = (u64)(b + big);
	r[4] = (u64)(p + k);
	r[5] = (u64)&p[7];
	r[6] = (u64)(top + 0xff);
	r[7] = (u64)(top + 0x100);        /* wraps to 0 */
	r[8] = (u64)((char *)hi - 1);
	r[9] = (uintptr_t)p - ${PAGE_OFFSET}ULL;
	r[10] = (u64)(phys_addr_t)virt_to_phys(p);
	r[11] = (u64)phys_to_virt(0x80002000ULL);
	r[12] = (u64)(b + 1 - 1 + 4095);
	r[13] = (u64)&((u64 *)0)[3];
	p++; r[14] = (u64)p; p -= 2; r[15] = (u64)p;
	d[0] = q - p;
	d[1] = p - q;
	d[2] = (char *)q - b;
	d[3] = top - b;
	d[4] = b - top;
	d[5] = (char *)hi - (char *)lo;
	d[6] = (u64 *)hi - (u64 *)lo;
	d[7] = &p[5] - &p[2];
	c[0] = p < q; c[1] = q < p; c[2] = p <= p; c[3] = p != q;
	c[4] = (void *)b < lo; c[5] = lo < (void *)b;     /* unsigned: a kernel VA is above 0x1000 */
	c[6] = hi < (void *)b; c[7] = (void *)top > hi;
	c[8] = p == (u64 *)0x${(base - 8n).toString(16)}ULL; c[9] = !p; c[10] = !(void *)0;
	c[11] = p ? 1 : 2; c[12] = (char *)p > top; c[13] = (uintptr_t)p > 0x7fffffffffffffffULL;
	c[14] = (long)p < 0; c[15] = (void *)b >= (void *)b;
}
`);
    const p0 = base;
    const top = 0xffff_ffff_ffff_ff00n;
    const u = (v: bigint) => BigInt.asUintN(64, v);
    assert.deepEqual(readArray(r, 'r', T.u64, 16).map(u64hex), [
      p0 + 8n, p0 - 8n, p0, p0 + 0x100_0000_0000n, p0 - 24n, p0 + 56n, top + 0xffn, 0n, P(63) - 1n,
      0x8000_1000n, 0x8000_1000n, PAGE_OFFSET + 0x8000_2000n, p0 + 4095n, 24n, p0 + 8n, p0 - 8n,
    ].map((v) => u64hex(u(v))));
    const p = p0 - 8n;
    const q = p0 + 512n * 8n;
    assert.deepEqual(readArray(r, 'd', T.s64, 8), [
      (q - p) / 8n, (p - q) / 8n, q - p0, BigInt.asIntN(64, top - p0), BigInt.asIntN(64, p0 - top),
      BigInt.asIntN(64, P(63) - 0x1000n), BigInt.asIntN(64, P(63) - 0x1000n) / 8n, 3n,
    ]);
    assert.deepEqual(readArray(r, 'c', T.s32, 16).map((v, i) => `c[${i}] = ${v}`), [1n, 0n, 1n, 1n, 0n, 1n, 1n, 1n, 1n, 0n, 1n, 1n, 0n, 1n, 1n, 1n].map((v, i) => `c[${i}] = ${v}`));
  });

  it('loads and stores through linear-map pointers of every width', async () => {
    await expectAll(`
	u8 *page = (u8 *)get_zeroed_page(GFP_KERNEL);
	u64 *q = (u64 *)(page + 64);
	s64 *sq = (s64 *)(page + 128);
	u32 *w = (u32 *)(page + 256);
	q[0] = 0xffffffffffffffffULL; q[1] = 1ULL << 53; q[2] = (1ULL << 53) + 1; q[3] = 0x8000000000000000ULL;
	sq[0] = -1; sq[1] = -(1LL << 53) - 1; sq[2] = 0x7fffffffffffffffLL;
	expect(q[0] == ~0ULL && q[0] + 1 == 0);
	expect(q[1] + 1 == q[2] && q[2] - q[1] == 1);
	expect(q[3] >> 63 == 1 && (s64)q[3] < 0 && (s64)q[3] >> 63 == -1);
	expect(sq[0] == -1 && (u64)sq[0] == q[0]);
	expect(sq[1] + 1 == -(1LL << 53) && sq[1] < -(1LL << 53));
	expect(sq[2] + 1 == (s64)q[3]);
	expect(w[0] == 0 && page[64] == 0xff && page[64 + 8 + 6] == 0x20);
	w[1] = 0xdeadbeef;
	expect(((u64 *)w)[0] == 0xdeadbeef00000000ULL);
	/* Values that straddle a page boundary, in the static data (globals span pages). */
	u8 *x = (u8 *)((((unsigned long)cross + 4096) & ~4095UL) - 3);
	*(u64 *)x = 0x8877665544332211ULL;
	expect(x[0] == 0x11 && x[2] == 0x33 && x[3] == 0x44 && x[7] == 0x88);
	expect(*(u64 *)x == 0x8877665544332211ULL && *(s64 *)x < 0 && *(u32 *)(x + 1) == 0x55443322);
	*(s32 *)(x + 2) = -2;
	expect(*(u32 *)(x + 2) == 0xfffffffe && *(s16 *)(x + 2) == -2 && *(u16 *)(x + 4) == 0xffff && x[6] == 0x77);
	*(u64 *)(x + 1) = 1ULL << 53;
	expect(*(u64 *)(x + 1) == 1ULL << 53 && x[7] == 0x20 && x[0] == 0x11);
	expect(*(s8 *)&page[64] == -1 && *(s16 *)&page[64] == -1 && *(s32 *)&page[64] == -1);
	expect(*(u16 *)&page[64 + 8 + 6] == 0x20 && *(u32 *)&page[64 + 8 + 4] == 0x200000);
`, 'u8 cross[8192];');
  });
});

describe('64-bit machine values at the boundary to intrinsics, printk and the debugger', () => {
  it('rmi_call passes each register as the C value converted to unsigned long', async () => {
    const regs = [P(64) - 1n, P(63), P(53) + 1n, P(53), -P(53) - 1n, 0xffff_0000_8000_1000n];
    const r = await run(`u64 g[6] = { ${regs.map((v) => lit(v, T.u64)).join(', ')} };
s32 neg = -2; u32 u = 0xfffffffe; s8 c = -128; u8 b = 255; s64 s = -9007199254740993LL;
unsigned long ret;
void scenario(void)
{
	void *p = phys_to_virt(0x80001000);
	rmi_call(0xc40001ff, g[0], g[1], g[2], g[3], g[4], g[5]);
	rmi_call(0xc40001ff, neg, u, c, b, s, (unsigned long)p);
	ret = rmi_call(0xc40001ff, g[0] + 1, g[2] - 1, g[1] >> 1, -1, 1ULL << 63);
}
`);
    const u = (v: bigint) => BigInt.asUintN(64, v);
    assert.equal(r.calls.length, 3);
    assert.deepEqual(r.calls[0].args, regs.map(u));
    assert.deepEqual(r.calls[1].args, [u(-2n), 0xffff_fffen, u(-128n), 255n, u(-P(53) - 1n), PAGE_OFFSET + 0x8000_1000n]);
    assert.deepEqual(r.calls[2].args, [0n, P(53), P(62), u(-1n), P(63), 0n]);
    // The unknown FID's status comes back in X0 and through the call's unsigned long result.
    assert.equal(globalNum(r, 'ret'), r.calls[2].ret[0]);
    assert.equal(r.calls[2].ret[0], u(-1n));
  });

  it('intrinsic results keep their width: rmi_last, virt_to_phys, page_to_phys', async () => {
    await expectAll(`
	unsigned long r = rmi_call(0xc40001ff, 0);
	void *v = phys_to_virt(0x80003000);
	expect(r == 0xffffffffffffffffULL && (long)r == -1);
	expect(rmi_last.x0 == r && rmi_last.x0 + 1 == 0);
	expect((unsigned long)v == 0xffff000080003000ULL);
	expect(virt_to_phys(v) == 0x80003000 && virt_to_phys((char *)v + 8) - virt_to_phys(v) == 8);
	expect((unsigned long)v >> 48 == 0xffff && ((unsigned long)v & 0xffffffff) == 0x80003000);
`);
  });

  it('printk prints 64-bit values with %lx %llx %llu %lld %pa', async () => {
    const vals = [0n, 1n, -1n, P(31), P(32) - 1n, P(53) - 1n, P(53), P(53) + 1n, -P(53) - 1n, P(63) - 1n, P(63), 0xffff_0000_8000_1000n];
    const r = await run(`u64 g[${vals.length}] = { ${vals.map((v) => lit(v, T.u64)).join(', ')} };
void scenario(void)
{
	int i;
	for (i = 0; i < ${vals.length}; i++) {
		phys_addr_t pa = g[i];
		s64 s = g[i];
		printk("%lx %llx %llu %lld %pa %ld %d %u %x\\n", g[i], g[i], g[i], s, &pa, (long)g[i], (int)g[i], (unsigned int)g[i], (u32)(g[i] >> 32));
	}
}
`);
    const want = vals.map((v) => {
      const uv = BigInt.asUintN(64, v);
      const sv = BigInt.asIntN(64, v);
      return `${uv.toString(16)} ${uv.toString(16)} ${uv} ${sv} 0x${uv.toString(16).padStart(16, '0')} ${sv} ${BigInt.asIntN(32, v)} ${BigInt.asUintN(32, v)} ${(uv >> 32n).toString(16)}`;
    });
    assert.deepEqual(r.output.map((o) => o.text), want);
  });

  it('globals and struct fields of each width read back through evaluate() and globalValue()', async () => {
    const cases: [CT, bigint][] = [
      [T.u64, P(64) - 1n], [T.u64, P(53) + 1n], [T.u64, 0xffff_0000_8000_1000n], [T.s64, -P(63)], [T.s64, -P(53) - 1n], [T.s64, P(63) - 1n],
      [T.u32, P(32) - 1n], [T.s32, -P(31)], [T.u16, 0xfffen], [T.s16, -2n], [T.u8, 0x80n], [T.s8, -128n],
    ];
    const fields = cases.map(([t], i) => `\t${t.name} f${i};`).join('\n');
    const r = await run(`struct all {\n${fields}\n} s, *ps = &s;
${cases.map(([t], i) => `${t.name} g${i};`).join('\n')}
u64 src[${cases.length}] = { ${cases.map(([, v]) => lit(v, T.u64)).join(', ')} };
void scenario(void)
{
${cases.map((_, i) => `\tg${i} = src[${i}];\n\ts.f${i} = src[${i}];`).join('\n')}
}
`);
    /** The debugger's rendering (variables.ts): hex for unsigned values from 0x10000 on. */
    const shown = (t: CT, v: bigint) => (!t.signed && v >= 0x10000n ? u64hex(v) : v.toString());
    for (const [i, [t, v]] of cases.entries()) {
      const want = wrap(v, t);
      assert.equal(globalNum(r, `g${i}`), want, `globalValue(g${i}) (${t.name})`);
      assert.equal(r.evaluate(`g${i}`).value, shown(t, want), `evaluate(g${i})`);
      assert.equal(r.evaluate(`s.f${i}`).value, shown(t, want), `evaluate(s.f${i})`);
      assert.equal(r.evaluate(`ps->f${i}`).value, shown(t, want), `evaluate(ps->f${i})`);
      // The evaluator's own arithmetic: in the promoted type, wrapped.
      const pt = promote(t);
      assert.equal(r.evaluate(`g${i} + 1`).value, shown(pt, wrap(want + 1n, pt)), `evaluate(g${i} + 1)`);
      assert.equal(r.evaluate(`(u64)g${i} >> 1`).value, shown(T.u64, wrap(want, T.u64) >> 1n), `evaluate((u64)g${i} >> 1)`);
      assert.equal(r.evaluate(`g${i} < 0`).value, want < 0n ? '1' : '0', `evaluate(g${i} < 0)`);
      assert.equal(r.evaluate(`g${i} == s.f${i}`).value, '1', `evaluate(g${i} == s.f${i})`);
    }
    const children = r.evaluate('s').children!();
    assert.deepEqual(children.map((c) => c.value), cases.map(([t, v]) => shown(t, wrap(v, t))));
  });

  it('the debugger evaluator follows the usual arithmetic conversions on 64-bit values', async () => {
    const r = await run(`u64 big = 0xffffffffffffffffULL; s64 neg = -1; u32 u = 0xffffffff; s32 i = -1;
unsigned long va = 0xffff000080001000ULL;
void scenario(void) { }
`);
    const ev = (e: string) => r.evaluate(e).value;
    assert.equal(ev('neg < big'), '0');       /* -1 converts to ULLONG_MAX */
    assert.equal(ev('neg == big'), '1');
    assert.equal(ev('i < u'), '0');
    assert.equal(ev('neg < u'), '1');         /* s64 holds every u32 */
    assert.equal(ev('big + 1'), '0');
    assert.equal(ev('big / 3'), u64hex((P(64) - 1n) / 3n));
    assert.equal(ev('neg / 3'), '0');
    assert.equal(ev('(s64)big >> 60'), '-1');
    assert.equal(ev('va - 0xffff000000000000ULL'), u64hex(0x8000_1000n));
    assert.equal(ev('(va >> 12) & 0xf'), '1');
    assert.equal(ev('(u64 *)va + 0x10'), u64hex(0xffff_0000_8000_1080n));
    assert.equal(ev('(u64 *)va - (u64 *)0xffff000080000000ULL'), String(0x1000 / 8));
    assert.equal(ev('(u64 *)va > (u64 *)0x1000'), '1');
  });
});
