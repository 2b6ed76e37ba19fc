// The RMI calls of a run, kept in columns (typed arrays) as the emulator reports them, and turned
// into RmiCallEvent objects only when somebody reads them. A run keeps every call it made, and a
// page-by-page populate of 1 GiB makes half a million: as objects (an event, its X1..X6 and X0..X4
// arrays and their BigInts, its granule changes) that was about 480 bytes a call, all of it
// surviving young-generation collections, which then spent more time copying the trace than the
// run spent making it. Here a call costs about 130 bytes and allocates nothing.
//
// The columns live in fixed-size chunks, so that growing never copies (nor touches twice the
// memory it needs). X1..X6 are kept as doubles: the C code passes its registers as numbers
// (Rmm.smcValues), and a BigInt register (2^53 or more) goes to a side table. Registers are kept
// as the RMM sees them, 64 bits unsigned.
import type { Finding } from '../rmm';
import type { GranuleChange } from '../rmm/granules';
import type { RecordTraceCall } from '../rmm/trace';
import type { Reg } from '../rmm/u64';
import type { RmiCallEvent, SourceRange } from './api';

/** Where the C code is when a call is made (asked once per call, so no object is made for the answer). */
export interface CallSite {
  /** The statement making the call. */
  range(): SourceRange;
  /** The line of the entry function's statement that led to it. */
  entryLine(range: SourceRange): number;
  /** Statements executed so far. */
  step(): number;
}

const SHIFT = 16;
/** Calls per chunk. */
const SIZE = 1 << SHIFT;
const MASK = SIZE - 1;
const ARGS = 6;
const RETS = 5;
const NONE: readonly never[] = Object.freeze([]);

/** Calls the first chunk has room for at first: a run of a few calls (a live edit, a sweep point) allocates little. */
const FIRST = 256;

/** The columns of up to SIZE calls (the first chunk starts smaller and doubles up to SIZE; the others are SIZE). */
class Chunk {
  readonly seq: Float64Array;
  readonly fid: Float64Array;
  readonly status: Int32Array;
  readonly index: Int32Array;
  readonly step: Float64Array;
  readonly entryLine: Int32Array;
  /** X1..X6 as doubles; a register that is not exactly one is in CallLog.wideArgs. */
  readonly args: Float64Array;
  /** X0..X4, written only when not zero (the columns start zeroed; truncate re-zeroes). */
  readonly ret: BigUint64Array;
  /** End of each call's changes in the change columns (its start is the previous call's end). */
  readonly changeEnd: Float64Array;
  // References the emulator shares between calls (names, check lists, statement ranges).
  readonly name: string[];
  readonly checks: string[][];
  readonly range: SourceRange[];

  constructor(readonly capacity: number, from?: Chunk) {
    this.seq = new Float64Array(capacity);
    this.fid = new Float64Array(capacity);
    this.status = new Int32Array(capacity);
    this.index = new Int32Array(capacity);
    this.step = new Float64Array(capacity);
    this.entryLine = new Int32Array(capacity);
    this.args = new Float64Array(capacity * ARGS);
    this.ret = new BigUint64Array(capacity * RETS);
    this.changeEnd = new Float64Array(capacity);
    this.name = new Array(capacity);
    this.checks = new Array(capacity);
    this.range = new Array(capacity);
    if (from) {
      for (const k of ['seq', 'fid', 'status', 'index', 'step', 'entryLine', 'args', 'ret', 'changeEnd'] as const) this[k].set(from[k] as never);
      for (let j = 0; j < from.capacity; j++) {
        this.name[j] = from.name[j];
        this.checks[j] = from.checks[j];
        this.range[j] = from.range[j];
      }
    }
  }
}

/** The granule changes, in chunks of up to SIZE changes (the first one starts smaller, as Chunk's). */
class ChangeChunk {
  readonly pa: Float64Array;
  readonly from: Uint8Array;
  readonly to: Uint8Array;

  constructor(readonly capacity: number, old?: ChangeChunk) {
    this.pa = new Float64Array(capacity);
    this.from = new Uint8Array(capacity);
    this.to = new Uint8Array(capacity);
    if (old) {
      this.pa.set(old.pa);
      this.from.set(old.from);
      this.to.set(old.to);
    }
  }
}

export class CallLog {
  private n = 0;
  private readonly chunks: Chunk[] = [];
  private readonly changes: ChangeChunk[] = [];
  private nChanges = 0;
  // Rare, by call index.
  private readonly failedCheck = new Map<number, string>();
  private readonly fault = new Map<number, string>();
  private readonly findings = new Map<number, Finding[]>();
  /** X1..X6 (or more: Rmm.smc passes any number on) of the calls whose registers are not all kept as doubles. */
  private readonly wideArgs = new Map<number, bigint[]>();

  constructor(private readonly site: CallSite) {}

  get length(): number {
    return this.n;
  }

  /** The dispatcher's recorder (TraceSink.record): copies what it is lent into the columns. */
  readonly record: RecordTraceCall = (seq, fid, name, x, ret, outputs, status, index, checks, failedCheck, fault, changes, nChanges, findings) => {
    const i = this.n;
    const j = i & MASK;
    let ch = this.chunks[i >>> SHIFT];
    if (ch === undefined || j === ch.capacity) ch = this.addChunk(i);
    const site = this.site;
    const range = site.range();
    ch.seq[j] = seq;
    ch.fid[j] = fid;
    ch.status[j] = status;
    ch.index[j] = index;
    ch.step[j] = site.step();
    ch.entryLine[j] = site.entryLine(range);
    ch.name[j] = name;
    ch.checks[j] = checks;
    ch.range[j] = range;
    this.storeArgs(ch.args, j * ARGS, i, x);
    // Only what may not be zero (the columns start zeroed), as the dispatcher says without
    // comparing BigInts: X0 of a failure, X1..X4 when a command returned something.
    const r = j * RETS;
    const rets = ch.ret;
    if (status !== 0 || index !== 0) rets[r] = ret[0];
    if (outputs) {
      rets[r + 1] = ret[1];
      rets[r + 2] = ret[2];
      rets[r + 3] = ret[3];
      rets[r + 4] = ret[4];
    }
    if (failedCheck !== undefined) this.failedCheck.set(i, failedCheck);
    if (fault !== undefined) this.fault.set(i, fault);
    if (findings.length) this.findings.set(i, findings);
    let c = this.nChanges;
    for (let k = 0; k < 3 * nChanges; k += 3, c++) {
      const cj = c & MASK;
      let cc = this.changes[c >>> SHIFT];
      if (cc === undefined || cj === cc.capacity) cc = this.addChangeChunk(c);
      cc.pa[cj] = changes[k];
      cc.from[cj] = changes[k + 1];
      cc.to[cj] = changes[k + 2];
    }
    this.nChanges = c;
    ch.changeEnd[j] = c;
    this.n = i + 1;
  };

  /** X1..X6 into `col[a, a + 6)` as doubles; registers a double cannot hold exactly (or more than six) into wideArgs. */
  private storeArgs(col: Float64Array, a: number, i: number, x: readonly Reg[]): void {
    // Written out (a loop costs about twice as much here).
    const ok = x.length === ARGS && (exact(col, a, x[0]) & exact(col, a + 1, x[1]) & exact(col, a + 2, x[2]) &
      exact(col, a + 3, x[3]) & exact(col, a + 4, x[4]) & exact(col, a + 5, x[5])) === 1;
    if (!ok) this.wideArgs.set(i, x.map(u64));
  }

  /** Room for call `i`: a new chunk, or the first one, still small, doubled. */
  private addChunk(i: number): Chunk {
    const k = i >>> SHIFT;
    const old = this.chunks[k];
    const c = old ? new Chunk(Math.min(SIZE, old.capacity * 2), old) : new Chunk(k === 0 ? FIRST : SIZE);
    this.chunks[k] = c;
    return c;
  }

  private addChangeChunk(c: number): ChangeChunk {
    const k = c >>> SHIFT;
    const old = this.changes[k];
    const cc = old ? new ChangeChunk(Math.min(SIZE, old.capacity * 2), old) : new ChangeChunk(k === 0 ? FIRST : SIZE);
    this.changes[k] = cc;
    return cc;
  }

  /** Forgets every call from `n` on (a checkpoint restored). */
  truncate(n: number): void {
    if (n >= this.n) return;
    this.n = n;
    this.nChanges = n > 0 ? this.chunks[(n - 1) >>> SHIFT].changeEnd[(n - 1) & MASK] : 0;
    // Later chunks go; the rest of the last one is zeroed where only non-zero values are written.
    this.chunks.length = (n + MASK) >>> SHIFT;
    this.changes.length = (this.nChanges + MASK) >>> SHIFT;
    if (n & MASK) this.chunks[n >>> SHIFT].ret.fill(0n, (n & MASK) * RETS);
    for (const m of [this.failedCheck, this.fault, this.findings, this.wideArgs] as Map<number, unknown>[]) {
      for (const k of m.keys()) if (k >= n) m.delete(k);
    }
  }

  /** Call `i` (0-based) as an event object; a new object each time (the run keeps the ones it hands out). */
  event(i: number): RmiCallEvent {
    const ch = this.chunks[i >>> SHIFT];
    const j = i & MASK;
    const a = j * ARGS;
    const r = j * RETS;
    const col = ch.args;
    const args = this.wideArgs.get(i)?.slice() ??
      [BigInt(col[a]), BigInt(col[a + 1]), BigInt(col[a + 2]), BigInt(col[a + 3]), BigInt(col[a + 4]), BigInt(col[a + 5])];
    const ret = [ch.ret[r], ch.ret[r + 1], ch.ret[r + 2], ch.ret[r + 3], ch.ret[r + 4]];
    const c0 = i > 0 ? this.chunks[(i - 1) >>> SHIFT].changeEnd[(i - 1) & MASK] : 0;
    const c1 = ch.changeEnd[j];
    const changes: GranuleChange[] = c1 === c0 ? (NONE as never) : [];
    for (let c = c0; c < c1; c++) {
      const cc = this.changes[c >>> SHIFT];
      const cj = c & MASK;
      changes.push({ pa: cc.pa[cj], from: cc.from[cj], to: cc.to[cj] });
    }
    return {
      seq: ch.seq[j], fid: ch.fid[j], name: ch.name[j], args, ret, status: ch.status[j], index: ch.index[j],
      checks: ch.checks[j], failedCheck: this.failedCheck.get(i), fault: this.fault.get(i), changes,
      findings: this.findings.get(i) ?? (NONE as never), step: ch.step[j], range: ch.range[j], entryLine: ch.entryLine[j],
    };
  }
}

/** Stores a register at col[k] when it is a number (1), else leaves it for wideArgs (0). */
function exact(col: Float64Array, k: number, v: Reg): number {
  if (typeof v === 'number') {
    col[k] = v;
    return 1;
  }
  return 0;
}

/** A register as the RMM sees it: 64 bits, unsigned. */
const u64 = (v: Reg): bigint => (typeof v === 'number' ? BigInt(v) : BigInt.asUintN(64, v));
