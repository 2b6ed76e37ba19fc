import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorsOf, expectAll, load } from './helpers/c-run';

describe('the preprocessor', () => {
  it('evaluates #if expressions, #elif chains, defined(), #undef and #ifndef guards', async () => {
    await expectAll(`
	expect(A == 3 && B == 1 && C == 0 && D == 2);
	expect(GUARDED == 1);
`, `
#define ONE 1
#if ONE + 1 == 2 && (ONE << 4) == 16 && -1 < 0 && 0xffffffffffffffff > 0 && (5 / 2 == 2) && (ONE ? 1 : 0)
#define A 3
#else
#define A 0
#endif
#if defined NOPE || !defined(ONE)
#define B 0
#elif ONE > 5
#define B 0
#elif ONE
#define B 1
#endif
#undef ONE
#ifdef ONE
#define C 1
#else
#define C 0
#endif
#if UNDEFINED_NAME == 0
#define D 2
#endif
#ifndef G_H
#define G_H
#define GUARDED 1
#endif
#ifndef G_H
#define GUARDED 2
#endif`);
  });

  it('stringizes, pastes, rescans, and never expands a macro inside itself', async () => {
    await expectAll(`
	int self = 5;
	expect(self == 5);
	expect(strcmp(STR(a + "b\\n"), "a + \\"b\\\\n\\"") == 0);
	expect(strcmp(XSTR(VALUE), "42") == 0 && strcmp(STR(VALUE), "VALUE") == 0);
	expect(GLUE(12, 34) == 1234);
	expect(INDIRECT(3) == 9);
	expect(__LINE__ == 19);   /* its line in the whole file */
	expect(strcmp(__FILE__, "test.realm.c") == 0);
`, `
#define self self
#define STR(x) #x
#define XSTR(x) STR(x)
#define VALUE 42
#define GLUE(a, b) a ## b
#define SQ(x) ((x) * (x))
#define APPLY(f, v) f(v)
#define INDIRECT(v) APPLY(SQ, v)`);
  });

  it('#pragma once and include cycles terminate', async () => {
    const files: Record<string, string> = { 'a.h': '#pragma once\n#include "b.h"\nint from_a = 1;\n', 'b.h': '#include "a.h"\nint from_b = 2;\n' };
    const r = await load('#include "a.h"\n#include "a.h"\nvoid scenario(void) { expect(from_a + from_b == 3); }\n', { file: 'm.realm.c', readFile: (p) => files[p] });
    assert.deepEqual(r.diagnostics, []);
    const cyc: Record<string, string> = { 'x.h': '#include "x.h"\n' };
    const errs = await errorsOf('#include "x.h"\nvoid scenario(void) {}\n', { readFile: (p) => cyc[p] });
    assert.equal(errs.length, 1);
    assert.match(errs[0], /#include nested too deeply/);
  });

  it('reports columns in UTF-16 units after non-ASCII text', async () => {
    assert.deepEqual(await errorsOf('void scenario(void)\n{\n\tprintk("héllo → ✓"); oops;\n}\n'), ["3:23 use of undeclared identifier 'oops'"]);
  });

  it('warns about a conflicting redefinition but accepts an identical one', async () => {
    const r = await load('#define X 1\n#define X 1\n#define X 2\nvoid scenario(void) {}\n');
    assert.deepEqual(r.diagnostics.map((d) => `${d.severity} ${d.range.line}:${d.range.column} ${d.message}`), [
      "warning 3:9 'X' redefined (previous definition at test.realm.c:2)",
    ]);
  });
});
