import { describe, it } from 'node:test';
import { expectAll } from './helpers/c-run';

describe('C control flow', () => {
  it('runs if/else chains, while, do-while and for with break and continue', async () => {
    await expectAll(`
	int i, n = 0, evens = 0, k = 0;
	for (i = 0; i < 10; i++) {
		if (i == 7)
			break;
		if (i % 2)
			continue;
		evens++;
	}
	expect(i == 7 && evens == 4);
	while (n < 100)
		n = n * 2 + 1;
	expect(n == 127);
	do { k++; } while (k < 0);
	expect(k == 1);
	for (int j = 0, m = 10; j < m; j += 3, m--)
		k += j;
	expect(k == 1 + 0 + 3 + 6);
	if (k > 100) k = 0; else if (k > 5) k = -1; else k = 1;
	expect(k == -1);
`);
  });

  it('switch: cases, fall-through, default anywhere, nested break', async () => {
    await expectAll(`
	expect(classify(0) == 10 && classify(1) == 11 && classify(2) == 11 && classify(3) == 30);
	expect(classify(-5) == 99 && classify(100) == 1000);
	expect(status_name(RMI_ERROR_INPUT) == 1 && status_name(RMI_SUCCESS) == 0 && status_name(RMI_BUSY) == -1);
`, `
static int classify(int v)
{
	int r = 0;
	switch (v) {
	default:
		r = 99;
		break;
	case 0:
		r = 10;
		break;
	case 1:
	case 2:
		r = 11;
		break;
	case 3: {
		int j;
		for (j = 0; j < 10; j++)
			if (j == 3)
				break;   /* leaves the loop, not the switch */
		r = j * 10;
		break;
	}
	case 100:
		r = 1000;
	}
	return r;
}
static int status_name(unsigned long status)
{
	switch (RMI_RETURN_STATUS(status)) {
	case RMI_SUCCESS: return 0;
	case RMI_ERROR_INPUT: return 1;
	}
	return -1;
}`);
  });

  it('goto: forward error paths and backward loops', async () => {
    await expectAll(`
	expect(create(0) == 0 && undone == 0);
	expect(create(1) == -12 && undone == 1);
	expect(create(2) == -6 && undone == 3);
	expect(count_to(5) == 5);
`, `
int undone;
static int create(int fail_at)
{
	int r;
	undone = 0;
	if (fail_at == 1) { r = -ENOMEM; goto out_free; }
	if (fail_at == 2) { r = -ENXIO; goto out_undelegate; }
	return 0;
out_undelegate:
	undone += 2;
out_free:
	undone += 1;
	return r;
}
static int count_to(int n)
{
	int i = 0;
again:
	i++;
	if (i < n)
		goto again;
	return i;
}`);
  });

  it('recursion, short-circuit evaluation and the comma operator', async () => {
    await expectAll(`
	int calls = 0;
	expect(fib(15) == 610);
	expect(fact(20) == 2432902008176640000ULL);
	if (0 && bump(&calls)) {}
	if (1 || bump(&calls)) {}
	expect(calls == 0);
	if (1 && bump(&calls)) {}
	expect(calls == 1);
	expect((bump(&calls), bump(&calls), calls) == 3);
`, `
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static u64 fact(u64 n) { return n <= 1 ? 1 : n * fact(n - 1); }
static int bump(int *c) { return ++*c; }`);
  });

  it('function-like and object-like macros expand like a preprocessor does', async () => {
    await expectAll(`
	int x = 3;
	expect(SQUARE(x + 1) == 16);
	expect(MAX3(1, 7, 3) == 7);
	expect(ALIGN(0x1001, PAGE_SIZE) == 0x2000 && IS_ALIGNED(0x3000, PAGE_SIZE));
	expect(BIT(12) == 4096 && ARRAY_SIZE(table) == 3);
	expect(CAT(x, y) == 42);
	expect(STR(hello)[0] == 'h' && sizeof(STR(hello)) == 6);
	expect(COUNT() == 1 && COUNT(7) == 2 && COUNT(1, 2, 3) == 4 && FIRST(5, 6, 7) == 5);
	expect(VERSION >= 2);
	expect(MODE == 2);
`, `
#define SQUARE(v) ((v) * (v))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MAX3(a, b, c) MAX(MAX(a, b), c)
#define CAT(a, b) a##b
#define STR(s) #s
#define COUNT(...) (sizeof((int[]){ 0, ##__VA_ARGS__ }) / sizeof(int))
#define FIRST(a, ...) a
#define VERSION 2
#if VERSION >= 2 && defined(VERSION)
#define MODE 2
#elif VERSION == 1
#define MODE 1
#else
#error "no version"
#endif
#ifdef NOT_DEFINED
#error "not reached"
#endif
int xy = 42;
int table[] = { 1, 2, 3 };`);
  });
});
