// The machine's instruction set: a small stack machine. Programs are immutable and shared between
// a run and its snapshots; only the machine state (frames, operand stack, memory) changes.
import type { SrcRange } from '../source';
import type { CType } from '../check/types';
import type { Closure } from './closures';

export const enum Op {
  STMT, PUSH, POP, DUP,
  LADDR, LLOAD, LSTORE, GADDR, SADDR,
  LOAD, STORE, COPY, ZERO, TEMPCOPY,
  ADD, SUB, MUL, DIV, MOD, AND, OR, XOR, SHL, SHR, NEG, NOT, LNOT,
  EQ, NE, LT, LE, GT, GE,
  CONV, PTRADD, PTRSUB, PTRDIFF, INCDEC, LINCDEC,
  JMP, JZ, JNZ, SWITCH,
  CALL, CALLI, CALLN, RET,
  /** Closures (closures.ts): EVAL pushes b(m, fp); EXEC runs it for its effects; EVALJZ/EVALJNZ branch on it to a. */
  EVAL, EXEC, EVALJZ, EVALJNZ,
  /** CALLD: CALL whose arguments are closures (b), stored straight into the callee's frame. LSTOREP: LSTORE + POP. */
  CALLD, LSTOREP,
  /** A STMT whose next instruction is an EXEC, EVALJZ or EVALJNZ: runs that one too (one dispatch per simple statement). */
  STMTX,
}

/** Scalar kinds: how a value is loaded, stored and converted. */
export const enum K { I8, U8, I16, U16, I32, U32, I64, U64, BOOL, PTR }

/** Arithmetic kinds (after promotion): the op's `a` operand. */
export const enum A { I32, U32, I64, U64 }

export class Ins {
  constructor(
    readonly op: Op,
    public a: number = 0,
    public b: any = undefined,
  ) {}
}

export function kindOf(t: CType): K {
  if (t.t === 'ptr') return K.PTR;
  if (t.t !== 'int') return K.U64;
  if (t.bool) return K.BOOL;
  switch (t.size) {
    case 1: return t.signed ? K.I8 : K.U8;
    case 2: return t.signed ? K.I16 : K.U16;
    case 4: return t.signed ? K.I32 : K.U32;
    default: return t.signed ? K.I64 : K.U64;
  }
}

export const KIND_SIZE = [1, 1, 2, 2, 4, 4, 8, 8, 1, 8];

export function arithKind(t: CType): A {
  if (t.t === 'ptr') return A.U64;
  if (t.t === 'int' && t.size === 8) return t.signed ? A.I64 : A.U64;
  return t.t === 'int' && !t.signed && t.size === 4 ? A.U32 : A.I32;
}

/** A native call site: what an intrinsic needs to know about where it was called from. */
export interface CallSite {
  name: string;
  argc: number;
  /** The call expression. */
  range: SrcRange;
  /** The static types of the arguments (after promotion), for printf-like intrinsics. */
  argTypes: CType[];
  /** kindOf(argTypes[i]), filled in by the machine on the first call. */
  argKinds?: K[];
  returnsValue: boolean;
  /** How the result is represented (natives may return a number for a 64-bit type or vice versa). */
  retKind?: K;
  /** The arguments as closures, when none has a call (else they are on the operand stack). */
  args?: Closure[];
  /** expect(a OP b): the comparison and the source range of the condition. */
  expect?: { op?: string; text: SrcRange };
}

export interface CompiledFunction {
  id: number;
  name: string;
  code: Ins[];
  /** Statement table: STMT n stops at stmts[n]. */
  stmts: SrcRange[];
  frameSize: number;
  /** Where each argument is copied into the new frame. */
  params: { offset: number; kind: K; size: number; struct: boolean }[];
  range: SrcRange;
  origin: 'scenario' | 'host' | 'header';
  /** Jump tables of switch statements (case value -> pc), plus the default pc. */
  switches: { cases: Map<number | bigint, number>; dflt: number }[];
}
