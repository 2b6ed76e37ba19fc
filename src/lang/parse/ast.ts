// Our own typed syntax tree for the C subset, built from tree-sitter's concrete tree (convert.ts).
// Every node has the source range it came from (after mapping through the preprocessor).
import type { SrcRange } from '../source';

// ---- types as written -------------------------------------------------------------------------

export type BaseSpec =
  /** Keywords such as `unsigned long`, `char`, `void`, `_Bool`. */
  | { k: 'prim'; words: string[]; range: SrcRange }
  | { k: 'named'; name: string; range: SrcRange }
  | { k: 'struct'; union: boolean; tag?: string; fields?: FieldDecl[]; range: SrcRange }
  | { k: 'enum'; tag?: string; values?: EnumValue[]; range: SrcRange };

export interface EnumValue {
  name: string;
  value?: Expr;
  range: SrcRange;
}

/** A declarator turned inside out: the type built on a base specifier. */
export type TypeExpr =
  | { k: 'base'; spec: BaseSpec; isConst: boolean }
  | { k: 'ptr'; to: TypeExpr }
  | { k: 'array'; of: TypeExpr; size?: Expr; range: SrcRange }
  | { k: 'func'; ret: TypeExpr; params: Param[]; variadic: boolean; /** `f()`: unspecified parameters. */ unspecified: boolean };

export interface Param {
  name?: string;
  type: TypeExpr;
  range: SrcRange;
}

export interface FieldDecl {
  /** Undefined for an anonymous struct/union member. */
  name?: string;
  type: TypeExpr;
  range: SrcRange;
  bitWidth?: Expr;
}

export type Storage = 'typedef' | 'static' | 'extern' | undefined;

// ---- expressions -----------------------------------------------------------------------------

export type Expr = { range: SrcRange } & (
  | { k: 'int'; text: string }
  | { k: 'char'; text: string }
  | { k: 'string'; parts: string[] }
  | { k: 'bool'; value: boolean }
  | { k: 'null' }
  | { k: 'ident'; name: string }
  | { k: 'unary'; op: '-' | '+' | '!' | '~'; arg: Expr }
  | { k: 'deref'; arg: Expr }
  | { k: 'addr'; arg: Expr }
  | { k: 'binary'; op: string; left: Expr; right: Expr }
  | { k: 'assign'; op: string; left: Expr; right: Expr }
  | { k: 'update'; op: '++' | '--'; prefix: boolean; arg: Expr }
  | { k: 'call'; callee: Expr; args: Expr[] }
  | { k: 'member'; obj: Expr; field: string; arrow: boolean; fieldRange: SrcRange }
  | { k: 'index'; arr: Expr; index: Expr }
  | { k: 'cast'; type: TypeExpr; arg: Expr }
  | { k: 'sizeofType'; type: TypeExpr }
  | { k: 'sizeofExpr'; arg: Expr }
  | { k: 'alignof'; type: TypeExpr }
  | { k: 'offsetof'; type: TypeExpr; member: string }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr }
  | { k: 'comma'; left: Expr; right: Expr }
  | { k: 'compound'; type: TypeExpr; init: InitList }
);

// ---- initialisers ----------------------------------------------------------------------------

export type Designator = { k: 'field'; name: string; range: SrcRange } | { k: 'index'; index: Expr; range: SrcRange };

export interface InitItem {
  designators: Designator[];
  value: Init;
  range: SrcRange;
}

export interface InitList {
  k: 'list';
  items: InitItem[];
  range: SrcRange;
}

export type Init = { k: 'expr'; expr: Expr; range: SrcRange } | InitList;

// ---- declarations and statements ---------------------------------------------------------------

export interface VarDecl {
  name: string;
  type: TypeExpr;
  init?: Init;
  range: SrcRange;
  nameRange: SrcRange;
}

export interface Declaration {
  k: 'decl';
  storage: Storage;
  inline: boolean;
  /** The base specifier, for declarations that only define a struct/enum (`struct s { ... };`). */
  spec: BaseSpec;
  decls: VarDecl[];
  range: SrcRange;
}

export type Stmt = { range: SrcRange } & (
  | { k: 'expr'; expr?: Expr }
  | Omit<Declaration, 'range'>
  | { k: 'block'; body: Stmt[]; end: SrcRange }
  | { k: 'if'; test: Expr; then: Stmt; else?: Stmt }
  | { k: 'while'; test: Expr; body: Stmt }
  | { k: 'do'; body: Stmt; test: Expr }
  | { k: 'for'; init?: Stmt; test?: Expr; update?: Expr; body: Stmt }
  | { k: 'return'; value?: Expr }
  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'goto'; label: string }
  | { k: 'label'; label: string; body: Stmt }
  | { k: 'switch'; test: Expr; body: Stmt }
  /** `case v:` / `default:` followed by the statements up to the next label. */
  | { k: 'case'; value?: Expr; body: Stmt[]; labelRange: SrcRange }
);

export interface FunctionDef {
  k: 'function';
  name: string;
  nameRange: SrcRange;
  storage: Storage;
  inline: boolean;
  type: TypeExpr & { k: 'func' };
  body: Stmt & { k: 'block' };
  range: SrcRange;
}

export type TopLevel = FunctionDef | Declaration;

export interface TranslationUnit {
  file: string;
  items: TopLevel[];
}
