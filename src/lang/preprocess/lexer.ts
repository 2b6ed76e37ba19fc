// Preprocessing tokens (C11 6.4): the preprocessor works on these, never on a C syntax tree.
// Each token remembers where it came from so that every later diagnostic points at real text.
import { SourceFile } from '../source';

export type TokKind = 'id' | 'num' | 'str' | 'chr' | 'punct' | 'other';

export interface PpToken {
  kind: TokKind;
  text: string;
  file: SourceFile;
  /** Offsets in `file`; for tokens made by a macro expansion, the invocation's extent. */
  start: number;
  end: number;
  /** First token of its line (directives start with such a '#'). */
  bol: boolean;
  /** Whitespace or a comment precedes it (for # stringizing). */
  space: boolean;
  /** Macros that may not expand this token again (Prosser's hide set). */
  hide?: ReadonlySet<string>;
  /** Produced by a macro expansion: start/end are the invocation's, not the token's own text. */
  exp?: boolean;
}

// Longest first, so that a greedy match picks '<<=' before '<<' before '<'.
const PUNCTS = [
  '...', '<<=', '>>=', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=',
  '%=', '+=', '-=', '&=', '^=', '|=', '##',
];
const SINGLE = new Set('[](){}.&*+-~!/%<>^|?:;=,#'.split(''));

const isIdStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c > 127;
const isIdChar = (c: number) => isIdStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number) => c >= 48 && c <= 57;

export interface LexProblem {
  start: number;
  end: number;
  message: string;
}

/** Splits a file into preprocessing tokens. Never throws: odd characters become 'other' tokens. */
export function lex(file: SourceFile, problems: LexProblem[] = []): PpToken[] {
  const s = file.text;
  const n = s.length;
  const out: PpToken[] = [];
  let i = 0;
  let bol = true;
  let space = false;
  const push = (kind: TokKind, start: number, end: number) => {
    out.push({ kind, text: s.slice(start, end), file, start, end, bol, space });
    bol = false;
    space = false;
  };
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 10) { bol = true; space = false; i++; continue; }
    if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12) { space = true; i++; continue; }
    if (c === 92 /* \ */) {
      // Line splice: a backslash before the end of a line joins the next line to this one.
      let j = i + 1;
      while (j < n && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9 || s.charCodeAt(j) === 13)) j++;
      if (j < n && s.charCodeAt(j) === 10) { i = j + 1; space = true; continue; }
      if (j >= n) { i = j; continue; }
    }
    if (c === 47 /* / */ && s.charCodeAt(i + 1) === 47) {
      // A // comment ends at the newline, unless that newline is spliced.
      let j = i + 2;
      while (j < n && !(s.charCodeAt(j) === 10 && s.charCodeAt(j - 1) !== 92)) j++;
      i = j;
      space = true;
      continue;
    }
    if (c === 47 && s.charCodeAt(i + 1) === 42) {
      const j = s.indexOf('*/', i + 2);
      if (j < 0) {
        problems.push({ start: i, end: i + 2, message: 'unterminated comment' });
        i = n;
      } else {
        i = j + 2;
      }
      space = true;
      continue;
    }
    const start = i;
    if (isIdStart(c)) {
      i++;
      while (i < n && isIdChar(s.charCodeAt(i))) i++;
      // Encoding prefixes of string and character literals (L"..", u8".." ...).
      const q = s.charCodeAt(i);
      const word = s.slice(start, i);
      if ((q === 34 || q === 39) && (word === 'L' || word === 'u' || word === 'U' || word === 'u8')) {
        i = quoted(s, i, q, problems);
        push(q === 34 ? 'str' : 'chr', start, i);
        continue;
      }
      push('id', start, i);
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(s.charCodeAt(i + 1)))) {
      i++;
      while (i < n) {
        const d = s.charCodeAt(i);
        if ((d === 43 || d === 45) && /[eEpP]/.test(s[i - 1])) { i++; continue; }
        if (isIdChar(d) || d === 46) { i++; continue; }
        break;
      }
      push('num', start, i);
      continue;
    }
    if (c === 34 || c === 39) {
      i = quoted(s, i, c, problems);
      push(c === 34 ? 'str' : 'chr', start, i);
      continue;
    }
    let matched = '';
    for (const p of PUNCTS) if (s.startsWith(p, i)) { matched = p; break; }
    if (!matched && SINGLE.has(s[i])) matched = s[i];
    if (matched) {
      i += matched.length;
      push('punct', start, i);
      continue;
    }
    // Anything else (a stray '@', a backtick, a lone backslash): the parser will report it.
    i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    push('other', start, i);
  }
  return out;
}

/** End offset of a quoted literal starting at `i` (the quote). Stops at the end of the line. */
function quoted(s: string, i: number, q: number, problems: LexProblem[]): number {
  const start = i;
  i++;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 92) { i += 2; continue; }
    if (c === q) return i + 1;
    if (c === 10) break;
    i++;
  }
  problems.push({ start, end: i, message: q === 34 ? 'missing terminating " character' : "missing terminating ' character" });
  return i;
}

/** Re-lexes a pasted token (##); undefined unless the text is exactly one token. */
export function lexOne(text: string, like: PpToken): PpToken | undefined {
  const toks = lex(new SourceFile(like.file.path, text));
  if (toks.length !== 1 || toks[0].text !== text) return undefined;
  return { ...like, kind: toks[0].kind, text };
}
