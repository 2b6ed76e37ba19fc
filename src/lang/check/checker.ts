// The checker's state: scopes, the program being built, the function being checked, and the
// diagnostics. The rules live in resolve.ts (types), exprs.ts, init.ts, stmts.ts and program.ts.
import { CError, type Diagnostic, type SrcRange } from '../source';
import type { FuncSym, GlobalSymbol, Origin, Program, TExpr, VarSym } from './tree';
import { alignUp, type CType, type StructInfo } from './types';

export type ScopeSymbol =
  | { k: 'var'; sym: VarSym }
  | { k: 'enum'; value: bigint; type: CType }
  | { k: 'typedef'; type: CType }
  | { k: 'func'; fn: FuncSym };

export type Tag = { k: 'struct'; s: StructInfo; range: SrcRange } | { k: 'enum'; type: CType; range: SrcRange };

export interface Scope {
  names: Map<string, ScopeSymbol>;
  tags: Map<string, Tag>;
}

export interface FunctionContext {
  fn: FuncSym;
  frame: number;
  labels: Map<string, SrcRange>;
  gotos: { label: string; range: SrcRange }[];
  loops: number;
  /** Open switch statements: their case values and whether a default was seen. */
  switches: { values: Map<bigint, SrcRange>; hasDefault: boolean; type: CType }[];
  stmtCount: number;
}

export class Checker {
  readonly diags: Diagnostic[] = [];
  readonly program: Program;
  readonly fileTags: Map<string, Tag>;
  readonly scopes: Scope[] = [];
  fnCtx: FunctionContext | undefined;
  origin: Origin = 'scenario';
  /** Function names whose calls the checker treats specially (expect). */
  readonly specialCalls = new Set(['expect']);
  /** First reference to each function, for "undefined reference" errors at link time. */
  readonly refs = new Map<string, SrcRange>();
  private structIds = 0;

  /** A checker for a new program, or (the debugger's evaluate) for expressions over an existing one. */
  constructor(existing?: Program) {
    this.program = existing ?? { functions: [], globals: [], strings: [], structs: [], externals: new Set(), globalScope: new Map(), tags: new Map() };
    this.fileTags = this.program.tags;
    this.structIds = this.program.structs.length;
  }

  error(range: SrcRange, message: string, code = 'type'): void {
    this.diags.push({ range, severity: 'error', message, code });
  }

  warn(range: SrcRange, message: string, code = 'warning'): void {
    this.diags.push({ range, severity: 'warning', message, code });
  }

  fail(range: SrcRange, message: string, code = 'type'): never {
    throw new CError(range, message, code);
  }

  /** Runs `f`, turning a thrown CError into a diagnostic; returns undefined then. */
  guard<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof CError)) throw e;
      this.diags.push({ range: e.range, severity: 'error', message: e.message, code: e.code });
      return undefined;
    }
  }

  lookup(name: string): ScopeSymbol | GlobalSymbol | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i].names.get(name);
      if (s) return s;
    }
    return this.program.globalScope.get(name);
  }

  lookupTag(name: string): Tag | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const t = this.scopes[i].tags.get(name);
      if (t) return t;
    }
    return this.fileTags.get(name);
  }

  /** The tag namespace of the innermost scope (file scope outside functions). */
  currentTags(): Map<string, Tag> {
    return this.scopes.length ? this.scopes[this.scopes.length - 1].tags : this.fileTags;
  }

  newStruct(tag: string | undefined, union: boolean): StructInfo {
    const s: StructInfo = { tag, union, fields: [], size: 0, align: 1, complete: false, id: ++this.structIds };
    this.program.structs.push(s);
    return s;
  }

  pushScope(): Scope {
    const s: Scope = { names: new Map(), tags: new Map() };
    this.scopes.push(s);
    return s;
  }

  popScope(): void {
    this.scopes.pop();
  }

  /** Reserves frame space in the current function (locals, call temporaries, compound literals). */
  allocFrame(size: number, align: number): number {
    const f = this.fnCtx!;
    f.frame = alignUp(f.frame, Math.max(1, align)) + Math.max(size, 0);
    return f.frame - size;
  }

  addString(bytes: Uint8Array): number {
    this.program.strings.push({ bytes });
    return this.program.strings.length - 1;
  }

  /** A constant of type t (value already in t's representation). */
  constant(v: number | bigint, type: CType, range: SrcRange): TExpr {
    return { e: 'const', v, type, range };
  }
}
