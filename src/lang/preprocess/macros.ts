// Macro expansion (C11 6.10.3): object- and function-like macros, # and ##, variadic macros with
// GNU's `, ## __VA_ARGS__`, and rescanning with hide sets so that a macro never expands inside
// its own expansion. Tokens made by an expansion carry the invocation's extent as their origin.
import { lexOne, type PpToken } from './lexer';

export interface Macro {
  name: string;
  /** Parameter names; undefined for an object-like macro. */
  params?: string[];
  variadic: boolean;
  body: PpToken[];
  /** Where it was defined (for redefinition messages). */
  def: PpToken;
  /** __FILE__ / __LINE__: computed at the use site. */
  builtin?: (at: PpToken) => PpToken;
}

/** A token stream: an array with a stack of pushed-back tokens in front of it. */
export class Reader {
  private readonly pending: PpToken[] = [];

  constructor(
    private readonly toks: readonly PpToken[],
    public pos = 0,
  ) {}

  next(): PpToken | undefined {
    return this.pending.length ? this.pending.pop() : this.toks[this.pos++];
  }

  peek(): PpToken | undefined {
    return this.pending.length ? this.pending[this.pending.length - 1] : this.toks[this.pos];
  }

  /** The next token comes straight from the array (where directives are recognised). */
  get atSource(): boolean {
    return this.pending.length === 0;
  }

  pushBack(list: readonly PpToken[]): void {
    for (let k = list.length - 1; k >= 0; k--) this.pending.push(list[k]);
  }
}

export type MacroProblem = (at: PpToken, message: string) => void;

interface Marked extends PpToken {
  paste?: boolean;
  placemarker?: boolean;
  /** From the macro's body (not an argument): takes the invocation as its origin. */
  fromBody?: boolean;
}

const MAX_EXPANSIONS = 200_000;

export class Expander {
  private expansions = 0;

  constructor(
    readonly macros: Map<string, Macro>,
    private readonly problem: MacroProblem,
  ) {}

  /** Fully expands an isolated token list (macro arguments, #if lines). */
  expandList(list: readonly PpToken[]): PpToken[] {
    const r = new Reader(list);
    const out: PpToken[] = [];
    for (let t = r.next(); t; t = r.next()) this.step(t, r, out);
    return out;
  }

  /**
   * Handles one token read from `r`: a macro name is replaced by its expansion, pushed back onto
   * `r` for rescanning; anything else goes to `out`.
   */
  step(tok: PpToken, r: Reader, out: PpToken[]): void {
    const m = tok.kind === 'id' ? this.macros.get(tok.text) : undefined;
    if (!m || tok.hide?.has(tok.text)) {
      out.push(tok);
      return;
    }
    if (++this.expansions > MAX_EXPANSIONS) {
      if (this.expansions === MAX_EXPANSIONS + 1) this.problem(tok, 'too many macro expansions (recursive macros?)');
      out.push(tok);
      return;
    }
    if (m.builtin) {
      out.push(m.builtin(tok));
      return;
    }
    if (!m.params) {
      const hide = withName(tok.hide, m.name);
      r.pushBack(this.finish(this.substitute(m, [], []), tok, tok.end, hide));
      return;
    }
    if (r.peek()?.text !== '(') {
      out.push(tok);
      return;
    }
    r.next();
    const args = this.collectArgs(m, tok, r);
    if (!args) {
      out.push(tok);
      return;
    }
    const { raw, close } = args;
    const expanded = raw.map((a) => this.expandList(a));
    const hide = withName(tok.hide, m.name);
    r.pushBack(this.finish(this.substitute(m, raw, expanded), tok, close.end, hide));
  }

  private collectArgs(m: Macro, tok: PpToken, r: Reader): { raw: PpToken[][]; close: PpToken } | undefined {
    const raw: PpToken[][] = [[]];
    let depth = 0;
    for (;;) {
      const atSource = r.atSource;
      const t = r.next();
      if (!t) {
        this.problem(tok, `unterminated argument list invoking macro '${m.name}'`);
        return undefined;
      }
      if (atSource && t.bol && t.text === '#') this.problem(t, `a directive inside the arguments of macro '${m.name}' is not supported`);
      if (t.text === '(') depth++;
      else if (t.text === ')') {
        if (depth === 0) {
          const nparams = m.params!.length;
          // `f()` passes one empty argument, which is right for one parameter and for none.
          if (raw.length === 1 && raw[0].length === 0 && nparams === 0) raw.length = 0;
          if (m.variadic ? raw.length < nparams - 1 : raw.length !== nparams) {
            this.problem(tok, `macro '${m.name}' takes ${nparams}${m.variadic ? ' or more' : ''} argument${nparams === 1 ? '' : 's'}, but ${raw.length} ${raw.length === 1 ? 'was' : 'were'} given`);
            return undefined;
          }
          if (m.variadic) {
            // Everything from the variadic parameter on, commas included, is __VA_ARGS__.
            const fixed = nparams - 1;
            const rest = raw.slice(fixed);
            const va: PpToken[] = [];
            rest.forEach((a, k) => {
              if (k > 0) va.push({ ...t, kind: 'punct', text: ',' });
              va.push(...a);
            });
            raw.length = fixed;
            raw.push(va);
          }
          return { raw, close: t };
        }
        depth--;
      } else if (t.text === ',' && depth === 0 && !(m.variadic && raw.length >= m.params!.length)) {
        raw.push([]);
        continue;
      }
      raw[raw.length - 1].push(t);
    }
  }

  private substitute(m: Macro, raw: PpToken[][], expanded: PpToken[][]): Marked[] {
    const body = m.body;
    const params = m.params ?? [];
    const index = (t: PpToken | undefined) => (t && t.kind === 'id' ? params.indexOf(t.text) : -1);
    const vaIndex = m.variadic ? params.length - 1 : -1;
    const out: Marked[] = [];
    for (let j = 0; j < body.length; j++) {
      const t = body[j];
      if (m.params && t.text === '#' && index(body[j + 1]) >= 0) {
        out.push({ ...stringize(raw[index(body[j + 1])], t), fromBody: true });
        j++;
        continue;
      }
      if (t.text === '##' && j > 0 && j < body.length - 1) {
        // GNU: `, ## __VA_ARGS__` drops the comma when there are no variadic arguments and
        // otherwise pastes nothing.
        if (vaIndex >= 0 && index(body[j + 1]) === vaIndex && out[out.length - 1]?.text === ',') {
          const va = raw[vaIndex];
          if (va.length === 0) out.pop();
          else out.push(...va);
          j++;
          continue;
        }
        out.push({ ...t, paste: true });
        continue;
      }
      const p = index(t);
      if (p < 0) {
        out.push({ ...t, fromBody: true });
        continue;
      }
      const pasted = body[j - 1]?.text === '##' || body[j + 1]?.text === '##';
      const arg = pasted ? raw[p] : expanded[p];
      if (arg.length === 0) out.push({ ...t, placemarker: true });
      else out.push(...arg);
    }
    const res: Marked[] = [];
    for (let j = 0; j < out.length; j++) {
      const t = out[j];
      if (!t.paste) {
        res.push(t);
        continue;
      }
      const left = res.pop();
      const right = out[++j];
      if (!left || !right) continue;
      if (left.placemarker) { res.push(right); continue; }
      if (right.placemarker) { res.push(left); continue; }
      const joined = lexOne(left.text + right.text, left);
      if (!joined) {
        this.problem(left, `pasting "${left.text}" and "${right.text}" does not give a valid preprocessing token`);
        res.push(left, right);
      } else {
        res.push({ ...joined, fromBody: true });
      }
    }
    return res.filter((t) => !t.placemarker);
  }

  /** Gives expansion tokens their origin (the invocation) and hide set. */
  private finish(list: Marked[], inv: PpToken, end: number, hide: ReadonlySet<string>): PpToken[] {
    const start = inv.start;
    const stop = inv.exp ? inv.end : end;
    return list.map((t): PpToken => {
      const merged = t.hide ? union(t.hide, hide) : hide;
      // Tokens that came from an argument keep their own place in the source.
      if (!t.fromBody) return { kind: t.kind, text: t.text, file: t.file, start: t.start, end: t.end, bol: false, space: true, hide: merged, exp: t.exp };
      return { kind: t.kind, text: t.text, file: inv.file, start, end: stop, bol: false, space: true, hide: merged, exp: true };
    });
  }
}

function withName(hide: ReadonlySet<string> | undefined, name: string): ReadonlySet<string> {
  const s = new Set(hide);
  s.add(name);
  return s;
}

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  if (a === b) return a;
  const s = new Set(a);
  for (const x of b) s.add(x);
  return s;
}

/** The # operator: the argument's spelling as a string literal. */
function stringize(arg: PpToken[], at: PpToken): PpToken {
  let s = '';
  arg.forEach((t, k) => {
    if (k > 0 && t.space) s += ' ';
    s += t.kind === 'str' || t.kind === 'chr' ? t.text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : t.text;
  });
  return { ...at, kind: 'str', text: `"${s}"` };
}
