// editor.completion_ms and editor.hover_ms (goal <= 30 ms each): what the editor's completion and
// hover providers compute (src/extension/language), on the largest example (the one whose run
// compiles the most C: scenario plus host code). Each sample is the first request after a fresh
// run, so it includes building the per-program tables (completion entries, symbol index) that
// every edit invalidates: the cost a user sees after typing, not a warm cache.
import fs from 'node:fs';
import path from 'node:path';
import { completionsAt } from '../../src/extension/language/completion';
import { hoverAt } from '../../src/extension/language/hover';
import type { SymbolQuery } from '../../src/extension/language/query';
import { createRun, type RunOptions } from '../../src/run';

type Report = (name: string, value: number, unit: string) => void;

const EXAMPLES = path.resolve(__dirname, '../../../examples');

async function largestExample(): Promise<RunOptions> {
  let best: { opts: RunOptions; size: number } | undefined;
  for (const f of fs.readdirSync(EXAMPLES).filter((n) => n.endsWith('.realm.c'))) {
    const file = path.join(EXAMPLES, f);
    const opts: RunOptions = { file, source: fs.readFileSync(file, 'utf8'), readFile: () => undefined };
    const run = await createRun(opts);
    let size = 0;
    for (const s of run.compiled.files.values()) size += s.text.length;
    if (run.program && (!best || size > best.size)) best = { opts, size };
  }
  if (!best) throw new Error('no example compiled');
  return best.opts;
}

export async function editorLatency(report: Report, median: (xs: number[]) => number): Promise<void> {
  const opts = await largestExample();
  const lines = opts.source.split('\n');
  // Hover: a use of a local inside scenario() (the last line naming `kvm`, else any identifier).
  let hoverLine = -1;
  lines.forEach((l, i) => { if (/\bkvm\b/.test(l) && !l.trim().startsWith('*')) hoverLine = i; });
  if (hoverLine < 0) throw new Error('the largest example has no `kvm` to hover');
  // Completion: at the start of the last statement line of scenario(), every name is offered.
  const body = lines.lastIndexOf('}');
  const completionLine = body - 1;
  const completion: number[] = [];
  const hover: number[] = [];
  for (let i = 0; i < 25; i++) {
    const run = await createRun(opts); // untimed: a fresh program, as after an edit
    const q: SymbolQuery = { program: run.program, files: run.compiled.files, file: opts.file, text: opts.source, line: completionLine + 1, column: 1, scenarioFile: opts.file };
    let t0 = performance.now();
    const items = completionsAt(q, run.profile);
    const c = performance.now() - t0;
    t0 = performance.now();
    const h = hoverAt({ ...q, line: hoverLine + 1, column: lines[hoverLine].search(/\bkvm\b/) + 2 }, run.profile);
    const hv = performance.now() - t0;
    if (items.length < 100 || !h?.markdown.includes('kvm')) throw new Error(`editor benchmark: ${items.length} completions, hover ${h?.markdown}`);
    if (i >= 5) {
      completion.push(c);
      hover.push(hv);
    }
  }
  report('editor.completion_ms', median(completion), 'ms');
  report('editor.hover_ms', median(hover), 'ms');
}
