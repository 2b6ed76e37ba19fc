// Human-readable output of the CLI: a run report and a sweep result as lines of text. Pure
// functions of the JSON-able reports, so that the text and the --json output never disagree.
import type { PointResult, RunReport, SweepResult } from '../run';

const where = (x: { file: string; line: number }) => `${x.file}:${x.line}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `#3 RMI_GRANULE_DELEGATE(0x80001000) -> RMI_SUCCESS  file:line`, plus why a failing call failed. */
export function formatCall(c: RunReport['rmiCalls'][number]): string[] {
  const out = [`#${c.seq} ${c.name}(${c.args.join(', ')}) -> ${c.status}${c.index ? ` (index ${c.index})` : ''}  ${where(c)}`];
  if (c.fault) out.push(`    injected fault: ${c.fault}`);
  else if (c.failingCheck) out.push(`    failing check: ${c.failingCheck}`);
  for (const f of c.findings) out.push(`    ${f.kind}: ${f.message}`);
  return out;
}

/** The whole text report of a run. */
export function formatRun(r: RunReport): string {
  const lines: string[] = [`${r.file}: RMM ${r.profile}, host ${r.hostVariant}`];
  for (const c of r.rmiCalls) lines.push(...formatCall(c));
  for (const o of r.output) lines.push(`printk: ${o.text}  ${where(o)}`);
  for (const w of r.warnings) lines.push(w.text);
  const failed = r.expectations.filter((e) => !e.passed);
  for (const e of failed) lines.push(`${where(e)}: expectation failed: ${e.message}`);
  for (const l of r.leaks) lines.push(`leak: ${l.message}${l.cause ? ` [${l.cause.name} at ${where(l.cause)}]` : ''}`);
  if (r.error) lines.push(`${r.error.file}:${r.error.line}:${r.error.column}: error: ${r.error.message}`);
  lines.push(summary(r));
  return lines.join('\n');
}

function summary(r: RunReport): string {
  const parts = [plural(r.rmiCalls.length, 'RMI call'), `${r.expectations.length - r.expectations.filter((e) => !e.passed).length}/${r.expectations.length} expectations passed`];
  parts.push(r.leaks.length ? plural(r.leaks.length, 'leaked granule') : 'no leak');
  if (r.warnings.length) parts.push(plural(r.warnings.length, 'WARN'));
  if (r.error) parts.push('stopped on an error');
  return `${r.ok ? 'ok' : 'FAILED'}: ${parts.join(', ')}`;
}

/** What went wrong at one point, in one line. */
export function pointProblems(p: PointResult): string {
  const parts: string[] = [];
  if (p.leaks.length) parts.push(plural(p.leaks.length, 'leaked granule'));
  if (p.findings.length) parts.push(p.findings.map((f) => f.kind).filter((k, i, a) => a.indexOf(k) === i).join(', '));
  if (p.warnings.length) parts.push(plural(p.warnings.length, 'WARN'));
  if (p.failedExpectations.length) parts.push(plural(p.failedExpectations.length, 'failed expectation'));
  if (p.error) parts.push(`error: ${p.error.message}`);
  return parts.join(', ');
}

/** The text report of a sweep: the failing points with their details, then a summary. */
export function formatSweep(s: SweepResult): string {
  const lines: string[] = [`${s.file}: RMM ${s.profile}, host ${s.hostVariant}, fault sweep`];
  if (!s.clean.ok) lines.push(`the clean run fails:`, ...formatRun(s.clean).split('\n').map((l) => `  ${l}`));
  for (const p of s.points) {
    if (p.ok) continue;
    lines.push(`${p.label}  ${where(p.call)}: ${pointProblems(p)}${p.fired ? '' : ' (the fault never fired)'}`);
    for (const f of p.findings) lines.push(`    #${f.seq} ${f.kind}: ${f.message}`);
    for (const w of p.warnings) lines.push(`    ${w.text}`);
    for (const e of p.failedExpectations) lines.push(`    ${where(e)}: expectation failed: ${e.message}`);
    for (const l of p.leaks) lines.push(`    leak: ${l.message}`);
  }
  const bad = s.points.filter((p) => !p.ok).length;
  const shard = s.shard ? ` (shard ${s.shard.index}/${s.shard.count} of ${s.totalPoints})` : '';
  const tail = s.cancelled ? ', cancelled' : '';
  lines.push(`${s.ok ? 'ok' : 'FAILED'}: ${plural(s.points.length, 'point')}${shard}, ${bad} with problems${tail}`);
  return lines.join('\n');
}
