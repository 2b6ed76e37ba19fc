// Expressions -> instructions: values (structs evaluate to their address), lvalue addresses,
// calls (C functions, intrinsics, function pointers) and initialisers. Scalar locals are read and
// written at their frame offset directly; everything else goes through a checked address.
// Expressions without calls become one closure (closures.ts) run by one instruction; calls with
// such arguments take them as closures too (CALLD, CALLN with site.args): no operand stack.
import type { SrcRange } from '../source';
import type { InitPlan, TExpr } from '../check/tree';
import { sizeOf, type CType } from '../check/types';
import { from64 } from './arith64';
import { compileClosure, isLocalScalar, isPure } from './closures';
import { FUNC_VA_BASE } from './layout';
import { Ins, Op, arithKind, kindOf, type CallSite } from './ops';

const BIN_OPS: Record<string, Op> = {
  '+': Op.ADD, '-': Op.SUB, '*': Op.MUL, '/': Op.DIV, '%': Op.MOD, '&': Op.AND, '|': Op.OR, '^': Op.XOR, '<<': Op.SHL, '>>': Op.SHR,
};
const CMP_OPS: Record<string, Op> = { '==': Op.EQ, '!=': Op.NE, '<': Op.LT, '<=': Op.LE, '>': Op.GT, '>=': Op.GE };

export interface NativeIndex {
  /** Index of a native (intrinsic) by name. */
  (name: string): number;
}

export class ExprCompiler {
  protected readonly code: Ins[] = [];
  protected readonly stmts: SrcRange[] = [];

  constructor(protected readonly natives: NativeIndex) {}

  protected emit(op: Op, a = 0, b?: unknown): Ins {
    // Constants become machine values (arith64.ts) once, here.
    const ins = new Ins(op, a, op === Op.PUSH && typeof b === 'bigint' ? from64(b) : b);
    this.code.push(ins);
    return ins;
  }

  protected get here(): number {
    return this.code.length;
  }

  protected initParts(base: () => void, plan: InitPlan): void {
    for (const p of plan.parts) {
      if ('bytes' in p) {
        base();
        this.emit(Op.PUSH, 0, BigInt(p.offset));
        this.emit(Op.PTRADD, 1);
        this.emit(Op.PUSH, 0, p.bytes);
        this.emit(Op.COPY, -1);
        this.emit(Op.POP);
        continue;
      }
      base();
      if (p.offset) {
        this.emit(Op.PUSH, 0, BigInt(p.offset));
        this.emit(Op.PTRADD, 1);
      }
      this.value(p.value);
      if (p.type.t === 'struct') this.emit(Op.COPY, sizeOf(p.type) ?? 0);
      else this.emit(Op.STORE, kindOf(p.type));
      this.emit(Op.POP);
    }
  }

  // ---- expressions ---------------------------------------------------------------------------

  /** Evaluates for side effects only. */
  protected discard(e: TExpr): void {
    if (isPure(e)) {
      this.emit(Op.EXEC, 0, compileClosure(e));
      return;
    }
    if (e.e === 'assign' && isLocalScalar(e.target)) {
      // `x = f(...);`: the value is not needed after the store.
      this.value(e.value);
      this.emit(Op.LSTOREP, e.target.sym.offset, kindOf(e.target.type));
      return;
    }
    this.value(e);
    if (e.type.t !== 'void') this.emit(Op.POP);
  }

  /** Pushes the address (VA) of an lvalue. */
  private addr(e: TExpr): void {
    switch (e.e) {
      case 'var':
        if (e.sym.kind === 'local') this.emit(Op.LADDR, e.sym.offset, sizeOf(e.sym.type) ?? 8); // b: the object's size (the JS tier keeps it in memory)
        else this.emit(Op.GADDR, e.sym.index);
        return;
      case 'str':
        this.emit(Op.SADDR, e.index);
        return;
      case 'deref':
        this.value(e.ptr);
        return;
      case 'member':
        this.addr(e.base);
        if (e.offset) {
          this.emit(Op.PUSH, 0, BigInt(e.offset));
          this.emit(Op.PTRADD, 1);
        }
        return;
      case 'compound':
        this.compound(e);
        return;
      default:
        // A struct rvalue (a call's result, a ?: of structs): its value is already an address.
        this.value(e);
    }
  }

  private compound(e: TExpr & { e: 'compound' }): void {
    const off = e.temp;
    const size = e.init.size;
    this.emit(Op.LADDR, off, size);
    this.emit(Op.ZERO, size);
    this.initParts(() => this.emit(Op.LADDR, off, size), e.init);
    this.emit(Op.LADDR, off, size);
  }

  private load(t: CType): void {
    if (t.t === 'struct' || t.t === 'array' || t.t === 'func') return; // aggregates are handled by address
    this.emit(Op.LOAD, kindOf(t));
  }

  /** Evaluates a condition and jumps to the returned instruction's `a` when it is false (or true, with `ifTrue`). */
  protected branch(e: TExpr, ifTrue: boolean): Ins {
    if (isPure(e)) return this.emit(ifTrue ? Op.EVALJNZ : Op.EVALJZ, 0, compileClosure(e));
    this.value(e);
    return this.emit(ifTrue ? Op.JNZ : Op.JZ);
  }

  /** Pushes the value of an rvalue (structs: their address); void expressions push nothing. */
  value(e: TExpr): void {
    // One closure for the whole expression when it has no calls (a constant or a scalar local is one instruction anyway).
    if (e.e !== 'const' && !(e.e === 'var' && isLocalScalar(e)) && isPure(e)) {
      this.emit(e.type.t === 'void' ? Op.EXEC : Op.EVAL, 0, compileClosure(e));
      return;
    }
    switch (e.e) {
      case 'const':
        this.emit(Op.PUSH, 0, e.v);
        return;
      case 'var':
        if (e.sym.kind === 'local' && e.type.t !== 'struct' && e.type.t !== 'array') {
          this.emit(Op.LLOAD, e.sym.offset, kindOf(e.type));
          return;
        }
        this.addr(e);
        this.load(e.type);
        return;
      case 'str':
      case 'deref':
      case 'member':
      case 'compound':
        this.addr(e);
        this.load(e.type);
        return;
      case 'func':
        this.emit(Op.PUSH, 0, FUNC_VA_BASE + BigInt(e.fn.id) * 16n);
        return;
      case 'addr':
        if (e.arg.e === 'func') this.value(e.arg);
        else this.addr(e.arg);
        return;
      case 'decay':
        this.addr(e.arg);
        return;
      case 'unary':
        this.value(e.arg);
        this.emit(e.op === '-' ? Op.NEG : e.op === '~' ? Op.NOT : Op.LNOT, arithKind(e.arg.type));
        return;
      case 'binary':
        this.value(e.left);
        this.value(e.right);
        this.emit(BIN_OPS[e.op], arithKind(e.type));
        return;
      case 'cmp':
        this.value(e.left);
        this.value(e.right);
        this.emit(CMP_OPS[e.op], arithKind(e.left.type));
        return;
      case 'logic': {
        const j1 = this.branch(e.left, e.op !== '&&');
        const j2 = this.branch(e.right, e.op !== '&&');
        this.emit(Op.PUSH, 0, e.op === '&&' ? 1 : 0);
        const jend = this.emit(Op.JMP);
        j1.a = j2.a = this.here;
        this.emit(Op.PUSH, 0, e.op === '&&' ? 0 : 1);
        jend.a = this.here;
        return;
      }
      case 'ptradd':
        this.value(e.ptr);
        this.value(e.index);
        this.emit(e.sub ? Op.PTRSUB : Op.PTRADD, e.scale);
        return;
      case 'ptrdiff':
        this.value(e.left);
        this.value(e.right);
        this.emit(Op.PTRDIFF, e.scale);
        return;
      case 'assign':
        if (isLocalScalar(e.target)) {
          this.value(e.value);
          this.emit(Op.LSTORE, e.target.sym.offset, kindOf(e.target.type));
          return;
        }
        this.addr(e.target);
        this.value(e.value);
        if (e.type.t === 'struct') this.emit(Op.COPY, sizeOf(e.type) ?? 0);
        else this.emit(Op.STORE, kindOf(e.target.type));
        return;
      case 'opassign': {
        const local = isLocalScalar(e.target) ? e.target.sym.offset : undefined;
        if (local !== undefined) {
          this.emit(Op.LLOAD, local, kindOf(e.target.type));
        } else {
          this.addr(e.target);
          this.emit(Op.DUP);
          this.emit(Op.LOAD, kindOf(e.target.type));
        }
        if (e.target.type.t === 'ptr') {
          this.value(e.value);
          this.emit(e.op === '-' ? Op.PTRSUB : Op.PTRADD, e.scale);
        } else {
          this.emit(Op.CONV, kindOf(e.opType));
          this.value(e.value);
          this.emit(BIN_OPS[e.op], arithKind(e.opType));
          this.emit(Op.CONV, kindOf(e.target.type));
        }
        if (local !== undefined) this.emit(Op.LSTORE, local, kindOf(e.target.type));
        else this.emit(Op.STORE, kindOf(e.target.type));
        return;
      }
      case 'incdec':
        if (isLocalScalar(e.target)) {
          this.emit(Op.LINCDEC, e.target.sym.offset, { kind: kindOf(e.target.type), delta: e.delta, scale: e.scale, prefix: e.prefix });
          return;
        }
        this.addr(e.target);
        this.emit(Op.INCDEC, kindOf(e.target.type), { delta: e.delta, scale: e.scale, prefix: e.prefix });
        return;
      case 'conv':
        this.value(e.arg);
        if (e.type.t === 'void') {
          if (e.arg.type.t !== 'void') this.emit(Op.POP);
          return;
        }
        this.emit(Op.CONV, kindOf(e.type));
        return;
      case 'cond': {
        const jz = this.branch(e.test, false);
        this.value(e.then);
        const j = this.emit(Op.JMP);
        jz.a = this.here;
        this.value(e.else);
        j.a = this.here;
        return;
      }
      case 'comma':
        this.discard(e.left);
        this.value(e.right);
        return;
      case 'call':
        this.call(e);
        return;
      case 'expect':
        this.expect(e);
        return;
    }
  }

  private call(e: TExpr & { e: 'call' }): void {
    const fn = e.fn;
    const pureArgs = e.args.every(isPure);
    if (fn && !fn.body) {
      if (!pureArgs) for (const a of e.args) this.value(a);
      const site: CallSite = {
        name: fn.name, argc: e.args.length, range: e.range, argTypes: e.args.map((a) => a.type), returnsValue: e.type.t !== 'void',
        retKind: e.type.t === 'int' || e.type.t === 'ptr' ? kindOf(e.type) : undefined,
        args: pureArgs ? e.args.map(compileClosure) : undefined,
      };
      this.emit(Op.CALLN, this.natives(fn.name), site);
    } else if (fn && pureArgs) {
      this.emit(Op.CALLD, fn.id, e.args.map(compileClosure));
    } else {
      if (!fn) this.value(e.callee);
      for (const a of e.args) this.value(a);
      if (fn) this.emit(Op.CALL, fn.id, e.args.length);
      else this.emit(Op.CALLI, e.type.t !== 'void' ? 1 : 0, e.args.length); // a: whether it leaves a value (the JS tier needs to know)
    }
    if (e.temp !== undefined) this.emit(Op.TEMPCOPY, e.temp, sizeOf(e.type) ?? 0);
  }

  private expect(e: TExpr & { e: 'expect' }): void {
    let argTypes: CType[];
    if (e.left && e.right && e.op) {
      this.value(e.left);
      this.value(e.right);
      argTypes = [e.left.type, e.right.type];
    } else {
      this.value(e.cond);
      argTypes = [e.cond.type];
    }
    const site: CallSite = {
      name: 'expect', argc: argTypes.length, range: e.range, argTypes, returnsValue: e.type.t !== 'void',
      retKind: e.type.t === 'int' || e.type.t === 'ptr' ? kindOf(e.type) : undefined,
      expect: { op: e.left ? e.op : undefined, text: e.text },
    };
    this.emit(Op.CALLN, this.natives('expect'), site);
  }
}
