// The RMI calls of a run, kept in columns (typed arrays) as the emulator reports them, and read
// through small view objects. A run keeps every call it made, and a page-by-page populate of
// 1 GiB makes half a million: as objects (an event, its X1..X6 and X0..X4 arrays and their
// BigInts, its granule changes) that was about 480 bytes a call, all of it surviving
// young-generation collections, which then spent more time copying the trace than the run spent
// making it. Here recording a call allocates nothing, and reading one makes a view of two fields
// whose args, ret and changes are built on first use.
//
// The columns live in chunks, so that growing never copies (nor touches twice the memory it
// needs). X1..X6 are kept as doubles: the C code passes its registers as numbers (Rmm.smcValues),
// and a BigInt register (2^53 or more) goes to a side table. Registers are kept as the RMM sees
// them, 64 bits unsigned. A view reads the store it was made from; truncating (a checkpoint
// restored) gives the log a new store and leaves the old one to the views already handed out, so
// a view never shows a call recorded after it was made.
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
/** Calls (and changes) per chunk. */
const SIZE = 1 << SHIFT;
const MASK = SIZE - 1;
const ARGS = 6;
const RETS = 5;
const NONE: readonly never[] = Object.freeze([]);
/** Room the first chunk starts with: a run of a few calls (a live edit, a sweep point) allocates little. */
const FIRST = 256;

/** The columns of up to SIZE calls (the first chunk starts smaller and doubles up to SIZE; the others are SIZE). */
class Chunk {
  readonly seq: Float64Array;
  readonly fid: Float64Array;
  readonly status: Int32Array;
  readonly index: Int32Array;
  readonly step: Float64Array;
  readonly entryLine: Int32Array;
  /** X1..X6 as doubles; a register that is not exactly one is in Store.wideArgs. */
  readonly args: Float64Array;
  /** X0..X4, written only when not zero (the columns start zeroed). */
  readonly ret: BigUint64Array;
  /** End of each call's changes in the change columns (its start is the previous call's end). */
  readonly changeEnd: Float64Array;
  // References the emulator shares between calls (names, check lists, statement ranges).
  readonly name: string[];
  readonly checks: string[][];
  readonly range: SourceRange[];

  /** Empty, or holding the first `count` calls of `from`. */
  constructor(readonly capacity: number, from?: Chunk, count = 0) {
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
    if (!from) return;
    for (const k of ['seq', 'fid', 'status', 'index', 'step', 'entryLine', 'changeEnd'] as const) this[k].set(from[k].subarray(0, count));
    this.args.set(from.args.subarray(0, count * ARGS));
    this.ret.set(from.ret.subarray(0, count * RETS));
    for (let j = 0; j < count; j++) {
      this.name[j] = from.name[j];
      this.checks[j] = from.checks[j];
      this.range[j] = from.range[j];
    }
  }
}

/** The granule changes, in chunks of up to SIZE changes (the first one starts smaller, as Chunk's). */
class ChangeChunk {
  readonly pa: Float64Array;
  readonly from: Uint8Array;
  readonly to: Uint8Array;

  constructor(readonly capacity: number, old?: ChangeChunk, count = 0) {
    this.pa = new Float64Array(capacity);
    this.from = new Uint8Array(capacity);
    this.to = new Uint8Array(capacity);
    if (!old) return;
    this.pa.set(old.pa.subarray(0, count));
    this.from.set(old.from.subarray(0, count));
    this.to.set(old.to.subarray(0, count));
  }
}

/** A chunk kind: made empty with room for `capacity`, or holding the first `count` entries of `from`. */
type ChunkOf<T> = new (capacity: number, from?: T, count?: number) => T;

/** Room for entry `at` in a chunk list: a new chunk, or the first one, still small, doubled. */
function roomFor<T extends { capacity: number }>(list: T[], at: number, make: ChunkOf<T>): T {
  const k = at >>> SHIFT;
  const old = list[k];
  const c = old ? new make(Math.min(SIZE, old.capacity * 2), old, old.capacity) : new make(k === 0 ? FIRST : SIZE);
  list[k] = c;
  return c;
}

/** The first `n` entries of a chunk list: full chunks shared (nothing writes them again), the last one copied. */
function prefixOf<T extends { capacity: number }>(list: readonly T[], n: number, make: ChunkOf<T>): T[] {
  const out = list.slice(0, n >>> SHIFT);
  if (n & MASK) out.push(new make(list[n >>> SHIFT].capacity, list[n >>> SHIFT], n & MASK));
  return out;
}

/** Everything recorded: appended to, never changed, until a truncation replaces it. */
class Store {
  constructor(
    readonly chunks: Chunk[] = [],
    readonly changes: ChangeChunk[] = [],
  ) {}

  // Rare, by call index.
  readonly failedCheck = new Map<number, string>();
  readonly fault = new Map<number, string>();
  readonly findings = new Map<number, Finding[]>();
  /** X1..X6 (or more: Rmm.smc passes any number on) of the calls whose registers are not all kept as doubles. */
  readonly wideArgs = new Map<number, bigint[]>();

  /** The store of the first `n` calls and `nChanges` changes. */
  prefix(n: number, nChanges: number): Store {
    const s = new Store(prefixOf(this.chunks, n, Chunk), prefixOf(this.changes, nChanges, ChangeChunk));
    for (const [from, to] of [[this.failedCheck, s.failedCheck], [this.fault, s.fault], [this.findings, s.findings], [this.wideArgs, s.wideArgs]] as [Map<number, unknown>, Map<number, unknown>][]) {
      for (const [k, v] of from) if (k < n) to.set(k, v);
    }
    return s;
  }
}

export class CallLog {
  private n = 0;
  private nChanges = 0;
  private s = new Store();

  constructor(private readonly site: CallSite) {}

  get length(): number {
    return this.n;
  }

  /** The dispatcher's recorder (TraceSink.record): copies what it is lent into the columns. */
  readonly record: RecordTraceCall = (seq, fid, name, x, ret, outputs, status, index, checks, failedCheck, fault, changes, nChanges, findings) => {
    const i = this.n;
    const j = i & MASK;
    const s = this.s;
    let ch = s.chunks[i >>> SHIFT];
    if (ch === undefined || j === ch.capacity) ch = roomFor(s.chunks, i, Chunk);
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
    // X1..X6 written out (a loop costs about twice as much here).
    const a = j * ARGS;
    const col = ch.args;
    const ok = x.length === ARGS && (exact(col, a, x[0]) & exact(col, a + 1, x[1]) & exact(col, a + 2, x[2]) &
      exact(col, a + 3, x[3]) & exact(col, a + 4, x[4]) & exact(col, a + 5, x[5])) === 1;
    if (!ok) s.wideArgs.set(i, x.map(u64));
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
    if (failedCheck !== undefined) s.failedCheck.set(i, failedCheck);
    if (fault !== undefined) s.fault.set(i, fault);
    if (findings.length) s.findings.set(i, findings);
    let c = this.nChanges;
    for (let k = 0; k < 3 * nChanges; k += 3, c++) {
      const cj = c & MASK;
      let cc = s.changes[c >>> SHIFT];
      if (cc === undefined || cj === cc.capacity) cc = roomFor(s.changes, c, ChangeChunk);
      cc.pa[cj] = changes[k];
      cc.from[cj] = changes[k + 1];
      cc.to[cj] = changes[k + 2];
    }
    this.nChanges = c;
    ch.changeEnd[j] = c;
    this.n = i + 1;
  };

  /** Forgets every call from `n` on (a checkpoint restored); the views already made keep theirs. */
  truncate(n: number): void {
    if (n >= this.n) return;
    const nChanges = n > 0 ? this.s.chunks[(n - 1) >>> SHIFT].changeEnd[(n - 1) & MASK] : 0;
    this.s = this.s.prefix(n, nChanges);
    this.n = n;
    this.nChanges = nChanges;
  }

  /** Call `i` (0-based) as an event: a new view each time (the run keeps the ones it hands out). */
  event(i: number): RmiCallEvent {
    return new CallView(this.s, i);
  }
}

/**
 * One recorded call as an RmiCallEvent. Its scalar fields are own properties, copied from the
 * columns when the view is made; its arrays (args, ret, changes) are accessors that build them on
 * first use and keep them (the same arrays each time, as an event's would be). What it reads them
 * from is private, so spreading, cloning or serialising a view never reaches the columns.
 */
class CallView implements RmiCallEvent {
  readonly seq: number;
  readonly fid: number;
  readonly name: string;
  readonly status: number;
  readonly index: number;
  readonly checks: string[];
  readonly failedCheck: string | undefined;
  readonly fault: string | undefined;
  readonly findings: Finding[];
  readonly step: number;
  readonly range: SourceRange;
  readonly entryLine: number;
  readonly #s: Store;
  readonly #i: number;
  #args: bigint[] | undefined;
  #ret: bigint[] | undefined;
  #changes: GranuleChange[] | undefined;

  constructor(s: Store, i: number) {
    const ch = s.chunks[i >>> SHIFT];
    const j = i & MASK;
    this.seq = ch.seq[j];
    this.fid = ch.fid[j];
    this.name = ch.name[j];
    this.status = ch.status[j];
    this.index = ch.index[j];
    this.checks = ch.checks[j];
    // The rare fields live in maps: looked up only when some call has one.
    this.failedCheck = s.failedCheck.size ? s.failedCheck.get(i) : undefined;
    this.fault = s.fault.size ? s.fault.get(i) : undefined;
    this.findings = (s.findings.size ? s.findings.get(i) : undefined) ?? (NONE as never);
    this.step = ch.step[j];
    this.range = ch.range[j];
    this.entryLine = ch.entryLine[j];
    this.#s = s;
    this.#i = i;
  }

  get args(): bigint[] {
    if (this.#args) return this.#args;
    const i = this.#i;
    const wide = this.#s.wideArgs.get(i);
    const col = this.#s.chunks[i >>> SHIFT].args;
    const a = (i & MASK) * ARGS;
    return (this.#args = wide ? wide.slice() :
      [BigInt(col[a]), BigInt(col[a + 1]), BigInt(col[a + 2]), BigInt(col[a + 3]), BigInt(col[a + 4]), BigInt(col[a + 5])]);
  }

  get ret(): bigint[] {
    if (this.#ret) return this.#ret;
    const i = this.#i;
    const col = this.#s.chunks[i >>> SHIFT].ret;
    const r = (i & MASK) * RETS;
    return (this.#ret = [col[r], col[r + 1], col[r + 2], col[r + 3], col[r + 4]]);
  }

  get changes(): GranuleChange[] {
    if (this.#changes) return this.#changes;
    const i = this.#i;
    const s = this.#s;
    const c0 = i > 0 ? s.chunks[(i - 1) >>> SHIFT].changeEnd[(i - 1) & MASK] : 0;
    const c1 = s.chunks[i >>> SHIFT].changeEnd[i & MASK];
    const out: GranuleChange[] = c1 === c0 ? (NONE as never) : [];
    for (let c = c0; c < c1; c++) {
      const cc = s.changes[c >>> SHIFT];
      const cj = c & MASK;
      out.push({ pa: cc.pa[cj], from: cc.from[cj], to: cc.to[cj] });
    }
    return (this.#changes = out);
  }

  /** JSON.stringify (with a replacer for the BigInts, as for any event) shows every field. */
  toJSON(): RmiCallEvent {
    const { seq, fid, name, args, ret, status, index, checks, failedCheck, fault, changes, findings, step, range, entryLine } = this;
    return { seq, fid, name, args, ret, status, index, checks, failedCheck, fault, changes, findings, step, range, entryLine };
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
