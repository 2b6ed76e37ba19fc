// Runs C snippets through the whole pipeline (preprocess, tree-sitter, check, machine, emulator)
// for the language and run tests.
import assert from 'node:assert/strict';
import { createRun, formatDiagnostic, type RunImpl, type RunOptions } from '../../../src/run';

export type CRun = Awaited<ReturnType<typeof createRun>>;

/** Compiles `source`; does not run it. */
export async function load(source: string, opts: Partial<RunOptions> = {}): Promise<CRun> {
  return createRun({ file: 'test.realm.c', source, ...opts });
}

/** Compiles and runs to the end; fails the test on a compile or runtime error. */
export async function run(source: string, opts: Partial<RunOptions> = {}): Promise<CRun> {
  const r = await load(source, opts);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map(formatDiagnostic), [], 'compiles without errors');
  r.runToEnd();
  await sameInBothTiers(r, source, opts);
  assert.equal(r.error && formatDiagnostic(r.error), undefined, 'runs without a runtime error');
  return r;
}

/** What a user sees of a finished run: steps, output, expectations, every RMI call, the error. */
export function observable(r: CRun): unknown {
  return {
    steps: r.steps,
    error: r.error && formatDiagnostic(r.error),
    output: r.output.map((o) => o.text),
    expectations: r.expectations.map((e) => [e.range.line, e.passed, e.message]),
    calls: r.calls.map((c) => [c.name, c.args, c.ret, c.step, c.range.line, c.range.column, c.entryLine]),
  };
}

/**
 * Every run to the end through these helpers runs twice: in the JS tier (the default) and in
 * the interpreter, and what a user sees must be the same; so every language test checks both.
 */
export async function sameInBothTiers(r: CRun, source: string, opts: Partial<RunOptions>): Promise<void> {
  if (opts.tier) return;
  const slow = await load(source, { ...opts, tier: 'interpreter' });
  slow.runToEnd();
  assert.deepEqual(observable(r), observable(slow), 'the JS tier and the interpreter agree');
}

/** Runs a scenario body and asserts every expect() in it passed (listing the failures). */
export async function expectAll(body: string, prelude = '', opts: Partial<RunOptions> = {}): Promise<CRun> {
  const r = await run(`${prelude}\nvoid scenario(void)\n{\n${body}\n}\n`, opts);
  const failed = r.expectations.filter((e) => !e.passed).map((e) => `line ${e.range.line - prelude.split('\n').length - 2}: ${e.message}`);
  assert.deepEqual(failed, [], 'every expectation passes');
  assert.ok(r.expectations.length > 0, 'the snippet checked something');
  return r;
}

/** The compile errors of a source as `line:col message` strings. */
export async function errorsOf(source: string, opts: Partial<RunOptions> = {}): Promise<string[]> {
  const r = await load(source, opts);
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.line}:${d.range.column} ${d.message}`);
}

export function globalNum(r: RunImpl, name: string): bigint {
  const v = r.globalValue(name);
  assert.notEqual(v, undefined, `global ${name} exists`);
  return v!;
}
