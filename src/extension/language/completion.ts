// Completion entries: RMI command names, statuses and granule states (with their reference
// text), then the program's functions, globals, the enclosing function's locals and, after
// `.` or `->`, the members of the struct on the left. Pure, so the provider and the benchmark
// compute the same list; the RMI part is built once per profile, the program part once per run.
import { namedFields, typeName, type CType, type FuncSym, type Program } from '../../lang';
import { Fid, STATUS_NAMES, type Profile } from '../../rmm';
import { GRANULE_STATE_DOCS, RMI_COMMAND_DOCS, RMI_STATUS_DOCS } from '../reference/rmi-commands';
import { rmiMarkdown } from '../reference/rmi-markdown';
import { declaration, signature } from './c-declaration';
import { describeLocation } from './origin';
import { lineOf, type SymbolQuery } from './query';
import { enclosingFunction, resolveName } from './symbol-index';

export type EntryKind = 'rmi-command' | 'status' | 'granule-state' | 'function' | 'variable' | 'field' | 'enum';

export interface CompletionEntry {
  label: string;
  kind: EntryKind;
  detail: string;
  /** Markdown. */
  documentation?: string;
  sortText?: string;
}

const rmiEntries = new Map<Profile, CompletionEntry[]>();

/** RMI commands (the other profile's last), statuses and granule states. */
export function rmiCompletions(profile: Profile): CompletionEntry[] {
  let list = rmiEntries.get(profile);
  if (list) return list;
  list = [];
  for (const name of Object.keys(Fid)) {
    const d = RMI_COMMAND_DOCS[name];
    list.push({
      label: name, kind: 'rmi-command', detail: d ? `RMI command (RMM ${d.profiles.join(', ')})` : 'RMI command',
      documentation: rmiMarkdown(name, profile), sortText: d && !d.profiles.includes(profile) ? `~${name}` : undefined,
    });
  }
  for (const s of STATUS_NAMES) list.push({ label: s, kind: 'status', detail: 'RMI status', documentation: RMI_STATUS_DOCS[s] });
  for (const [state, text] of Object.entries(GRANULE_STATE_DOCS)) list.push({ label: `RMI_GRANULE_${state}`, kind: 'granule-state', detail: 'granule state', documentation: text });
  rmiEntries.set(profile, list);
  return list;
}

const programEntries = new WeakMap<Program, CompletionEntry[]>();

/** The program's file-scope names: functions with their signatures, globals, enum constants. */
export function programCompletions(program: Program, scenarioFile?: string): CompletionEntry[] {
  let list = programEntries.get(program);
  if (list) return list;
  list = [];
  for (const fn of program.functions) {
    if (!fn?.name) continue;
    list.push({ label: fn.name, kind: 'function', detail: signature(fn), documentation: functionDoc(fn, scenarioFile) });
  }
  for (const g of program.globals) {
    if (!g.sym.name.includes('.')) list.push({ label: g.sym.name, kind: 'variable', detail: declaration(g.sym.type, g.sym.name), documentation: `global variable, ${describeLocation(g.sym.range.file, g.sym.range.line, scenarioFile)}` });
  }
  for (const [name, s] of program.globalScope) {
    if (s.k === 'enum' && !/^RMI_(GRANULE_|ERROR_|SUCCESS)/.test(name)) list.push({ label: name, kind: 'enum', detail: `${name} = ${s.value}` });
  }
  programEntries.set(program, list);
  return list;
}

function functionDoc(fn: FuncSym, scenarioFile?: string): string {
  const where = describeLocation(fn.range.file, fn.range.line, scenarioFile);
  return fn.body ? `Defined in ${where}` : `Realm Lab intrinsic, declared in ${where}`;
}

/** Locals and parameters of the function around the position, declared before it. */
export function localCompletions(program: Program, file: string, line: number): CompletionEntry[] {
  const fn = enclosingFunction(program, file, line);
  if (!fn) return [];
  const seen = new Set<string>();
  const out: CompletionEntry[] = [];
  for (const v of [...fn.params, ...fn.locals]) {
    if (seen.has(v.name) || v.name.startsWith('<') || v.range.line > line) continue;
    seen.add(v.name);
    out.push({ label: v.name, kind: 'variable', detail: declaration(v.type, v.name), documentation: v.isParam ? `parameter of \`${fn.name}\`` : `local variable in \`${fn.name}\``, sortText: `!${v.name}` });
  }
  return out;
}

/** `a->b.c[i]->` before the cursor: the chain of names and operators, innermost last. */
const CHAIN = /([A-Za-z_]\w*(?:\s*\[[^\][]*\])*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*(?:\s*\[[^\][]*\])*)*)\s*(->|\.)\s*([A-Za-z_]\w*)?$/;

/** Members of the struct left of `.` / `->` at the position, or undefined when not after one. */
export function memberCompletions(q: SymbolQuery): CompletionEntry[] | undefined {
  const before = (lineOf(q.text, q.line) ?? '').slice(0, q.column - 1);
  const m = CHAIN.exec(before);
  if (!m || !q.program) return undefined;
  let t = chainType(q.program, q.file, q.line, m[1]);
  if (!t) return [];
  if (m[2] === '->') t = t.t === 'ptr' ? t.to : undefined;
  if (!t || t.t !== 'struct') return [];
  const owner = typeName(t);
  return namedFields(t.s).map((f) => ({ label: f.name, kind: 'field', detail: declaration(f.type, f.name), documentation: `member of \`${owner}\` at offset ${f.offset}` }));
}

/** The type of `a->b.c[i]`, resolving `a` in the enclosing function, then at file scope. */
function chainType(program: Program, file: string, line: number, chain: string): CType | undefined {
  const parts = chain.match(/[A-Za-z_]\w*|->|\.|\[[^\][]*\]/g) ?? [];
  const head = resolveName(program, file, line, parts[0] ?? '');
  let t: CType | undefined = head?.k === 'var' ? head.sym.type : undefined;
  for (let i = 1; t && i < parts.length; i++) {
    const p = parts[i];
    if (p.startsWith('[')) t = t.t === 'array' ? t.of : t.t === 'ptr' ? t.to : undefined;
    else if (p === '->' || p === '.') {
      const s: CType | undefined = p === '->' ? (t.t === 'ptr' ? t.to : undefined) : t;
      const field = s?.t === 'struct' ? namedFields(s.s).find((f) => f.name === parts[i + 1]) : undefined;
      t = field?.type;
      i++;
    }
  }
  return t;
}

/** Everything to offer at a position: members after `.`/`->`, else names, filtered by the typed prefix. */
export function completionsAt(q: SymbolQuery, profile: Profile = '2.0'): CompletionEntry[] {
  const members = memberCompletions(q);
  const prefix = /[A-Za-z_]\w*$/.exec((lineOf(q.text, q.line) ?? '').slice(0, q.column - 1))?.[0] ?? '';
  const all = members ?? [
    ...(q.program ? localCompletions(q.program, q.file, q.line) : []),
    ...rmiCompletions(profile),
    ...(q.program ? programCompletions(q.program, q.scenarioFile) : []),
  ];
  if (!prefix) return all;
  const upper = prefix.toUpperCase();
  const lower = prefix.toLowerCase();
  return all.filter((e) => e.label.startsWith(prefix) || e.label.includes(upper) || e.label.toLowerCase().includes(lower));
}
