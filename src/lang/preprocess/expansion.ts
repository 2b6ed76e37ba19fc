// The preprocessed translation unit as text for the parser, with a map from every offset of that
// text back to the source it came from, so that parser and checker positions are real positions.
import type { SrcRange } from '../source';
import type { PpToken } from './lexer';

export class Expansion {
  readonly text: string;
  /** Offset in `text` of each token. */
  private readonly at: number[];

  constructor(readonly tokens: readonly PpToken[]) {
    const parts: string[] = [];
    const at: number[] = [];
    let len = 0;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (i > 0) {
        // Keep the original line breaks of source text (readable, and tree-sitter recovers per line).
        const sep = t.bol && !t.exp ? '\n' : ' ';
        parts.push(sep);
        len += 1;
      }
      at.push(len);
      parts.push(t.text);
      len += t.text.length;
    }
    parts.push('\n');
    this.text = parts.join('');
    this.at = at;
  }

  /** Index of the last token starting at or before `off`, or -1. */
  private tokenAt(off: number): number {
    const at = this.at;
    let lo = 0;
    let hi = at.length - 1;
    if (hi < 0 || at[0] > off) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (at[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Source offset of a text offset inside token k (tokens from an expansion map to the invocation). */
  private origin(k: number, off: number, edge: 'start' | 'end'): number {
    const t = this.tokens[k];
    if (t.exp) return edge === 'start' ? t.start : t.end;
    return t.start + Math.max(0, Math.min(off - this.at[k], t.end - t.start));
  }

  /** The source range of text [start, end). Empty ranges (a missing token) sit right after the previous token. */
  range(start: number, end: number): SrcRange {
    const toks = this.tokens;
    if (toks.length === 0) return { file: '<empty>', line: 1, column: 1, endLine: 1, endColumn: 1 };
    let a = this.tokenAt(start);
    if (start === end || a < 0) {
      if (a < 0) a = 0;
      const t = toks[a];
      const inside = start < this.at[a] + t.text.length;
      const o = inside ? this.origin(a, start, 'start') : t.end;
      return t.file.range(o, o);
    }
    // A node that starts in the whitespace after token a starts at token a + 1.
    if (start >= this.at[a] + toks[a].text.length && a + 1 < toks.length) a++;
    let b = this.tokenAt(end - 1);
    if (b < a) b = a;
    const ta = toks[a];
    const tb = toks[b];
    const s = this.origin(a, start, 'start');
    if (tb.file !== ta.file) return ta.file.range(s, ta.exp ? ta.end : ta.end);
    const e = tb.exp ? tb.end : this.origin(b, end, 'end');
    return ta.file.range(s, Math.max(s, e));
  }

  /** The token at a text offset (for "in expansion of macro" notes). */
  token(off: number): PpToken | undefined {
    const k = this.tokenAt(off);
    return k < 0 ? undefined : this.tokens[k];
  }
}
