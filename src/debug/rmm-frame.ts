// Stepping into an RMI call: a virtual frame for the RMM command itself, innermost on the stack
// (scenario -> host functions -> RMI command). Its source is a listing of the command's failure
// conditions in evaluation order (rmm.command(fid)), served by sourceReference; the walk stops
// once per check the call evaluated, on the failing one if any, then on the `return` line, and
// leaves the frame by completing the statement. The run does not move during the walk: the
// call's trace event says what each check found.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { statusName, type Rmm } from '../rmm';
import type { RmiCallEvent } from '../run';
import { decodeX0 } from './variables';

/** The id of the RMM command frame (machine frames are numbered 1.. from the outermost). */
export const RMM_FRAME_ID = 1_000_000;
const HEADER_LINES = 3;

export interface Listing {
  name: string;
  text: string;
  /** 1-based line of each check (and of 'fault_injected'), and of the return line. */
  lines: Map<string, number>;
  returnLine: number;
  docs: Map<string, { status?: number; doc?: string }>;
}

const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length));

/** The listing for the command a call ran: its checks, any checks it made while processing, and the return. */
export function listingFor(rmm: Rmm, call: RmiCallEvent): Listing {
  const cmd = rmm.command(call.fid);
  const name = cmd?.name ?? call.name;
  const rows: { check: string; status?: number; doc?: string; note?: string }[] = (cmd?.checks ?? []).map((c) => ({ check: c.name, status: c.status, doc: c.doc }));
  const known = new Set(rows.map((r) => r.check));
  for (const c of [...call.checks, ...(call.failedCheck ? [call.failedCheck] : [])]) {
    if (known.has(c)) continue;
    known.add(c);
    rows.push({ check: c, note: c === 'fault_injected' ? 'a fault injected by the scenario or the launch configuration' : 'checked while the command processes its granules' });
  }
  const header = [
    `/* ${name}: FID 0x${call.fid.toString(16)}, RMM profile ${rmm.profile}`,
    ' * The failure conditions in the order the emulator evaluates them: the first that holds',
    ' * decides the status in X0, and a failed command changes nothing. */',
  ];
  const lines = new Map<string, number>();
  const docs = new Map<string, { status?: number; doc?: string }>();
  const body = rows.map((r, i) => {
    lines.set(r.check, HEADER_LINES + 1 + i);
    docs.set(r.check, { status: r.status, doc: r.doc ?? r.note });
    const st = r.status === undefined ? '' : `-> ${statusName(r.status)}`;
    return `${pad(r.check, 20)}${pad(st, 26)}${r.doc ?? `(${r.note})`}`.trimEnd();
  });
  const returnLine = HEADER_LINES + rows.length + 1;
  const text = [...header, ...body, 'return X0..X4            /* the status, and the outputs on success */', ''].join('\n');
  return { name, text, lines, returnLine, docs };
}

/** Where the walk stands: `at` indexes the stops of the current call (checks, then return). */
export class RmmWalk {
  call = 0;
  at = 0;

  constructor(readonly rmm: Rmm, readonly calls: RmiCallEvent[]) {}

  /** The check names this call stops at, in order (the failing one last), then 'return'. */
  stops(c = this.calls[this.call]): string[] {
    const s = [...c.checks];
    if (c.failedCheck && !s.includes(c.failedCheck)) s.push(c.failedCheck);
    s.push('return');
    return s;
  }

  get current(): RmiCallEvent {
    return this.calls[this.call];
  }

  get check(): string {
    return this.stops()[this.at];
  }

  /** Moves to the next stop; false when the walk is over (the statement should now complete). */
  forward(): boolean {
    if (this.at + 1 < this.stops().length) {
      this.at++;
      return true;
    }
    if (this.call + 1 < this.calls.length) {
      this.call++;
      this.at = 0;
      return true;
    }
    return false;
  }

  /** Moves to the previous stop; false when already at the first (the walk ends there). */
  back(): boolean {
    if (this.at > 0) {
      this.at--;
      return true;
    }
    if (this.call > 0) {
      this.call--;
      this.at = this.stops().length - 1;
      return true;
    }
    return false;
  }

  /** Whether the current stop is the check that failed. */
  get failing(): boolean {
    return this.current.failedCheck === this.check;
  }

  describe(): { reason: string; description: string; text?: string } {
    const c = this.current;
    if (this.check === 'return') return { reason: 'step', description: `${c.name} returns X0 = ${decodeX0(c)}` };
    if (this.failing) {
      const why = c.failedCheck === 'fault_injected' ? ' (injected fault)' : '';
      return { reason: 'step', description: `${c.name}: check ${this.check} fails${why}: ${statusName(c.status)}`, text: `check ${this.check} fails` };
    }
    return { reason: 'step', description: `${c.name}: check ${this.check} passes` };
  }

  line(l: Listing): number {
    return this.check === 'return' ? l.returnLine : l.lines.get(this.check) ?? l.returnLine;
  }

  /** The frame's variables: the check and what it found, the inputs, and at `return` the outputs. */
  variables(l: Listing): DebugProtocol.Variable[] {
    const c = this.current;
    const v = (name: string, value: string, type?: string): DebugProtocol.Variable => ({ name, value, type, variablesReference: 0 });
    const hex = (x: bigint | undefined) => `0x${(x ?? 0n).toString(16)}`;
    const out: DebugProtocol.Variable[] = [v('command', `${c.name} (call #${c.seq})`, 'RMI command')];
    if (this.check === 'return') {
      out.push(v('X0', decodeX0(c), 'status'));
      for (let i = 1; i < 5; i++) out.push(v(`X${i} (out)`, hex(c.ret[i]), 'output'));
    } else {
      const d = l.docs.get(this.check);
      out.push(v('check', this.check, 'failure condition'));
      out.push(v('result', this.failing ? `holds: the command fails with ${statusName(c.status)}` : 'does not hold: the next check follows', 'check result'));
      if (d?.doc) out.push(v('condition', d.doc));
      if (d?.status !== undefined) out.push(v('status if it holds', statusName(d.status)));
    }
    for (let i = 0; i < 6; i++) out.push(v(`X${i + 1}`, hex(c.args[i]), 'input'));
    return out;
  }
}
