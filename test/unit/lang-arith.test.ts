import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectAll, globalNum, run } from './helpers/c-run';

describe('C integer semantics', () => {
  it('applies the integer promotions and the usual arithmetic conversions', async () => {
    await expectAll(`
	u8 a = 200, b = 100;
	s8 c = -1;
	unsigned int u = 1;
	int i = -1;
	long l = -1;
	expect(a + b == 300);          /* u8 + u8 is computed in int */
	expect((u8)(a + b) == 44);     /* and wraps when stored back */
	expect(c < 0);
	expect(i < u == 0);            /* -1 converts to UINT_MAX */
	expect(l < u);                 /* long holds every unsigned int */
	expect(sizeof(a + b) == 4);
	expect(sizeof(u + l) == 8);
	expect(sizeof(1UL) == 8 && sizeof(1) == 4 && sizeof('a') == 4);
	expect(-1 > 0u);
	expect(0xffffffff > 0);        /* unsigned int literal */
	expect(sizeof(0x80000000) == 4 && sizeof(2147483648) == 8);
`);
  });

  it('wraps around at every width', async () => {
    await expectAll(`
	u8 a = 255; u16 b = 65535; u32 c = 0xffffffff; u64 d = ~0ULL;
	s8 e = 127; s16 f = 32767; int g = 2147483647; s64 h = 9223372036854775807LL;
	a++; b++; c++; d++;
	e++; f++; g++; h++;
	expect(a == 0 && b == 0 && c == 0 && d == 0);
	expect(e == -128 && f == -32768);
	expect(g == -2147483647 - 1);
	expect(h == -9223372036854775807LL - 1);
	expect((u32)-1 == 4294967295u);
	expect((u64)-1 == 18446744073709551615ULL);
	expect((s8)200 == -56 && (u8)-56 == 200 && (s16)0x18000 == -32768);
	expect((int)0x100000001ULL == 1);
	expect((u32)-1 * 2 == 0xfffffffeu && (u8)-1 + 1 == 256);  /* the cast binds tighter */
	expect((unsigned int)-2 / 2 == 2147483647);
	expect(0x7fffffff * 2 == -2);
	expect(0xffffffffu * 0xffffffffu == 1);
	expect(0xffffffffffffffffull * 3 == 0xfffffffffffffffdull);
`);
  });

  it('implements every operator', async () => {
    await expectAll(`
	int x = 7, y = -3;
	u64 big = 0x123456789abcdef0ULL;
	expect(x + y == 4 && x - y == 10 && x * y == -21);
	expect(x / y == -2 && x % y == 1 && y / x == 0 && -7 / 2 == -3 && -7 % 2 == -1);
	expect((x & 3) == 3 && (x | 8) == 15 && (x ^ 5) == 2 && ~x == -8);
	expect(x << 2 == 28 && -16 >> 2 == -4 && 0x80000000u >> 31 == 1);
	expect(big >> 32 == 0x12345678 && (u32)big == 0x9abcdef0u);
	expect(1UL << 63 == 0x8000000000000000UL);
	expect(!0 == 1 && !x == 0 && -x == -7 && +x == 7);
	expect((x > y) + (x >= 7) + (x < y) + (x <= 6) + (x == 7) + (x != 7) == 3);
	expect((0 && 1 / 0) == 0 && (1 || 1 / 0) == 1);
	expect((x ? 10 : 20) == 10 && (0 ? 10 : 20) == 20);
	expect((x = 3, x + 1) == 4);
	x = 10; x += 5; x -= 3; x *= 2; x /= 4; x %= 4; x <<= 3; x >>= 1; x |= 1; x &= 7; x ^= 2;
	expect(x == 3);                /* 15 12 24 6 2 16 8 9 1 3 */
	big += 0x10; big ^= 0xff;
	expect(big == 0x123456789abcdfffULL);
`);
  });

  it('pre/post increment and decrement return the right values', async () => {
    await expectAll(`
	int i = 5;
	int a = i++;
	int b = ++i;
	int c = i--;
	int d = --i;
	bool t = 0;
	t--;
	expect(a == 5 && b == 7 && c == 7 && d == 5 && i == 5);
	expect(t == 1);
`);
  });

  it('converts to bool as C does (any non-zero value is true)', async () => {
    await expectAll(`
	bool b = 256;
	bool p = (void *)0x1000;
	bool z = 0;
	expect(b == 1 && p == 1 && z == 0 && sizeof(bool) == 1);
`);
  });

  it('keeps 64-bit values exact (phys_addr_t, pointers)', async () => {
    const r = await run(`
phys_addr_t pa;
s64 neg;
unsigned long mask;
void scenario(void)
{
	pa = 0xffffffffffff0000ULL + 0x1234;
	neg = -(s64)0x7fffffffffffffffLL - 1;
	mask = GENMASK(47, 12);
}
`);
    assert.equal(globalNum(r, 'pa'), 0xffff_ffff_ffff_1234n);
    assert.equal(globalNum(r, 'neg'), -(2n ** 63n));
    assert.equal(globalNum(r, 'mask'), 0x0000_ffff_ffff_f000n);
  });
});
