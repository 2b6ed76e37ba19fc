import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectAll, run } from './helpers/c-run';

describe('C structs, unions, arrays and pointers', () => {
  it('lays structs out with natural alignment (sizeof and offsetof)', async () => {
    await expectAll(`
	expect(sizeof(struct a) == 16 && offsetof(struct a, l) == 8);
	expect(sizeof(struct b) == 6 && offsetof(struct b, s) == 2 && offsetof(struct b, c2) == 4);
	expect(sizeof(struct c) == 12 && offsetof(struct c, inner) == 4 && offsetof(struct c, tail) == 10);
	expect(sizeof(union u) == 8);
	expect(sizeof(struct withunion) == 16 && offsetof(struct withunion, flags) == 0 && offsetof(struct withunion, after) == 8);
	expect(sizeof(struct arr) == 40 && offsetof(struct arr, v) == 8);
	expect(sizeof(u64 *) == 8 && sizeof(char) == 1 && sizeof(short) == 2 && sizeof(long) == 8 && sizeof(long long) == 8);
	expect(sizeof(struct spec_layout) == 0x1000);
	expect(offsetof(struct spec_layout, vmid) == 0x800 && offsetof(struct spec_layout, rtt_level_start) == 0x810);
`, `
struct a { char c; long l; };
struct b { char c; short s; char c2; };
struct c { int i; struct b inner; u8 tail; };
union u { u8 bytes[5]; u64 word; };
struct withunion { union { u64 flags; u8 pad[3]; }; u32 after; };
struct arr { u32 n; u64 v[4]; };
struct spec_layout {
	union { struct { u64 flags; u64 s2sz; }; u8 pad0[0x800]; };
	u64 vmid;
	u64 rtt_base;
	s64 rtt_level_start;
	u8 pad1[0x1000 - 0x818];
};`);
  });

  it('reads and writes members through . and -> and anonymous unions', async () => {
    await expectAll(`
	struct outer o;
	struct outer *p = &o;
	memset(&o, 0, sizeof(o));
	o.a = 1;
	p->in.x = 2;
	p->word = 0x0102030405060708ULL;
	expect(o.in.x == 2 && (&o)->a == 1);
	expect(o.bytes[0] == 8 && o.bytes[7] == 1);
	p->in.y[1] = 9;
	expect(o.in.y[1] == 9 && *(&o.in.y[0] + 1) == 9);
`, `
struct inner { int x; int y[2]; };
struct outer { int a; struct inner in; union { u64 word; u8 bytes[8]; }; };`);
  });

  it('does pointer arithmetic in units of the pointee', async () => {
    await expectAll(`
	u64 arr[8];
	u64 *p = arr;
	u64 *q = &arr[5];
	u8 *b = (u8 *)arr;
	int i;
	for (i = 0; i < 8; i++)
		arr[i] = i * 10;
	expect(*(p + 3) == 30 && p[7] == 70 && 3[p] == 30);
	expect(q - p == 5 && p - q == -5);
	expect((u8 *)q - b == 40);
	p += 2;
	expect(*p == 20);
	p++;
	expect(*p++ == 30 && *p == 40);
	expect(--p == &arr[3]);
	expect(p > arr && p < q && p != q);
	expect((unsigned long)(p + 1) - (unsigned long)p == 8);
`);
  });

  it('initialises with designators, nested lists and brace elision', async () => {
    await expectAll(`
	struct cfg c = { .name = "rd", .pages = { [2] = 7, [0] = 1 }, .inner.y = 5, 6 };
	struct cfg d = { "x", { 1, 2, 3, 4 }, { 8, 9 } };
	int grid[2][3] = { 1, 2, 3, 4, 5, 6 };
	int sized[] = { 1, 2, 3 };
	char s[] = "abc";
	struct cfg z = { 0 };
	expect(c.pages[0] == 1 && c.pages[1] == 0 && c.pages[2] == 7 && c.pages[3] == 0);
	expect(c.inner.x == 0 && c.inner.y == 5 && c.last == 6);
	expect(c.name[0] == 'r' && c.name[1] == 'd' && c.name[2] == 0);
	expect(d.name[0] == 'x' && d.pages[3] == 4 && d.inner.x == 8 && d.inner.y == 9);
	expect(grid[1][0] == 4 && grid[0][2] == 3 && sizeof(grid) == 24);
	expect(sizeof(sized) == 12 && sized[2] == 3);
	expect(sizeof(s) == 4 && s[2] == 'c' && s[3] == 0);
	expect(z.pages[3] == 0 && z.last == 0);
	expect(gcfg.pages[1] == 3 && gcfg.inner.y == 4 && gptr == &gcfg.pages[1] && *gptr == 3);
	expect(strcmp(gname, "realm") == 0 && names[1][0] == 'b');
`, `
struct pt { int x; int y; };
struct cfg { char name[8]; int pages[4]; struct pt inner; int last; };
struct cfg gcfg = { .pages[1] = 3, .inner = { .y = 4 } };
int *gptr = &gcfg.pages[1];
const char *gname = "realm";
const char *names[] = { "a", "b" };`);
  });

  it('copies structs by assignment, as arguments and as return values', async () => {
    await expectAll(`
	struct pair a = { 1, 2 };
	struct pair b;
	struct pair c;
	b = a;
	a.lo = 100;
	expect(b.lo == 1 && b.hi == 2);
	c = swap(b);
	expect(c.lo == 2 && c.hi == 1 && b.lo == 1);
	expect(sum(c) == 3);
	expect(swap(swap(a)).lo == 100);
	c = (struct pair){ .hi = 5 };
	expect(c.lo == 0 && c.hi == 5);
`, `
struct pair { u64 lo; u64 hi; };
static struct pair swap(struct pair p) { struct pair r = { p.hi, p.lo }; p.lo = 99; return r; }
static u64 sum(struct pair p) { return p.lo + p.hi; }`);
  });

  it('puts C data in emulated memory: a struct written by C is seen at its offsets by the RMM', async () => {
    const r = await run(`
struct params { u64 a; u8 pad[0x7f8]; u64 b; };
phys_addr_t where;
void scenario(void)
{
	struct params *p = (void *)get_zeroed_page(GFP_KERNEL);
	p->a = 0x1111;
	p->b = 0x2222;
	where = virt_to_phys(p);
}`);
    const pa = r.globalValue('where')!;
    const bytes = r.rmm.memory.read(pa, 0x808);
    const dv = new DataView(bytes.buffer);
    assert.equal(dv.getBigUint64(0, true), 0x1111n);
    assert.equal(dv.getBigUint64(0x800, true), 0x2222n);
  });

  it('self-referential structs: a linked list built and walked in C', async () => {
    await expectAll(`
	struct item nodes[4];
	struct item *head = NULL;
	int i, sum = 0;
	for (i = 0; i < 4; i++) {
		nodes[i].value = i + 1;
		nodes[i].next = head;
		head = &nodes[i];
	}
	for (struct item *p = head; p; p = p->next)
		sum = sum * 10 + p->value;
	expect(sum == 4321);
	expect(head->next->next->value == 2);
`, 'struct item { int value; struct item *next; };');
  });

  it('calls through function pointers', async () => {
    await expectAll(`
	int (*op)(int, int) = add;
	struct ops o = { .fn = mul };
	expect(op(2, 3) == 5 && (*op)(2, 3) == 5);
	expect(o.fn(4, 5) == 20);
	expect(apply(add, 1, 1) == 2);
`, `
static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }
struct ops { int (*fn)(int, int); };
static int apply(int (*f)(int, int), int a, int b) { return f(a, b); }`);
  });
});
