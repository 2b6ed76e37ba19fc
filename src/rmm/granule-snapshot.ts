// Copy-on-write snapshots of the granule table. A 4 GiB machine has 1,048,576 granules; copying
// state, owner and lastChange whole (9 MiB) costs 5-8 ms once snapshots are kept alive (the OS has
// to hand out fresh pages), too slow for a checkpoint per debugger step. So the table is cut into
// chunks of 2^CHUNK_SHIFT granules: a snapshot copies only the chunks written since the last
// snapshot or restore (GranuleTable.dirty, marked by set()) and shares the others with the
// snapshot before it; never-written chunks share one pristine chunk. Restore copies back only the
// chunks that differ, and a diff skips chunks two snapshots share.
// refcount is written directly by several commands, so it is not chunked: it is saved per object
// granule instead (RD, RTT and REC are the only granules that keep a count; the invariant
// `refcount_zero` holds everything else at 0).
import { CHUNK_SHIFT, type GranuleTable } from './granules';

export interface GranuleChunk {
  readonly state: Uint8Array;
  readonly owner: Int32Array;
  readonly lastChange: Uint32Array;
}

export interface GranuleSnapshot {
  readonly count: number;
  /** Chunk c holds granules [c << CHUNK_SHIFT, (c + 1) << CHUNK_SHIFT); shared between snapshots when unchanged. */
  readonly chunks: readonly GranuleChunk[];
  /** Granule indices with a non-zero refcount, and their counts. */
  readonly refAt: Uint32Array;
  readonly refValue: Uint32Array;
}

/** For each table, the chunks its arrays equal wherever `dirty` is 0 (its last snapshot or restore). */
const bases = new WeakMap<GranuleTable, readonly GranuleChunk[]>();
/** Never-written chunks by length, shared by every machine; nothing ever writes into a chunk. */
const pristine = new Map<number, GranuleChunk>();

function pristineChunk(length: number): GranuleChunk {
  let c = pristine.get(length);
  if (!c) {
    c = { state: new Uint8Array(length), owner: new Int32Array(length).fill(-1), lastChange: new Uint32Array(length) };
    pristine.set(length, c);
  }
  return c;
}

function chunkStart(c: number): number {
  return c << CHUNK_SHIFT;
}

function chunkEnd(g: GranuleTable, c: number): number {
  return Math.min((c + 1) << CHUNK_SHIFT, g.count);
}

/** The chunks a table equals where it is not dirty; a table never snapshotted equals the pristine ones. */
function baseOf(g: GranuleTable): readonly GranuleChunk[] {
  let b = bases.get(g);
  if (!b) {
    b = Array.from({ length: g.dirty.length }, (_, c) => pristineChunk(chunkEnd(g, c) - chunkStart(c)));
    bases.set(g, b);
  }
  return b;
}

/** Snapshot of the table; `counted` are the granules that may keep a refcount (RDs, RTTs, RECs). */
export function snapshotGranules(g: GranuleTable, counted: Iterable<number>): GranuleSnapshot {
  const base = baseOf(g);
  const chunks = new Array<GranuleChunk>(g.dirty.length);
  for (let c = 0; c < chunks.length; c++) {
    if (g.dirty[c]) {
      const s = chunkStart(c);
      const e = chunkEnd(g, c);
      chunks[c] = { state: g.state.slice(s, e), owner: g.owner.slice(s, e), lastChange: g.lastChange.slice(s, e) };
      g.dirty[c] = 0;
    } else {
      chunks[c] = base[c];
    }
  }
  bases.set(g, chunks);
  const at: number[] = [];
  for (const gi of counted) if (g.refcount[gi] !== 0) at.push(gi);
  at.sort((a, b) => a - b);
  return { count: g.count, chunks, refAt: Uint32Array.from(at), refValue: Uint32Array.from(at, (gi) => g.refcount[gi]) };
}

export function restoreGranules(g: GranuleTable, s: GranuleSnapshot): void {
  if (s.count !== g.count) throw new RangeError(`restore: snapshot of ${s.count} granules does not fit a machine of ${g.count}`);
  const base = baseOf(g);
  for (let c = 0; c < s.chunks.length; c++) {
    const ch = s.chunks[c];
    if (!g.dirty[c] && base[c] === ch) continue;
    const at = chunkStart(c);
    g.state.set(ch.state, at);
    g.owner.set(ch.owner, at);
    g.lastChange.set(ch.lastChange, at);
  }
  g.dirty.fill(0);
  bases.set(g, s.chunks);
  g.refcount.fill(0);
  for (let k = 0; k < s.refAt.length; k++) g.refcount[s.refAt[k]] = s.refValue[k];
  g.changes = undefined;
}

/** Whether chunk c of the live table is known to equal `chunk` without comparing (diff against now). */
export function liveChunkIs(g: GranuleTable, c: number, chunk: GranuleChunk): boolean {
  return !g.dirty[c] && baseOf(g)[c] === chunk;
}

export { CHUNK_SHIFT };
