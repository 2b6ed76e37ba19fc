// The checked program: symbols with their types and storage, and typed expressions/statements in
// which every implicit conversion, array decay and lvalue is explicit, ready for code generation.
import type { SrcRange } from '../source';
import type { StaticImage } from './statics';
import type { CType, FuncType, StructInfo } from './types';

/** Where a unit came from: scenario code overrides host library code of the same name. */
export type Origin = 'scenario' | 'host' | 'header';

export interface VarSym {
  kind: 'global' | 'local';
  name: string;
  type: CType;
  /** Globals: index in Program.globals. Locals: offset in the frame. */
  index: number;
  offset: number;
  range: SrcRange;
  /** Locals: the first statement index from which it is visible, and the block's end. */
  scope?: { from: number; to: number };
  isParam?: boolean;
}

export interface GlobalVar {
  sym: VarSym;
  init?: InitPlan;
  origin: Origin;
  isStatic: boolean;
  /** Declared `extern` and never defined: the runtime must provide it (e.g. rmi_last). */
  external: boolean;
  /** The initial bytes (zero when there is no initialiser) and their relocations. */
  image?: StaticImage;
}

export interface FuncSym {
  name: string;
  type: FuncType;
  id: number;
  range: SrcRange;
  origin: Origin;
  isStatic: boolean;
  body?: TStmt & { s: 'block' };
  params: VarSym[];
  frameSize: number;
  /** Every local of the function, for the variables view. */
  locals: VarSym[];
  /** Set when the definition came from a unit that another definition overrode. */
  overridden?: boolean;
}

export interface StringLit {
  bytes: Uint8Array;
}

export type TExpr = { type: CType; range: SrcRange } & (
  | { e: 'const'; v: number | bigint }
  | { e: 'str'; index: number }
  | { e: 'var'; sym: VarSym }
  | { e: 'func'; fn: FuncSym }
  | { e: 'unary'; op: '-' | '~' | '!'; arg: TExpr }
  | { e: 'binary'; op: string; left: TExpr; right: TExpr }
  /** ptr ± int*scale, both already converted (int to the pointer's 64-bit rep). */
  | { e: 'ptradd'; ptr: TExpr; index: TExpr; scale: number; sub: boolean }
  | { e: 'ptrdiff'; left: TExpr; right: TExpr; scale: number }
  | { e: 'cmp'; op: string; left: TExpr; right: TExpr }
  | { e: 'logic'; op: '&&' | '||'; left: TExpr; right: TExpr }
  | { e: 'assign'; target: TExpr; value: TExpr }
  /** target op= value: computed in `opType`, stored back converted to the target's type. */
  | { e: 'opassign'; op: string; target: TExpr; value: TExpr; opType: CType; scale: number }
  | { e: 'incdec'; target: TExpr; delta: 1 | -1; prefix: boolean; scale: number }
  | { e: 'deref'; ptr: TExpr }
  | { e: 'addr'; arg: TExpr }
  | { e: 'member'; base: TExpr; offset: number; field: string }
  | { e: 'call'; callee: TExpr; args: TExpr[]; fn?: FuncSym; temp?: number }
  | { e: 'conv'; arg: TExpr }
  /** An array lvalue used as a value: the address of its first element. */
  | { e: 'decay'; arg: TExpr }
  | { e: 'cond'; test: TExpr; then: TExpr; else: TExpr }
  | { e: 'comma'; left: TExpr; right: TExpr }
  | { e: 'compound'; temp: number; init: InitPlan }
  /** expect(cond): with the two sides of a comparison kept for the failure message. */
  | { e: 'expect'; cond: TExpr; op?: string; left?: TExpr; right?: TExpr; text: SrcRange }
);

/** An initialiser flattened to stores: zero the object, then write each part. */
export interface InitPlan {
  size: number;
  parts: InitPart[];
}

export type InitPart =
  | { offset: number; type: CType; value: TExpr }
  | { offset: number; bytes: Uint8Array };

export type TStmt = { range: SrcRange; /** Index in the function's statement table (a step stops here). */ id?: number } & (
  | { s: 'expr'; e?: TExpr }
  | { s: 'decl'; vars: { sym: VarSym; init?: InitPlan }[] }
  | { s: 'block'; body: TStmt[]; end: SrcRange }
  | { s: 'if'; test: TExpr; then: TStmt; else?: TStmt }
  | { s: 'while'; test: TExpr; body: TStmt }
  | { s: 'do'; body: TStmt; test: TExpr }
  | { s: 'for'; init?: TStmt; test?: TExpr; update?: TExpr; body: TStmt }
  | { s: 'return'; value?: TExpr }
  | { s: 'break' }
  | { s: 'continue' }
  | { s: 'goto'; label: string }
  | { s: 'label'; label: string; body: TStmt }
  | { s: 'switch'; test: TExpr; body: TStmt }
  | { s: 'case'; value?: number | bigint; body: TStmt[] }
);

export interface Program {
  functions: FuncSym[];
  globals: GlobalVar[];
  strings: StringLit[];
  structs: StructInfo[];
  /** Names of functions called but defined nowhere: the runtime must supply them (intrinsics). */
  externals: Set<string>;
  /** Global names -> symbols, for the entry point, `machine` and the debugger's evaluate. */
  globalScope: Map<string, GlobalSymbol>;
  /** File-scope struct/union/enum tags (the debugger's evaluate resolves `struct x` with them). */
  tags: Map<string, FileTag>;
}

export type FileTag = { k: 'struct'; s: StructInfo; range: SrcRange } | { k: 'enum'; type: CType; range: SrcRange };

export type GlobalSymbol =
  | { k: 'var'; v: GlobalVar }
  | { k: 'func'; fn: FuncSym }
  | { k: 'enum'; value: bigint; type: CType }
  | { k: 'typedef'; type: CType };
