// The C language layer: preprocess, parse (tree-sitter), check and run C as a steppable machine.
export { loadCParser, type CParser, type ParserAssets } from './parse/treesitter';
export { parseUnit, type ParsedUnit, type FrontendOptions } from './frontend';
export type { Diagnostic, SrcRange } from './source';
export { SourceFile, formatDiagnostic, formatRange } from './source';
export { compile, joinPath, makeResolver, PRELUDE, type Compiled, type CompileOptions, type SourceUnit } from './compile';
export { EMBEDDED_HEADERS, REALM_LAB_H } from './headers/realm-lab-h';
export { Machine, type NativeFn, type FrameState, type MachineSnapshot, type MachineImage, type RunStop } from './vm/machine';
export { HostMemory, type Value } from './vm/memory';
export { CRuntimeError, hex } from './vm/errors';
export { PAGE_OFFSET, FUNC_VA_BASE, phys_to_virt, virt_to_phys, funcIdOf } from './vm/layout';
export { loadStatics, staticSize } from './vm/loader';
export { K, kindOf, type CallSite, type CompiledFunction } from './vm/ops';
export type { Program, FuncSym, GlobalVar, VarSym, Origin } from './check/tree';
export { typeName, sizeOf, namedFields, findField, type CType, type StructInfo } from './check/types';
export { fromBig, toBig, isWide } from './check/fold';
export { checkExpression } from './evaluate';
export { evaluateExpr, type EvalEnv, type EvalResult } from './vm/evaluator';
export type { TExpr } from './check/tree';
