// Fault injection, as data (part of a run's configuration so runs stay deterministic): make a
// command return a chosen status on its Nth call, on the call touching a given granule, or,
// for range commands, after k granules have been processed.
import { statusFromName } from './constants';
import type { Outcome } from './checks';

export interface FaultSpec {
  /** The command's spec name, e.g. RMI_GRANULE_RANGE_DELEGATE (or its 2.0 alias). */
  command: string;
  /** Fire on the Nth call (1-based) of the command; for range commands, arm on it. */
  nth?: number;
  /** Fire on the call that touches this granule; a range command stops at this granule. */
  granule?: bigint | number;
  /** Range commands: process k granules (counted across calls from when the fault is armed), then fail. */
  afterGranules?: number;
  /** Status to return: a name (RMI_ERROR_INPUT) or a number. */
  status: string | number;
  /** X0 index field to return with the status. */
  index?: number;
  /** Range commands: override the RMM option that says whether X1 reports progress on error. */
  reportProgress?: boolean;
  /** How many times the fault fires (default 1). */
  times?: number;
}

interface Armed {
  spec: FaultSpec;
  status: number;
  granule: number | undefined;
  fired: number;
  /** Granules processed since the fault was armed (range commands). */
  processed: number;
  armed: boolean;
}

export function validateFault(f: FaultSpec): string | undefined {
  if (typeof f !== 'object' || f === null) return 'a fault must be an object';
  if (typeof f.command !== 'string' || !f.command) return 'a fault needs the command it applies to';
  const st = typeof f.status === 'number' ? f.status : statusFromName(String(f.status));
  if (st === undefined || !Number.isInteger(st) || st < 0 || st > 255) return `unknown status ${String(f.status)}`;
  if (f.nth !== undefined && !(Number.isInteger(f.nth) && f.nth >= 1)) return 'nth must be a whole number from 1';
  if (f.afterGranules !== undefined && !(Number.isInteger(f.afterGranules) && f.afterGranules >= 0)) return 'afterGranules must be a whole number from 0';
  if (f.times !== undefined && !(Number.isInteger(f.times) && f.times >= 1)) return 'times must be a whole number from 1';
  return undefined;
}

function toArmed(spec: FaultSpec): Armed {
  const err = validateFault(spec);
  if (err) throw new RangeError(`fault on ${spec?.command ?? '?'}: ${err}`);
  const status = typeof spec.status === 'number' ? spec.status : statusFromName(spec.status)!;
  return { spec, status, granule: spec.granule === undefined ? undefined : Number(spec.granule), fired: 0, processed: 0, armed: false };
}

export class FaultInjector {
  private readonly armed: Armed[];
  private readonly calls = new Map<string, number>();

  constructor(specs: readonly FaultSpec[]) {
    this.armed = specs.map(toArmed);
  }

  /**
   * Adds a fault while the machine runs (a scenario's fault_inject): it applies from the next call
   * of its command (`nth` would count from the first call). Snapshots carry it (save/load).
   */
  add(spec: FaultSpec): void {
    this.armed.push(toArmed(spec));
  }

  get specs(): FaultSpec[] {
    return this.armed.map((a) => a.spec);
  }

  get empty(): boolean {
    return this.armed.length === 0;
  }

  /** Counts a call of `names` (a command and its aliases); returns the faults that apply to it. */
  beginCall(names: readonly string[]): Armed[] | undefined {
    if (this.armed.length === 0) return undefined;
    const key = names[0];
    const n = (this.calls.get(key) ?? 0) + 1;
    this.calls.set(key, n);
    let out: Armed[] | undefined;
    for (const a of this.armed) {
      if (!names.includes(a.spec.command)) continue;
      if (a.fired >= (a.spec.times ?? 1)) continue;
      if (a.spec.nth !== undefined && a.spec.nth !== n && !a.armed) continue;
      a.armed = true;
      (out ??= []).push(a);
    }
    return out;
  }

  /** For a non-range command whose checks all passed: the injected outcome, if a fault fires. */
  fire(applicable: Armed[] | undefined, touches: readonly number[]): Outcome | undefined {
    if (!applicable) return undefined;
    for (const a of applicable) {
      if (a.granule !== undefined && !touches.includes(a.granule)) continue;
      a.fired++;
      a.armed = false;
      return { status: a.status, index: a.spec.index ?? 0, check: 'fault_injected' };
    }
    return undefined;
  }

  /** For a range command, before processing the granule at `pa`. */
  granule(applicable: Armed[] | undefined, pa: number): { outcome: Outcome; reportProgress?: boolean } | undefined {
    if (!applicable) return undefined;
    for (const a of applicable) {
      if (a.fired >= (a.spec.times ?? 1)) continue;
      const atGranule = a.granule !== undefined && a.granule === pa;
      const afterK = a.spec.afterGranules !== undefined && a.processed >= a.spec.afterGranules;
      const plain = a.granule === undefined && a.spec.afterGranules === undefined;
      if (atGranule || afterK || plain) {
        a.fired++;
        a.armed = false;
        a.processed = 0;
        return { outcome: { status: a.status, index: a.spec.index ?? 0, check: 'fault_injected' }, reportProgress: a.spec.reportProgress };
      }
    }
    return undefined;
  }

  /** A range command processed one granule. */
  processed(applicable: Armed[] | undefined): void {
    if (!applicable) return;
    for (const a of applicable) if (a.armed) a.processed++;
  }

  /** Deterministic copy of the counters, for snapshots. */
  save(): unknown {
    return { calls: [...this.calls], armed: this.armed.map((a) => ({ spec: a.spec, fired: a.fired, processed: a.processed, armed: a.armed })) };
  }

  load(saved: unknown): void {
    const s = saved as { calls: [string, number][]; armed: { spec: FaultSpec; fired: number; processed: number; armed: boolean }[] };
    this.calls.clear();
    for (const [k, v] of s.calls) this.calls.set(k, v);
    // Faults added after the snapshot go; faults added before it come back.
    this.armed.length = 0;
    for (const x of s.armed) this.armed.push({ ...toArmed(x.spec), fired: x.fired, processed: x.processed, armed: x.armed });
  }
}
