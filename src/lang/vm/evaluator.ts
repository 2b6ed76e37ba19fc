// Evaluates a checked expression over a stopped machine without changing it: reads memory, never
// writes; assignments, ++/--, calls and compound literals are refused. Lvalues evaluate to their
// address, so the debugger can show (and expand) what they designate.
import type { TExpr } from '../check/tree';
import * as ar from './arith';
import { CRuntimeError } from './errors';
import { FUNC_VA_BASE, PAGE_OFFSET } from './layout';
import type { HostMemory, Value } from './memory';
import { arithKind, kindOf } from './ops';

export interface EvalEnv {
  mem: HostMemory;
  /** PA of the frame whose locals the expression may use. */
  fp: number | undefined;
  globalsVA: readonly bigint[];
  stringsVA: readonly bigint[];
}

export type EvalResult = { kind: 'value'; value: Value } | { kind: 'lvalue'; va: bigint };

export function evaluateExpr(e: TExpr, env: EvalEnv): EvalResult {
  if (e.e === 'var' || e.e === 'deref' || e.e === 'member' || e.e === 'str') return { kind: 'lvalue', va: address(e, env) };
  return { kind: 'value', value: rvalue(e, env) };
}

const sideEffect = (what: string) => new CRuntimeError(`${what} would change the program; the debugger only reads`, 'side-effect');

function address(e: TExpr, env: EvalEnv): bigint {
  switch (e.e) {
    case 'var':
      if (e.sym.kind === 'global') return env.globalsVA[e.sym.index];
      if (env.fp === undefined) throw new CRuntimeError(`'${e.sym.name}' is a local: there is no frame`, 'no-frame');
      return BigInt(env.fp + e.sym.offset) + PAGE_OFFSET;
    case 'str': {
      const va = env.stringsVA[e.index];
      if (va === undefined) throw new CRuntimeError('string literals are not supported in debugger expressions', 'unsupported');
      return va;
    }
    case 'deref':
      return rvalue(e.ptr, env) as bigint;
    case 'member':
      return BigInt.asUintN(64, address(e.base, env) + BigInt(e.offset));
    default:
      // A struct rvalue is represented by its address.
      if (e.type.t === 'struct') return rvalue(e, env) as bigint;
      throw new CRuntimeError('this expression does not designate an object in memory', 'not-lvalue');
  }
}

function rvalue(e: TExpr, env: EvalEnv): Value {
  switch (e.e) {
    case 'const':
      return e.v;
    case 'var':
    case 'str':
    case 'deref':
    case 'member': {
      const va = address(e, env);
      return e.type.t === 'struct' || e.type.t === 'array' ? va : env.mem.load(va, kindOf(e.type));
    }
    case 'func':
      return FUNC_VA_BASE + BigInt(e.fn.id) * 16n;
    case 'addr':
      return e.arg.e === 'func' ? rvalue(e.arg, env) : address(e.arg, env);
    case 'decay':
      return address(e.arg, env);
    case 'unary': {
      const x = rvalue(e.arg, env);
      if (e.op === '!') return x ? 0 : 1;
      return e.op === '-' ? ar.neg(x, arithKind(e.type)) : ar.not(x, arithKind(e.type));
    }
    case 'binary': {
      const x = rvalue(e.left, env);
      const y = rvalue(e.right, env);
      const a = arithKind(e.type);
      switch (e.op) {
        case '+': return ar.add(x, y, a);
        case '-': return ar.sub(x, y, a);
        case '*': return ar.mul(x, y, a);
        case '/': return ar.div(x, y, a, false);
        case '%': return ar.div(x, y, a, true);
        case '&': return ar.bitwise(x, y, a, 'and');
        case '|': return ar.bitwise(x, y, a, 'or');
        case '^': return ar.bitwise(x, y, a, 'xor');
        case '<<': return ar.shift(x, y, a, true);
        default: return ar.shift(x, y, a, false);
      }
    }
    case 'cmp': {
      const x = rvalue(e.left, env);
      const y = rvalue(e.right, env);
      const r = e.op === '==' ? x == y : e.op === '!=' ? x != y : e.op === '<' ? x < y : e.op === '<=' ? x <= y : e.op === '>' ? x > y : x >= y;
      return r ? 1 : 0;
    }
    case 'logic': {
      const l = rvalue(e.left, env) ? 1 : 0;
      if (e.op === '&&' ? !l : l) return l;
      return rvalue(e.right, env) ? 1 : 0;
    }
    case 'ptradd': {
      const p = rvalue(e.ptr, env) as bigint;
      const d = BigInt(rvalue(e.index, env)) * BigInt(e.scale);
      return BigInt.asUintN(64, e.sub ? p - d : p + d);
    }
    case 'ptrdiff':
      return BigInt.asIntN(64, BigInt.asIntN(64, (rvalue(e.left, env) as bigint) - (rvalue(e.right, env) as bigint)) / BigInt(e.scale));
    case 'conv':
      if (e.type.t === 'void') throw new CRuntimeError('the expression has no value (void)', 'void');
      return ar.convert(rvalue(e.arg, env), kindOf(e.type));
    case 'cond':
      return rvalue(e.test, env) ? rvalue(e.then, env) : rvalue(e.else, env);
    case 'comma':
      rvalue(e.left, env);
      return rvalue(e.right, env);
    case 'assign':
    case 'opassign':
      throw sideEffect('an assignment');
    case 'incdec':
      throw sideEffect(e.delta > 0 ? "'++'" : "'--'");
    case 'call':
    case 'expect':
      throw sideEffect('a function call');
    case 'compound':
      throw new CRuntimeError('compound literals are not supported in debugger expressions', 'unsupported');
  }
}
