// Operand-stack depth at every instruction of a compiled function, for the JS tier (jit.ts): the
// codegen is structured, so the depth at an instruction is the same on every path to it, and the
// JS tier can keep stack slot k in a local variable s<k> instead of an array.
import { Op, type CompiledFunction, type Ins } from './ops';

export interface DepthInfo {
  /** Depth before instruction i; -1 when i is unreachable. */
  depth: Int32Array;
  /** The deepest the stack gets. */
  max: number;
  /** Instructions control can reach other than by falling through: jump and switch targets, resume points. */
  labels: Set<number>;
}

/** Whether a call to `fn` leaves a value (its RETs carry one). */
export function returnsValue(fn: CompiledFunction | undefined): boolean {
  return !!fn && fn.code.some((i) => i.op === Op.RET && i.a !== 0);
}

/** Stack effect of one instruction (pops, pushes). */
function effect(ins: Ins, fns: readonly (CompiledFunction | undefined)[]): [number, number] {
  switch (ins.op) {
    case Op.STMT: case Op.STMTX: case Op.EXEC: case Op.EVALJZ: case Op.EVALJNZ: case Op.JMP:
      return [0, 0];
    case Op.EVAL: case Op.PUSH: case Op.LADDR: case Op.LLOAD: case Op.GADDR: case Op.SADDR: case Op.LINCDEC:
      return [0, 1];
    case Op.DUP: return [1, 2];
    case Op.POP: case Op.LSTOREP: case Op.ZERO: case Op.JZ: case Op.JNZ: case Op.SWITCH:
      return [1, 0];
    case Op.LSTORE: case Op.LOAD: case Op.TEMPCOPY: case Op.NEG: case Op.NOT: case Op.LNOT: case Op.CONV: case Op.INCDEC:
      return [1, 1];
    case Op.STORE: case Op.COPY:
    case Op.ADD: case Op.SUB: case Op.MUL: case Op.DIV: case Op.MOD: case Op.AND: case Op.OR: case Op.XOR:
    case Op.SHL: case Op.SHR: case Op.EQ: case Op.NE: case Op.LT: case Op.LE: case Op.GT: case Op.GE:
    case Op.PTRADD: case Op.PTRSUB: case Op.PTRDIFF:
      return [2, 1];
    case Op.CALL: return [ins.b as number, returnsValue(fns[ins.a]) ? 1 : 0];
    case Op.CALLD: return [0, returnsValue(fns[ins.a]) ? 1 : 0];
    case Op.CALLI: return [(ins.b as number) + 1, ins.a ? 1 : 0];
    case Op.CALLN: {
      const site = ins.b as { argc: number; args?: unknown[]; returnsValue: boolean };
      return [site.args ? 0 : site.argc, site.returnsValue ? 1 : 0];
    }
    case Op.RET: return [ins.a ? 1 : 0, 0];
  }
  throw new Error(`jit: no stack effect for instruction ${ins.op}`);
}

/** Where control goes after instruction i (besides nowhere, for RET). */
export function successors(fn: CompiledFunction, i: number): number[] {
  const ins = fn.code[i];
  switch (ins.op) {
    case Op.JMP: return [ins.a];
    case Op.JZ: case Op.JNZ: case Op.EVALJZ: case Op.EVALJNZ: return [ins.a, i + 1];
    case Op.SWITCH: {
      const t = fn.switches[ins.a];
      return [...t.cases.values(), t.dflt];
    }
    case Op.RET: return [];
    default: return [i + 1];
  }
}

export function analyseDepth(fn: CompiledFunction, fns: readonly (CompiledFunction | undefined)[]): DepthInfo {
  const code = fn.code;
  const depth = new Int32Array(code.length).fill(-1);
  const labels = new Set<number>([0]);
  let max = 0;
  const work: number[] = [0];
  depth[0] = 0;
  while (work.length) {
    const i = work.pop()!;
    const ins = code[i];
    const [pops, pushes] = effect(ins, fns);
    const d = depth[i];
    if (d < pops) throw new Error(`jit: ${fn.name}: stack underflow at ${i}`);
    const after = d - pops + pushes;
    max = Math.max(max, after, d);
    const next = successors(fn, i);
    if (ins.op === Op.JMP || ins.op === Op.JZ || ins.op === Op.JNZ || ins.op === Op.EVALJZ || ins.op === Op.EVALJNZ || ins.op === Op.SWITCH) {
      for (const t of next) if (t !== i + 1 || ins.op === Op.JMP || ins.op === Op.SWITCH) labels.add(t);
    }
    // Resume points: statements (a stopped frame) and the instruction after a C call (a caller).
    if (ins.op === Op.STMT || ins.op === Op.STMTX) labels.add(i);
    if (ins.op === Op.CALL || ins.op === Op.CALLD || ins.op === Op.CALLI) labels.add(i + 1);
    for (const t of next) {
      if (t < 0 || t >= code.length) throw new Error(`jit: ${fn.name}: jump out of the function at ${i}`);
      if (depth[t] === -1) {
        depth[t] = after;
        work.push(t);
      } else if (depth[t] !== after) {
        throw new Error(`jit: ${fn.name}: stack depth ${depth[t]} and ${after} meet at ${t}`);
      }
    }
  }
  return { depth, max, labels };
}
