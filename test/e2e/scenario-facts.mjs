// Facts the UI tests read off the example and the map, kept out of the test file so the
// assertions stay readable.

/**
 * Lines (1-based) of a C function definition's opening and closing braces, found by scanning
 * for `name(` followed by `{` and balancing braces (comments and strings skipped).
 */
export function functionSpan(source, name) {
  const def = new RegExp(`\\b${name}\\s*\\([^;{)]*\\)\\s*\\{`, 'm').exec(source);
  if (!def) throw new Error(`no definition of ${name}() in the example`);
  const lineAt = (i) => source.slice(0, i).split('\n').length;
  let i = def.index + def[0].length - 1;
  const openLine = lineAt(i);
  let depth = 0;
  for (; i < source.length; i++) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') i = source.indexOf('\n', i);
    else if (c === '/' && source[i + 1] === '*') i = source.indexOf('*/', i) + 1;
    else if (c === '"' || c === "'") { for (i++; i < source.length && source[i] !== c; i++) if (source[i] === '\\') i++; }
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return { name, openLine, closeLine: lineAt(i) };
    if (i < 0) break;
  }
  throw new Error(`unbalanced braces in ${name}()`);
}

/**
 * Parses the map's text alternative, e.g.
 * "262144 granules: 262141 UNDELEGATED, 2 DELEGATED, 1 RD" -> { total, byState: { UNDELEGATED: 262141, ... } }.
 */
export function parseSummary(text) {
  const m = /([\d,]+)\s+granules:\s*(.*)/.exec(text);
  if (!m) throw new Error(`summary not understood: ${JSON.stringify(text)}`);
  const num = (s) => Number(s.replace(/,/g, ''));
  const byState = {};
  for (const part of m[2].matchAll(/([\d,]+)\s+([A-Z_]+)/g)) byState[part[2]] = num(part[1]);
  if (Object.keys(byState).length === 0) throw new Error(`no per-state counts in ${JSON.stringify(text)}`);
  return { total: num(m[1]), byState };
}
