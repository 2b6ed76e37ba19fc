// Which scalar locals the JS tier keeps in JS variables ("registers") rather than in the frame,
// and which of them must be read from the frame when the function starts. A register is always
// written back to the frame when the frame outlives a call of its JS function (jit.ts), so the
// interpreter, the debugger and a snapshot see the frame as the interpreter would have left it.
import { closureExpr, type Closure } from './closures';
import { analyseDepth, successors } from './jit-depth';
import { ExprSource, type Registers } from './jit-expr';
import { KIND_SIZE, Op, type CallSite, type CompiledFunction, type K } from './ops';

export interface RegisterPlan {
  regs: Registers;
  /** Registers a path may read before writing them: loaded from the frame on entry (an uninitialised local reads what the frame holds, as in the interpreter). */
  loadOnEntry: Set<number>;
  /** Indices of the parameters kept in registers: callers in the JS tier pass them as JS arguments. */
  direct: number[];
}

const plans = new WeakMap<CompiledFunction, RegisterPlan>();

/**
 * A local is a register when every access to it is in code the JS tier translates (no closure it
 * cannot see into), its address is never formed, and it is always accessed as one kind at one
 * offset, overlapping nothing else in the frame.
 */
export function registerPlan(fn: CompiledFunction, fns: readonly (CompiledFunction | undefined)[]): RegisterPlan {
  let plan = plans.get(fn);
  if (!plan) {
    plan = computePlan(fn, fns);
    plans.set(fn, plan);
  }
  return plan;
}

function computePlan(fn: CompiledFunction, fns: readonly (CompiledFunction | undefined)[]): RegisterPlan {
  const { depth } = analyseDepth(fn, fns);
  const kinds = new Map<number, number>(); // offset -> kind, -1 when mixed
  const taken: [number, number][] = []; // [start, end) of every local whose address is formed
  const reads: number[][] = fn.code.map(() => []);
  const writes: number[][] = fn.code.map(() => []);
  let at = 0;
  let opaque = false;
  const use = (offset: number, kind: K, read: boolean, write: boolean) => {
    const k = kinds.get(offset);
    kinds.set(offset, k === undefined || k === kind ? kind : -1);
    if (read) reads[at].push(offset);
    if (write) writes[at].push(offset);
  };
  let t = 0;
  const probe = new ExprSource(new Map(), () => 'B', () => `t${t++}`, {
    use,
    addrOf: (offset, size) => taken.push([offset, offset + Math.max(1, size)]),
  });
  const visit = (c: unknown) => {
    const e = closureExpr.get(c as Closure);
    if (!e) opaque = true;
    else probe.value(e);
  };
  fn.code.forEach((ins, i) => {
    if (depth[i] < 0) return;
    at = i;
    switch (ins.op) {
      case Op.EVAL: case Op.EXEC: case Op.EVALJZ: case Op.EVALJNZ: visit(ins.b); break;
      case Op.CALLD: (ins.b as unknown[]).forEach(visit); break;
      case Op.CALLN: (ins.b as CallSite).args?.forEach(visit); break;
      case Op.LLOAD: use(ins.a, ins.b as K, true, false); break;
      case Op.LSTORE: case Op.LSTOREP: use(ins.a, ins.b as K, false, true); break;
      case Op.LINCDEC: use(ins.a, (ins.b as { kind: K }).kind, true, true); break;
      // Address-of in code with calls, aggregates' initialisers, temporaries: b is the size.
      case Op.LADDR: case Op.TEMPCOPY: taken.push([ins.a, ins.a + Math.max(1, Number(ins.b) || 4096)]); break;
    }
  });
  for (const p of fn.params) if (!p.struct) use(p.offset, p.kind, false, false);
  const regs = new Map<number, { name: string; kind: K }>();
  const none: RegisterPlan = { regs, loadOnEntry: new Set(), direct: [] };
  if (opaque) return none;

  const spans: [number, number][] = [...taken];
  for (const [o, k] of kinds) spans.push([o, o + (k >= 0 ? KIND_SIZE[k] : 8)]);
  for (const [offset, kind] of kinds) {
    if (kind < 0 || taken.some(([s, e]) => s < offset + KIND_SIZE[kind] && e > offset)) continue;
    const end = offset + KIND_SIZE[kind];
    if (spans.some(([o, e]) => (o !== offset || e !== end) && o < end && e > offset)) continue;
    regs.set(offset, { name: `r${offset}`, kind: kind as K });
  }

  // Definitely written before read? A forward must-analysis over the instructions: parameters
  // are written on entry; within one instruction reads count as before its writes.
  const params = new Set(fn.params.filter((p) => regs.has(p.offset)).map((p) => p.offset));
  const into: (Set<number> | undefined)[] = fn.code.map(() => undefined);
  into[0] = new Set(params);
  const work = [0];
  while (work.length) {
    const i = work.pop()!;
    const out = new Set(into[i]);
    for (const w of writes[i]) if (regs.has(w)) out.add(w);
    for (const s of successors(fn, i)) {
      const cur = into[s];
      if (!cur) {
        into[s] = new Set(out);
        work.push(s);
        continue;
      }
      let changed = false;
      for (const x of cur) if (!out.has(x)) { cur.delete(x); changed = true; }
      if (changed) work.push(s);
    }
  }
  const loadOnEntry = new Set<number>();
  fn.code.forEach((_, i) => {
    const known = into[i];
    if (!known) return;
    for (const r of reads[i]) if (regs.has(r) && !known.has(r)) loadOnEntry.add(r);
  });
  const direct = fn.params.flatMap((p, k) => (!p.struct && regs.has(p.offset) ? [k] : []));
  return { regs, loadOnEntry, direct };
}
