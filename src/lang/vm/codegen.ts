// Typed statements -> instructions (expressions: codegen-expr.ts). Every statement the debugger can stop at
// starts with STMT; loop conditions get one too, so that every cycle in the control flow passes a
// STMT (where the step budget is enforced) and stepping through a loop stops at its header.
import type { SrcRange } from '../source';
import type { FuncSym, InitPlan, TStmt } from '../check/tree';
import { sizeOf } from '../check/types';
import { from64 } from './arith64';
import { ExprCompiler, type NativeIndex } from './codegen-expr';
import { Ins, Op, kindOf, type CompiledFunction } from './ops';

export function compileFunction(fn: FuncSym, natives: NativeIndex): CompiledFunction {
  return new FunctionCompiler(fn, natives).compile();
}

interface Loop {
  breaks: Ins[];
  continues: Ins[] | undefined;
}

class FunctionCompiler extends ExprCompiler {
  private readonly switches: CompiledFunction['switches'] = [];
  private readonly labels = new Map<string, number>();
  private readonly gotos: { ins: Ins; label: string }[] = [];
  private readonly loops: Loop[] = [];
  /** Open switches: their table and the break list. */
  private switchStack: { table: CompiledFunction['switches'][number] }[] = [];

  constructor(
    private readonly fn: FuncSym,
    natives: NativeIndex,
  ) {
    super(natives);
  }

  compile(): CompiledFunction {
    const fn = this.fn;
    for (const p of fn.params) p.scope = { from: 0, to: Number.MAX_SAFE_INTEGER };
    if (fn.body) this.stmt(fn.body);
    // Falling off the end of a function returns (0 for main-like int functions, as C allows for main).
    this.stmtMark(fn.body ? fn.body.end : fn.range);
    if (fn.type.ret.t !== 'void' && fn.type.ret.t !== 'struct') this.emit(Op.PUSH, 0, fn.type.ret.t === 'ptr' || (fn.type.ret.t === 'int' && fn.type.ret.size === 8) ? 0n : 0);
    this.emit(Op.RET, fn.type.ret.t === 'void' || fn.type.ret.t === 'struct' ? 0 : 1);
    for (const g of this.gotos) g.ins.a = this.labels.get(g.label) ?? 0;
    // A statement that is one closure: STMTX runs it in the same dispatch. The fused instruction
    // stays in place (STMTX skips it), so jumps to it still work and no target moves.
    const code = this.code;
    for (let i = 0; i + 1 < code.length; i++) {
      const next = code[i + 1].op;
      if (code[i].op === Op.STMT && (next === Op.EXEC || next === Op.EVALJZ || next === Op.EVALJNZ)) code[i] = new Ins(Op.STMTX, code[i].a);
    }
    return {
      id: fn.id,
      name: fn.name,
      code: this.code,
      stmts: this.stmts,
      frameSize: fn.frameSize,
      params: fn.params.map((p) => ({ offset: p.offset, kind: kindOf(p.type), size: sizeOf(p.type) ?? 8, struct: p.type.t === 'struct' })),
      range: fn.range,
      origin: fn.origin,
      switches: this.switches,
    };
  }

  private stmtMark(range: SrcRange): number {
    this.stmts.push(range);
    const id = this.stmts.length - 1;
    this.emit(Op.STMT, id);
    return id;
  }

  // ---- statements ----------------------------------------------------------------------------

  private stmt(s: TStmt): void {
    switch (s.s) {
      case 'expr':
        if (!s.e) return;
        this.stmtMark(s.range);
        this.discard(s.e);
        return;
      case 'decl': {
        const withInit = s.vars.filter((v) => v.init);
        if (withInit.length) this.stmtMark(s.range);
        // Visible from the declaration itself on (as debuggers show a local being initialised).
        const from = withInit.length ? this.stmts.length - 1 : this.stmts.length;
        for (const v of s.vars) {
          v.sym.scope = { from, to: Number.MAX_SAFE_INTEGER };
          if (v.init) this.initLocal(v.sym.offset, v.init);
        }
        return;
      }
      case 'block': {
        const first = this.stmts.length;
        for (const c of s.body) this.stmt(c);
        this.closeScopes(s, first);
        return;
      }
      case 'if': {
        this.stmtMark(s.test.range);
        const jz = this.branch(s.test, false);
        this.stmt(s.then);
        if (s.else) {
          const jmp = this.emit(Op.JMP);
          jz.a = this.here;
          this.stmt(s.else);
          jmp.a = this.here;
        } else {
          jz.a = this.here;
        }
        return;
      }
      case 'while': {
        const top = this.here;
        this.stmtMark(s.test.range);
        const jz = this.branch(s.test, false);
        const loop = this.loop(() => this.stmt(s.body), true);
        for (const c of loop.continues!) c.a = top;
        this.emit(Op.JMP, top);
        jz.a = this.here;
        for (const b of loop.breaks) b.a = this.here;
        return;
      }
      case 'do': {
        const top = this.here;
        const loop = this.loop(() => this.stmt(s.body), true);
        const cond = this.here;
        this.stmtMark(s.test.range);
        this.branch(s.test, true).a = top;
        for (const c of loop.continues!) c.a = cond;
        for (const b of loop.breaks) b.a = this.here;
        return;
      }
      case 'for': {
        const first = this.stmts.length;
        if (s.init) this.stmt(s.init);
        const top = this.here;
        this.stmtMark(s.test ? s.test.range : headerRange(s.range));
        let jz: Ins | undefined;
        if (s.test) jz = this.branch(s.test, false);
        const loop = this.loop(() => this.stmt(s.body), true);
        const cont = this.here;
        if (s.update) this.discard(s.update);
        this.emit(Op.JMP, top);
        if (jz) jz.a = this.here;
        for (const c of loop.continues!) c.a = cont;
        for (const b of loop.breaks) b.a = this.here;
        this.closeScopes(s, first);
        return;
      }
      case 'return':
        this.stmtMark(s.range);
        if (s.value && s.value.type.t !== 'void') {
          this.value(s.value);
          this.emit(Op.RET, this.fn.type.ret.t === 'struct' ? 2 : 1);
        } else {
          if (s.value) this.discard(s.value);
          this.emit(Op.RET, 0);
        }
        return;
      case 'break': {
        this.stmtMark(s.range);
        const target = this.loops[this.loops.length - 1];
        target.breaks.push(this.emit(Op.JMP));
        return;
      }
      case 'continue': {
        this.stmtMark(s.range);
        for (let i = this.loops.length - 1; i >= 0; i--) {
          const l = this.loops[i];
          if (l.continues) {
            l.continues.push(this.emit(Op.JMP));
            return;
          }
        }
        return;
      }
      case 'goto':
        this.stmtMark(s.range);
        this.gotos.push({ ins: this.emit(Op.JMP), label: s.label });
        return;
      case 'label':
        this.labels.set(s.label, this.here);
        this.stmt(s.body);
        return;
      case 'switch': {
        this.stmtMark(s.test.range);
        this.value(s.test);
        const table = { cases: new Map<number | bigint, number>(), dflt: -1 };
        this.switches.push(table);
        this.emit(Op.SWITCH, this.switches.length - 1);
        this.switchStack.push({ table });
        const loop = this.loop(() => this.stmt(s.body), false);
        this.switchStack.pop();
        if (table.dflt < 0) table.dflt = this.here;
        for (const b of loop.breaks) b.a = this.here;
        return;
      }
      case 'case': {
        const sw = this.switchStack[this.switchStack.length - 1];
        if (s.value === undefined) sw.table.dflt = this.here;
        else sw.table.cases.set(typeof s.value === 'bigint' ? from64(s.value) : s.value, this.here);
        for (const c of s.body) this.stmt(c);
        return;
      }
    }
  }

  /** Locals declared in this block go out of view after its last statement. */
  private closeScopes(s: TStmt, first: number): void {
    const to = this.stmts.length;
    const visit = (t: TStmt | undefined) => {
      if (!t) return;
      if (t.s === 'decl') for (const v of t.vars) if (v.sym.scope && v.sym.scope.from >= first) v.sym.scope.to = Math.min(v.sym.scope.to, to);
    };
    if (s.s === 'block') s.body.forEach(visit);
    else if (s.s === 'for') visit(s.init);
  }

  private loop(body: () => void, isLoop: boolean): Loop {
    const l: Loop = { breaks: [], continues: isLoop ? [] : undefined };
    this.loops.push(l);
    try {
      body();
    } finally {
      this.loops.pop();
    }
    return l;
  }

  private initLocal(offset: number, plan: InitPlan): void {
    const full = plan.parts.length === 1 && 'type' in plan.parts[0] && plan.parts[0].offset === 0 && (sizeOf(plan.parts[0].type) ?? 0) === plan.size;
    if (!full && plan.size > 0) {
      this.emit(Op.LADDR, offset, plan.size);
      this.emit(Op.ZERO, plan.size);
    }
    // Scalar parts go straight to their frame slot; the rest through the local's address.
    const scalar = plan.parts.every((p) => 'type' in p && (p.type.t === 'int' || p.type.t === 'ptr'));
    if (!scalar) {
      this.initParts(() => this.emit(Op.LADDR, offset, plan.size), plan);
      return;
    }
    for (const p of plan.parts) {
      if (!('type' in p)) continue;
      this.value(p.value);
      this.emit(Op.LSTOREP, offset + p.offset, kindOf(p.type));
    }
  }

}

/** The first line of a statement (a `for (;;)` header with no condition to point at). */
function headerRange(r: SrcRange): SrcRange {
  return { file: r.file, line: r.line, column: r.column, endLine: r.line, endColumn: r.column + 3 };
}

