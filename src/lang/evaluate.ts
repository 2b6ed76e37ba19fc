// Debugger expressions (hover, watch, the debug console, conditional breakpoints): C expression
// text read with the scenario's macros and typedefs, checked against its globals and the locals
// visible in a frame, then evaluated over the stopped machine's memory (vm/evaluator.ts).
import { Checker } from './check/checker';
import { checkExpr } from './check/exprs';
import type { TExpr, VarSym } from './check/tree';
import type { Compiled } from './compile';
import { convertUnit, syntaxErrors } from './parse/convert';
import type { CParser } from './parse/treesitter';
import { Expansion } from './preprocess/expansion';
import { preprocess } from './preprocess/preprocessor';
import { CError, SourceFile, type Diagnostic } from './source';

const WRAP_HEAD = 'void __realm_lab_eval(void)\n{\n';
const WRAP_TAIL = '\n;\n}\n';

/** Checks `text` as an expression; throws an Error with a message for the user when it is not one. */
export function checkExpression(parser: CParser, compiled: Compiled, text: string, locals: readonly VarSym[]): TExpr {
  const program = compiled.program;
  if (!program || !compiled.scope) throw new Error('the program did not compile');
  const src = new SourceFile('<expression>', WRAP_HEAD + text + WRAP_TAIL);
  const pp = preprocess(src, { resolve: () => undefined, macros: compiled.scope.macros });
  const firstProblem = pp.diagnostics.find((d) => d.severity === 'error');
  if (firstProblem) throw new Error(firstProblem.message);
  const exp = new Expansion(pp.tokens);
  const tree = parser.parse(exp.text);
  try {
    const syntax = syntaxErrors(exp, tree.rootNode);
    if (syntax.length) throw new Error(`not an expression: ${syntax[0].message}`);
    const diags: Diagnostic[] = [];
    const unit = convertUnit(exp, tree.rootNode, '<expression>', new Set(compiled.scope.typedefs), diags);
    if (diags.length) throw new Error(diags[0].message);
    const fn = unit.items[0];
    const stmt = fn?.k === 'function' ? fn.body.body : [];
    if (stmt.length !== 1 || stmt[0].k !== 'expr' || !stmt[0].expr) throw new Error('not an expression');
    const cx = new Checker(program);
    const strings = program.strings.length;
    cx.pushScope();
    for (const v of locals) cx.scopes[0].names.set(v.name, { k: 'var', sym: v });
    try {
      return checkExpr(cx, stmt[0].expr);
    } catch (e) {
      if (e instanceof CError) throw new Error(e.message);
      throw e;
    } finally {
      // Expressions must not grow the program: a string literal they mention has no storage (the
      // evaluator says so if it is used).
      program.strings.length = strings;
    }
  } finally {
    tree.delete();
  }
}
