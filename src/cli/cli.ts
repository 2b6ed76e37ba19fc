// The realm-lab command line as a function of its arguments: parse, read the scenario, run or
// sweep it, print, and return the exit code (0 ok, 1 problems found, 2 compile or usage errors).
// main.ts only binds it to the process; tests call it in-process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRun, formatDiagnostic, report, sweepParallel, SweepError, type Diagnostic, type Run } from '../run';
import { USAGE, UsageError, parseArgs, type CliCommand } from './args';
import { formatRun, formatSweep } from './format';
import { InputError, readInclude, readScenario } from './load';
import { exportTrace } from './trace';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Writes a file (trace --out). */
  writeFile?(file: string, text: string): void;
}

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** JSON with bigints as hex strings (fault specs may carry a granule PA). */
export const toJson = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x), 2);

/** The package version, from the package.json above this bundle. */
export function version(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const p = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'realm-lab' && pkg.version) return pkg.version;
    } catch { /* not here */ }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/** Compile errors compiler-style; true when there were any (the run cannot start). */
function printDiagnostics(diags: readonly Diagnostic[], io: CliIo): boolean {
  for (const d of diags) io.stderr(formatDiagnostic(d));
  return diags.some((d) => d.severity === 'error');
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let cmd: CliCommand;
  try {
    cmd = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`realm-lab: ${e.message}\nTry 'realm-lab --help'.`);
    return EXIT_USAGE;
  }
  if (cmd.kind === 'help') {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  if (cmd.kind === 'version') {
    io.stdout(`realm-lab ${version()}`);
    return EXIT_OK;
  }
  try {
    const source = readScenario(cmd.file);
    const base = { file: cmd.file, source, profile: cmd.profile, hostVariant: cmd.host, readFile: readInclude };
    if (cmd.kind === 'sweep') {
      const result = await sweepParallel(
        { ...base, shard: cmd.shard, maxPoints: cmd.maxPoints, commands: cmd.commands, statuses: cmd.statuses },
        createRun, { jobs: cmd.jobs },
      );
      const failedToCompile = printDiagnostics(result.clean.compiled ? [] : result.clean.diagnostics.map(fromReport), io);
      io.stdout(cmd.json ? toJson(result) : formatSweep(result));
      return failedToCompile ? EXIT_USAGE : result.ok ? EXIT_OK : EXIT_PROBLEMS;
    }
    const run = await createRun({ ...base, faults: cmd.faults });
    const failedToCompile = printDiagnostics(run.diagnostics, io);
    if (!failedToCompile) run.runToEnd();
    if (cmd.kind === 'trace') {
      const text = toJson(exportTrace(run, cmd.file));
      if (cmd.out) (io.writeFile ?? ((f, t) => fs.writeFileSync(f, t)))(cmd.out, `${text}\n`);
      else io.stdout(text);
      return failedToCompile ? EXIT_USAGE : EXIT_OK;
    }
    const r = report(run as Run, cmd.file);
    if (cmd.json) io.stdout(toJson(r));
    else if (!failedToCompile) io.stdout(formatRun(r));
    return failedToCompile ? EXIT_USAGE : r.ok ? EXIT_OK : EXIT_PROBLEMS;
  } catch (e) {
    if (e instanceof InputError || e instanceof SweepError) {
      io.stderr(`realm-lab: ${e.message}`);
      return EXIT_USAGE;
    }
    const err = e as NodeJS.ErrnoException;
    if (err?.code && err.syscall) {
      // A write that failed (trace --out into a missing folder, a full disk).
      io.stderr(`realm-lab: ${err.path ?? ''}${err.path ? ': ' : ''}${err.message}`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

/** A report diagnostic back in the shape formatDiagnostic prints. */
function fromReport(d: { file: string; line: number; column: number; severity: string; code: string | null; message: string }): Diagnostic {
  return { range: { file: d.file, line: d.line, column: d.column, endLine: d.line, endColumn: d.column }, severity: d.severity as Diagnostic['severity'], message: d.message, code: d.code ?? undefined };
}
