import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectAll, load, run } from './helpers/c-run';

describe('more of C', () => {
  it('static locals keep their value between calls; enums, typedefs and string escapes', async () => {
    await expectAll(`
	counter(); counter();
	expect(counter() == 3);
	expect(RED == 0 && GREEN == 5 && BLUE == 6 && sizeof(enum color) == 4);
	enum color c = BLUE;
	expect(c == 6);
	pair_t p = { 1, 2 };
	handle_t h = &p;
	expect(h->b == 2 && sizeof(pair_t) == 8);
	expect("\\x41\\101\\n"[0] == 'A' && "\\x41\\101\\n"[1] == 'A' && "\\x41\\101\\n"[2] == 10);
	expect(sizeof("abc" "def") == 7 && "abc" "def"[3] == 'd');
	char ch = 200;
	expect(ch == 200);   /* plain char is unsigned on arm64 */
	signed char sc = 200;
	expect(sc == -56);
`, `
static int counter(void) { static int n; return ++n; }
enum color { RED, GREEN = 5, BLUE };
typedef struct pair { int a; int b; } pair_t;
typedef pair_t *handle_t;`);
  });

  it('passes many arguments, mixes widths, and converts pointers to integers and back', async () => {
    await expectAll(`
	expect(many(1, 2, 3, 4, 5, 6, 7, 8, 9, 10) == 55);
	u64 va = (u64)&buf[3];
	u8 *back = (u8 *)va;
	*back = 7;
	expect(buf[3] == 7 && (unsigned long)(buf + 3) == va);
	expect((phys_addr_t)virt_to_phys(buf) + 3 == virt_to_phys(back));
	u8 *q = buf + 4;
	expect(q[-1] == 7 && *(q - 1) == 7);
	int n = 0;
	sizeof(n++);
	expect(n == 0);   /* sizeof does not evaluate its operand */
`, `
u8 buf[8];
static long many(char a, short b, int c, long d, u8 e, u16 f, u32 g, u64 h, s8 i, s64 j)
{
	return a + b + c + d + e + f + g + h + i + j;
}`);
  });

  it('converts arguments that are calls themselves to the parameters\' types', async () => {
    // Arguments with calls in them go through the operand stack (not CALLD): narrowed on the way in.
    await expectAll(`
	expect(mixed(inner(300), inner(-5), inner(2) + 0xfffffffffffffff0UL, inner(0), inner(65536)) == 45 * 1000000L - 40 + 3 + 1 + 7);
	expect(mixed(inner(-2), inner(0x7fffffff), 0, inner(-1), inner(-2)) == 255 * 1000000L - 10 * 2147483648L + 0 + 0 + 0xffff); /* char is unsigned on AArch64 */
`, `
static int inner(int x) { return x + 1; }
static long mixed(char c, int i, unsigned long u, bool b, u16 h)
{
	return c * 1000000L + i * 10L + (long)(u & 7) + b + (h == 1 ? 7 : h);
}`);
  });

  it('reads a page the RMM scrubbed as zero, and pages it left alone as they were', async () => {
    // The machine caches pages across RMI calls; a call that wipes one (undelegate) must be seen.
    await expectAll(`
	expect(kvm_init_rmi() == 0);
	unsigned long *p = (unsigned long *)__get_free_page(GFP_KERNEL);
	unsigned long *q = (unsigned long *)__get_free_page(GFP_KERNEL);
	p[0] = 0x1234; p[511] = 0x5678; q[7] = 99;
	expect(p[0] == 0x1234 && q[7] == 99);
	expect(rmi_delegate_page(virt_to_phys(p)) == 0);
	expect(q[7] == 99);              /* a call that replaced no page: the cache may keep q */
	expect(rmi_undelegate_page(virt_to_phys(p)) == 0);
	expect(p[0] == 0 && p[511] == 0); /* scrubbed */
	expect(q[7] == 99);
	p[3] = 5;
	expect(p[3] == 5 && p[0] == 0);
`);
  });

  it('uses the RunOptions faults of a launch configuration', async () => {
    const src = `u64 ret;
void scenario(void)
{
	ret = rmi_call(RMI_GRANULE_DELEGATE, virt_to_phys((void *)__get_free_page(GFP_KERNEL)));
}`;
    const r = await run(src, { profile: '1.0', faults: [{ command: 'RMI_GRANULE_DELEGATE', nth: 1, status: 'RMI_ERROR_GRANULE' }] });
    assert.equal(r.globalValue('ret'), 16n);
    const bad = await load(src, { profile: '1.0', faults: [{ command: 'RMI_GRANULE_DELEGATE', status: 'NOT_A_STATUS' }] });
    assert.deepEqual(bad.diagnostics.map((d) => d.code), ['bad-fault']);
    assert.match(bad.diagnostics[0].message, /NOT_A_STATUS/);
  });

  it('rmi_last holds X0..X4 of the last call', async () => {
    await expectAll(`
	unsigned long ret = rmi_call(RMI_VERSION, 0x10000);
	expect(ret == rmi_last.x0);
	expect(rmi_last.x1 != 0 || rmi_last.x2 != 0);
	expect(rmi_call(0xC4000160UL) == 0xffffffffffffffffUL);   /* an FID no command has */
`, '', { profile: '1.0' });
  });
});
