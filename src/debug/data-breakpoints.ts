// Data breakpoints on granule state: "break when the granule at this address changes state".
// A granule's state only changes inside an RMI call, and every call's trace event lists the
// changes it made (TraceEvent.changes), so watching is a look at the calls a statement made.
// dataIds name physical addresses, not variables, so they stay valid across stops, stepBack
// and restart: `granule:0x80001000`, or `granule:0x80001000+16` for a run of 16 granules.
import { GRANULE_SIZE, granuleStateName, type Rmm } from '../rmm';
import type { RmiCallEvent } from '../run';

const PREFIX = 'granule:';
/** Most granules one data breakpoint may cover (1 GiB): enough for any range command. */
export const MAX_WATCH_GRANULES = 1 << 18;

/** A run of granules one data breakpoint watches: [pa, pa + count * GRANULE_SIZE). */
export interface GranuleWatch {
  pa: number;
  count: number;
}

const hex = (v: number | bigint) => `0x${BigInt(v).toString(16)}`;

export function dataIdOf(w: GranuleWatch): string {
  return w.count === 1 ? `${PREFIX}${hex(w.pa)}` : `${PREFIX}${hex(w.pa)}+${w.count}`;
}

export function describeWatch(w: GranuleWatch): string {
  return w.count === 1 ? `granule ${hex(w.pa)}` : `${w.count} granules ${hex(w.pa)}..${hex(w.pa + (w.count - 1) * GRANULE_SIZE)}`;
}

/** Whether `pa` is inside the emulator's DRAM. */
function inDram(rmm: Rmm, pa: number): boolean {
  return rmm.st.granules.index(pa) >= 0;
}

/**
 * The granules covering `bytes` bytes from `address`, checked against DRAM; a string says why not.
 * An unaligned address means the granule that contains it.
 */
export function watchAt(rmm: Rmm, address: bigint, bytes = 1): GranuleWatch | string {
  if (address < 0n || address > BigInt(Number.MAX_SAFE_INTEGER)) return `${hex(BigInt.asUintN(64, address))} is not a physical address inside DRAM`;
  if (!Number.isInteger(bytes) || bytes < 1) return `bytes must be a positive whole number (got ${String(bytes)})`;
  const a = Number(address);
  const pa = a - (a % GRANULE_SIZE);
  const count = Math.ceil((a + bytes - pa) / GRANULE_SIZE);
  if (count > MAX_WATCH_GRANULES) return `${count} granules are more than one data breakpoint watches (at most ${MAX_WATCH_GRANULES})`;
  const regions = rmm.st.granules.regions.map((r) => `${hex(r.base)}-${hex(r.base + r.size - 1)}`).join(', ');
  if (!inDram(rmm, pa) || !inDram(rmm, pa + (count - 1) * GRANULE_SIZE)) return `${hex(a)} is outside DRAM (${regions}): no granule to watch`;
  return { pa, count };
}

/** Parses a dataId this adapter handed out; a string says what is wrong with it. */
export function parseDataId(rmm: Rmm | undefined, dataId: unknown): GranuleWatch | string {
  if (typeof dataId !== 'string') return 'dataId must be a string';
  const m = /^granule:(0x[0-9a-f]+|\d+)(?:\+(\d+))?$/i.exec(dataId.trim());
  if (!m) return `'${dataId}' is not a data breakpoint id of this debugger (expected granule:<PA>)`;
  const pa = BigInt(m[1]);
  const count = m[2] === undefined ? 1 : Number(m[2]);
  if (count < 1 || pa % BigInt(GRANULE_SIZE) !== 0n) return `'${dataId}' is not a granule-aligned address and granule count`;
  if (!rmm) {
    if (pa > BigInt(Number.MAX_SAFE_INTEGER) || count > MAX_WATCH_GRANULES) return `'${dataId}' is out of range`;
    return { pa: Number(pa), count };
  }
  return watchAt(rmm, pa, count * GRANULE_SIZE);
}

/**
 * The physical address a variable holds: its memoryReference, or a value that is a plain
 * integer (a phys_addr_t local, an RD's PA). undefined when it holds none.
 */
export function addressHeld(v: { value: string; memoryReference?: string }): bigint | undefined {
  for (const text of [v.memoryReference, v.value]) {
    const m = text === undefined ? null : /^\s*(0x[0-9a-f]+|\d+)\s*$/i.exec(text);
    if (m) return BigInt(m[1]);
  }
  return undefined;
}

/** One state change of a watched granule, and the call that made it. */
export interface WatchedChange {
  pa: number;
  from: number;
  to: number;
  call: RmiCallEvent;
}

/** The changes `calls` made to granules inside `w`. */
export function changesIn(w: GranuleWatch, calls: readonly RmiCallEvent[]): WatchedChange[] {
  const end = w.pa + w.count * GRANULE_SIZE;
  const out: WatchedChange[] = [];
  for (const call of calls) {
    for (const c of call.changes) if (c.pa >= w.pa && c.pa < end) out.push({ pa: c.pa, from: c.from, to: c.to, call });
  }
  return out;
}

/** "granule 0x80001000: DELEGATED -> RD by RMI_REALM_CREATE (call #3)", a few at most. */
export function describeChanges(changes: readonly WatchedChange[]): string {
  const shown = changes.slice(0, 4).map((c) =>
    `granule ${hex(c.pa)}: ${granuleStateName(c.from)} -> ${granuleStateName(c.to)} by ${c.call.name} (call #${c.call.seq})`);
  if (changes.length > shown.length) shown.push(`and ${changes.length - shown.length} more`);
  return shown.join('; ');
}
