import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorsOf, load } from './helpers/c-run';

const fn = (body: string, prelude = '') => `${prelude}\nvoid scenario(void)\n{\n${body}\n}\n`;

describe('the checker reports errors like a compiler (line:column message)', () => {
  it('unknown identifiers and undeclared functions', async () => {
    assert.deepEqual(await errorsOf(fn('\tint a = 1;\n\ta = b + 1;')), ["5:6 use of undeclared identifier 'b'"]);
    assert.deepEqual(await errorsOf(fn('\tundefined_fn(1);')), ["4:2 call to undeclared function 'undefined_fn' (implicit declarations are not allowed in C99 and later)"]);
  });

  it('wrong argument counts', async () => {
    assert.deepEqual(await errorsOf(fn('\tf(1);\n\tf(1, 2, 3);', 'static int f(int a, int b) { return a + b; }')), [
      "4:2 too few arguments to function 'f': expected 2, have 1",
      "5:2 too many arguments to function 'f': expected 2, have 3",
    ]);
    assert.deepEqual(await errorsOf(fn('\trmi_call();')), ["4:2 too few arguments to function 'rmi_call': expected at least 1, have 0"]);
  });

  it('unknown struct fields, and . on a pointer', async () => {
    assert.deepEqual(await errorsOf(fn('\tstruct s v;\n\tstruct s *p = &v;\n\tv.y = 1;\n\tp->z = 2;\n\tp.x = 3;', 'struct s { int x; };')), [
      "6:4 'struct s' has no member named 'y'",
      "7:5 'struct s' has no member named 'z'",
      "8:2 the left side of '.' must be a struct or union, not 'struct s *' (did you mean '->'?)",
    ]);
  });

  it('bad types: calling a non-function, dereferencing a non-pointer, incomplete types', async () => {
    assert.deepEqual(await errorsOf(fn('\tint a = 1;\n\tint *p = &a;\n\ta();\n\t*a = 2;\n\tp = p * 2;\n\tstruct nope n;')), [
      "6:2 called object 'a' is not a function or function pointer (it has type 'int')",
      "7:2 cannot dereference a value of type 'int': it is not a pointer",
      "8:6 the left operand of '*' must be an integer, not 'int *'",
      "9:14 variable 'n' has an incomplete type 'struct nope'",
    ]);
    assert.deepEqual(await errorsOf(fn('\tunknown_t v;')), ["4:2 unknown type name 'unknown_t'"]);
    assert.deepEqual(await errorsOf(fn('', 'struct s { int a; };\nunion s { int b; };')), ["2:1 's' defined as the wrong kind of tag"]);
    assert.deepEqual(await errorsOf(fn('\tstruct s v = 1;', 'struct s { int x; };')), ["4:15 cannot initialise 'struct s' with a value of type 'int'"]);
  });

  it('duplicate definitions: globals, functions, members, locals, case values, labels', async () => {
    const src = 'int g;\nint g = 1;\nint g = 2;\nstatic int f(void) { return 0; }\nstatic int f(void) { return 1; }\nstruct s { int a; int a; };\n' +
      'void scenario(void)\n{\n\tint x = 0;\n\tint x;\n\tswitch (x) { case 1: case 1: break; }\nl: l: ;\n}\n';
    assert.deepEqual(await errorsOf(src), [
      "3:5 redefinition of 'g' (previous definition at test.realm.c:2)",
      "5:12 redefinition of 'f' (previous definition at test.realm.c:4)",
      "6:23 duplicate member 'a'",
      "10:6 redefinition of 'x'",
      "11:23 duplicate case value '1' (previously used at line 11)",
      "12:4 redefinition of label 'l' (first defined at line 12)",
    ]);
  });

  it('misplaced statements, bad returns, unknown labels, conflicting prototypes', async () => {
    assert.deepEqual(await errorsOf(fn('\tbreak;\n\tgoto nowhere;\n\treturn 1;')), [
      "4:2 'break' statement not in a loop or switch statement",
      "6:9 void function 'scenario' should not return a value",
      "5:2 use of undeclared label 'nowhere'",
    ]);
    assert.deepEqual(await errorsOf('int f(int);\nlong f(int x) { return x; }\nvoid scenario(void) {}\n'), [
      "2:6 conflicting types for 'f': 'long (int)' here, 'int (int)' at test.realm.c:1",
    ]);
  });

  it('linking: a declared function nobody defines, a missing entry point', async () => {
    assert.deepEqual(await errorsOf(fn('\tmissing(1);', 'void missing(int);')), ["4:2 undefined reference to 'missing': it is declared but no definition was found"]);
    assert.deepEqual(await errorsOf('int x;\n'), ["1:1 no entry function: define 'void scenario(void)' in the scenario"]);
  });

  it('syntax errors come from tree-sitter ERROR and MISSING nodes, at their position', async () => {
    const missing = await errorsOf(fn('\tint a = 1;\n\ta = a + 1\n\ta++;'));
    assert.deepEqual(missing, ["5:11 expected ';' after '1'"]);
    assert.deepEqual(await errorsOf(fn('\tf(1, 2;', 'static void f(int a, int b) {}')), ["4:8 expected ')'"]);
    const unexpected = await errorsOf(fn('\tint a = 1;\n\ta = * / 2;'));
    assert.equal(unexpected.length, 1);
    assert.match(unexpected[0], /^5:\d+ syntax error: unexpected/);
  });

  it('preprocessor errors: missing includes, macro argument counts, #error, unterminated #if', async () => {
    assert.deepEqual(await errorsOf('#include "nothere.h"\nvoid scenario(void) {}\n'), ["1:10 'nothere.h' file not found"]);
    assert.deepEqual(await errorsOf('#define F(a, b) ((a) + (b))\n' + fn('\tint x = F(1);')), ["5:10 macro 'F' takes 2 arguments, but 1 was given"]);
    assert.deepEqual(await errorsOf('#error stop here\nvoid scenario(void) {}\n'), ['1:2 #error stop here']);
    assert.deepEqual(await errorsOf('#ifdef X\nvoid scenario(void) {}\n'), ['1:2 unterminated #ifdef']);
  });

  it('an error inside a macro expansion points at the macro use; an error in an included file at that file', async () => {
    assert.deepEqual(await errorsOf('#define USE_BAD() (bad_name + 1)\n' + fn('\tint x = USE_BAD();')), ["5:10 use of undeclared identifier 'bad_name'"]);
    const files: Record<string, string> = { 'dir/helper.h': 'static int helper(void)\n{\n\treturn oops;\n}\n' };
    const r = await load('#include "helper.h"\nvoid scenario(void) { helper(); }\n', { file: 'dir/main.realm.c', readFile: (p) => files[p] });
    assert.deepEqual(r.diagnostics.map((d) => `${d.range.file}:${d.range.line}:${d.range.column} ${d.message}`), ["dir/helper.h:3:9 use of undeclared identifier 'oops'"]);
  });

  it('warns (but runs) on what GCC only warns about', async () => {
    const r = await load(fn('\tint *p;\n\tlong v = 0;\n\tp = v;\n\tv = p;'));
    assert.deepEqual(r.diagnostics.map((d) => `${d.severity} ${d.range.line}:${d.range.column} ${d.message}`), [
      'warning 6:2 assignment makes pointer from integer without a cast',
      'warning 7:2 assignment makes integer from pointer without a cast',
    ]);
    assert.equal(r.finished, false, 'a program with only warnings can run');
  });
});
