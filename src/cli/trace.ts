// `realm-lab trace`: the run's trace as JSON, one entry per RMI call with everything the
// emulator recorded (registers, the checks evaluated in order, granule changes, findings) and
// where in the C code the call was made.
import { granuleStateName, type Run } from '../run';

const hex = (v: bigint | number) => `0x${v.toString(16)}`;

export interface TraceFile {
  format: 'realm-lab-trace';
  version: 1;
  file: string;
  profile: string;
  hostVariant: string;
  steps: number;
  calls: unknown[];
}

export function exportTrace(run: Run, file: string): TraceFile {
  return {
    format: 'realm-lab-trace', version: 1, file, profile: run.profile, hostVariant: run.hostVariant, steps: run.steps,
    calls: run.calls.map((c) => ({
      seq: c.seq, step: c.step, fid: hex(c.fid), name: c.name,
      args: c.args.map(hex), ret: c.ret.map(hex), status: c.status, index: c.index,
      checks: c.checks, failedCheck: c.failedCheck ?? null, fault: c.fault ?? null,
      file: c.range.file, line: c.range.line, column: c.range.column,
      changes: c.changes.map((g) => ({ pa: hex(g.pa), from: granuleStateName(g.from), to: granuleStateName(g.to) })),
      findings: c.findings.map((f) => ({ kind: f.kind, message: f.message, pa: f.pa === undefined ? null : hex(f.pa) })),
    })),
  };
}
