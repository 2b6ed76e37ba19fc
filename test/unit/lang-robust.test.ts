// Parser robustness: random and mutated inputs never crash or hang the pipeline; broken inputs
// always get diagnostics, and whatever compiles runs to an end within its budget.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createRun } from '../../src/run';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCAB = [
  'int', 'void', 'struct', 'union', 'enum', 'u64', 'unsigned', 'long', 'char', 'static', 'const', 'typedef', 'if', 'else', 'for', 'while', 'do',
  'switch', 'case', 'default', 'break', 'continue', 'goto', 'return', 'sizeof', 'scenario', 'x', 'y', 'p', 'rmi_call', 'expect', 'RMI_SUCCESS',
  '0', '1', '42', '0xffffffffffffffff', '"s"', "'c'", '(', ')', '{', '}', '[', ']', ';', ',', '.', '->', '*', '&', '+', '-', '/', '%', '<<',
  '>>', '=', '==', '!=', '<', '>', '&&', '||', '!', '~', '?', ':', '++', '--', '+=', '#define', '#if', '#endif', '#include', '\n', '\\', '@', '##', '#',
];

const EXAMPLES = path.join(__dirname, '../../../examples');

interface Outcome { compiled: boolean; ran: boolean }

async function survive(source: string, label: string): Promise<Outcome> {
  let r;
  try {
    r = await createRun({ file: 'fuzz.realm.c', source, maxSteps: 20_000, maxMemoryBytes: 1 << 20 });
  } catch (e) {
    assert.fail(`${label}: createRun threw ${e instanceof Error ? e.stack : String(e)}\n--- input ---\n${source}`);
  }
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  for (const d of r.diagnostics) {
    assert.ok(d.range.line >= 1 && d.range.column >= 1 && d.message.length > 0, `${label}: a well-formed diagnostic`);
  }
  if (errors.length) {
    assert.equal(r.step(), false, `${label}: a program with errors does not run`);
    return { compiled: false, ran: false };
  }
  let steps = 0;
  try {
    while (r.step()) if (++steps > 30_000) assert.fail(`${label}: ran past its step budget`);
  } catch (e) {
    assert.fail(`${label}: step() threw ${e instanceof Error ? e.stack : String(e)}\n--- input ---\n${source}`);
  }
  assert.equal(r.finished, true);
  return { compiled: true, ran: true };
}

describe('parser robustness', () => {
  // A hang fails through the test's timeout; speed is not asserted here.
  it('random token soup: diagnostics, never a crash or a hang', { timeout: 120_000 }, async () => {
    const rand = rng(1234);
    let broken = 0;
    for (let n = 0; n < 200; n++) {
      const len = 1 + Math.floor(rand() * 120);
      const toks: string[] = [];
      for (let i = 0; i < len; i++) toks.push(VOCAB[Math.floor(rand() * VOCAB.length)]);
      const o = await survive(toks.join(' '), `soup #${n}`);
      if (!o.compiled) broken++;
    }
    assert.ok(broken >= 190, `almost every random soup is rejected (${broken}/200)`);
  });

  it('random characters, unterminated comments and strings, deep nesting', async () => {
    const rand = rng(99);
    for (let n = 0; n < 60; n++) {
      let s = '';
      const len = Math.floor(rand() * 300);
      for (let i = 0; i < len; i++) s += String.fromCharCode(rand() < 0.9 ? 32 + Math.floor(rand() * 95) : Math.floor(rand() * 0x3000));
      const o = await survive(s, `chars #${n}`);
      assert.equal(o.compiled, false);
    }
    for (const s of ['/* never closed', '"never closed', 'void scenario(void) { int x = ' + '('.repeat(3000) + '1' + ')'.repeat(3000) + '; }',
      'void scenario(void) { ' + '{'.repeat(2000) + '}'.repeat(2000) + ' }', '#if 1\n#if 0\n', '#define A B\n#define B A\nvoid scenario(void) { int A; }',
      '#include "fuzz.realm.c"\nvoid scenario(void) {}', 'void scenario(void) { for (;;); }', 'void scenario(void) { scenario(); }', '\0\0\0']) {
      await survive(s, JSON.stringify(s.slice(0, 40)));
    }
  });

  it('mutated examples (deleted, duplicated and swapped spans): never a crash or a hang', async () => {
    const rand = rng(7);
    const sources = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.realm.c')).map((f) => fs.readFileSync(path.join(EXAMPLES, f), 'utf8'));
    assert.ok(sources.length >= 2, 'the examples are there');
    let compiled = 0;
    for (let n = 0; n < 150; n++) {
      let s = sources[n % sources.length];
      for (let m = 0; m < 1 + Math.floor(rand() * 3); m++) {
        const a = Math.floor(rand() * s.length);
        const b = Math.min(s.length, a + Math.floor(rand() * 40));
        const kind = Math.floor(rand() * 4);
        if (kind === 0) s = s.slice(0, a) + s.slice(b);
        else if (kind === 1) s = s.slice(0, b) + s.slice(a, b) + s.slice(b);
        else if (kind === 2) s = s.slice(0, a) + VOCAB[Math.floor(rand() * VOCAB.length)] + s.slice(a);
        else {
          const lines = s.split('\n');
          const i = Math.floor(rand() * lines.length);
          const j = Math.floor(rand() * lines.length);
          [lines[i], lines[j]] = [lines[j], lines[i]];
          s = lines.join('\n');
        }
      }
      if ((await survive(s, `mutant #${n}`)).compiled) compiled++;
    }
    assert.ok(compiled > 0 && compiled < 150, `some mutants still compile and run, most do not (${compiled}/150)`);
  });
});
