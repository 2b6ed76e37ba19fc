// Hover text for a position in a scenario or host file: an RMI command, status or granule state
// (the reference), or a symbol of the compiled program: a variable's C declaration, a struct
// member's type and offset, a function's signature and where it is defined. Pure: the editor's
// hover provider and the benchmark call the same function.
import { findField, typeName, type CType } from '../../lang';
import { Fid, type Profile } from '../../rmm';
import { isRmiName, rmiMarkdown } from '../reference/rmi-markdown';
import { declaration, signature } from './c-declaration';
import { describeLocation } from './origin';
import { targetAt, wordAt, type SymbolQuery } from './query';
import type { Target } from './symbol-index';

export interface HoverResult {
  markdown: string;
  /** 1-based line and columns (end exclusive) of the word hovered. */
  line: number;
  column: number;
  endColumn: number;
}

export function hoverAt(q: SymbolQuery, profile: Profile = '2.0'): HoverResult | undefined {
  const word = wordAt(q.text, q.line, q.column);
  if (!word) return undefined;
  const at = { line: q.line, column: word.column, endColumn: word.endColumn };
  if (isRmiName(word.name)) {
    const md = rmiMarkdown(word.name, profile);
    return md ? { markdown: md, ...at } : undefined;
  }
  if (!q.program) return undefined;
  const target = targetAt(q, word);
  if (target) return { markdown: describeTarget(target, q.scenarioFile, profile), ...at };
  const g = q.program.globalScope.get(word.name);
  if (g?.k === 'enum') return { markdown: code(`${word.name} = ${g.value}`) + '\n\nenumeration constant', ...at };
  if (g?.k === 'typedef') return { markdown: `${code(`typedef ... ${word.name}`)}\n\n${typedefMeaning(g.type)}`, ...at };
  return undefined;
}

/** What a typedef stands for (the checker keeps the new name, not the spelling it replaced). */
function typedefMeaning(t: CType): string {
  if (t.t === 'int') return `${t.bool ? 'a boolean' : `a ${t.size * 8}-bit ${t.signed ? 'signed' : 'unsigned'} integer`} type`;
  if (t.t === 'struct') return `\`${t.s.union ? 'union' : 'struct'} ${t.s.tag ?? '<anonymous>'}\` (${t.s.size} bytes)`;
  if (t.t === 'ptr') return `a pointer to \`${typeName(t.to)}\``;
  return `a ${t.t} type`;
}

const code = (c: string) => '```c\n' + c + '\n```';

export function describeTarget(t: Target, scenarioFile: string | undefined, profile: Profile): string {
  if (t.k === 'var') {
    const v = t.sym;
    const what = v.isParam ? `parameter of \`${t.owner?.name ?? '?'}\`` : v.kind === 'local' ? `local variable in \`${t.owner?.name ?? '?'}\`` : 'global variable';
    return `${code(declaration(v.type, v.name))}\n\n${what}, declared in ${describeLocation(v.range.file, v.range.line, scenarioFile)}`;
  }
  if (t.k === 'field') {
    const f = findField(t.struct, t.name);
    const owner = `${t.struct.union ? 'union' : 'struct'} ${t.struct.tag ?? '<anonymous>'}`;
    return `${code(declaration(t.type, t.name))}\n\nmember of \`${owner}\`${f ? ` at offset ${f.offset} (0x${f.offset.toString(16)})` : ''}`;
  }
  const fn = t.fn;
  const where = describeLocation(fn.range.file, fn.range.line, scenarioFile);
  const lines = [code(signature(fn)), ''];
  if (fn.body) lines.push(`Defined in ${where}${fn.overridden ? ' (it replaces the host library\'s definition)' : ''}`);
  else lines.push(`Declared in ${where}; provided by Realm Lab (an intrinsic of the emulated machine)`);
  // A host wrapper such as rmi_granule_delegate issues the RMI command of the same name.
  const rmi = fn.name.toUpperCase();
  if (fn.name.startsWith('rmi_') && rmi in Fid) {
    const md = rmiMarkdown(rmi, profile);
    if (md) lines.push('', '---', '', md);
  }
  return lines.join('\n');
}
