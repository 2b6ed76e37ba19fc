// The realm-lab command line: argument parsing only (no I/O), so that it is tested in-process.
import { STATUS_NAMES, validateFault, type FaultSpec } from '../run';

export type Profile = '1.0' | '2.0';
export type HostVariant = 'v14' | 'fixed';

interface Common {
  file: string;
  json: boolean;
  profile?: Profile;
  host?: HostVariant;
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | ({ kind: 'run'; faults: FaultSpec[] } & Common)
  | ({ kind: 'sweep'; shard?: { index: number; count: number }; jobs?: number; maxPoints?: number; commands?: string[]; statuses?: string[] } & Common)
  | ({ kind: 'trace'; out?: string; faults: FaultSpec[] } & Common);

/** A mistake in the command line: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

export const USAGE = `Usage: realm-lab <command> FILE [options]

Runs Arm CCA host realm scenarios (*.realm.c) against the embedded RMM emulator.

Commands:
  run FILE      run the scenario once and report every RMI call, WARN, expectation and leak
  sweep FILE    fault sweep: run it once per (RMI call x failing status), and per k for range
                commands, and report the points that leak, WARN or fail an expectation
  trace FILE    export the run's trace (every RMI call with its checks and granule changes) as JSON

Options:
  --json                 print one JSON object instead of text (run, sweep)
  --profile 1.0|2.0      RMM profile (overrides the scenario's machine declaration)
  --host v14|fixed       host code variant (overrides the scenario's machine declaration)
  --fault SPEC           inject a fault (run, trace; repeatable). SPEC is
                         COMMAND[,nth=N][,after=K][,granule=PA][,status=STATUS][,times=N]
                         e.g. RMI_GRANULE_RANGE_DELEGATE,nth=2,after=3,status=RMI_ERROR_INPUT
                         (status defaults to RMI_ERROR_INPUT), or a JSON FaultSpec object
  --shard i/n            sweep: run only shard i of n (0 <= i < n), for a CI matrix
  --jobs N               sweep: worker threads (default: CPUs - 1)
  --max-points N         sweep: refuse sweeps of more than N points (default 5000)
  --command NAME         sweep: only calls of this RMI command (repeatable)
  --status NAME          sweep: try these failing statuses (repeatable; default: RMI_ERROR_INPUT
                         and the statuses the command's checks return)
  --out FILE             trace: write the trace to FILE instead of standard output
  -h, --help             show this help
  -V, --version          show the version

Exit status: 0 ok; 1 an expectation failed, a granule leaked or the run stopped on an error;
2 the scenario does not compile, or a usage error.`;

const VALUE_OPTIONS = new Set(['--profile', '--host', '--fault', '--shard', '--jobs', '--max-points', '--command', '--status', '--out']);
const ALLOWED: Record<'run' | 'sweep' | 'trace', Set<string>> = {
  run: new Set(['--json', '--profile', '--host', '--fault']),
  sweep: new Set(['--json', '--profile', '--host', '--shard', '--jobs', '--max-points', '--command', '--status']),
  trace: new Set(['--profile', '--host', '--fault', '--out']),
};

function wholeNumber(v: string, what: string, min: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) throw new UsageError(`${what} must be a whole number from ${min}, not '${v}'`);
  return Number(v);
}

function statusName(v: string, what: string): string {
  if (!STATUS_NAMES.includes(v)) throw new UsageError(`${what}: unknown status '${v}' (e.g. RMI_ERROR_INPUT)`);
  if (v === 'RMI_SUCCESS') throw new UsageError(`${what}: RMI_SUCCESS is not a failure`);
  return v;
}

/** Parses a --fault SPEC: COMMAND[,key=value]... or a JSON object. */
export function parseFault(spec: string): FaultSpec {
  let f: FaultSpec;
  const what = `--fault '${spec}'`;
  if (spec.trim().startsWith('{')) {
    try {
      f = JSON.parse(spec) as FaultSpec;
    } catch (e) {
      throw new UsageError(`${what}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (typeof f.granule === 'string') f.granule = BigInt(f.granule);
  } else {
    const [command, ...rest] = spec.split(',').map((s) => s.trim());
    if (!/^RMI_[A-Z0-9_]+$/.test(command ?? '')) throw new UsageError(`${what}: start with the RMI command's name, e.g. RMI_GRANULE_DELEGATE`);
    f = { command, status: 'RMI_ERROR_INPUT' };
    for (const kv of rest) {
      const m = /^([a-z]+)=(.+)$/.exec(kv);
      if (!m) throw new UsageError(`${what}: expected key=value, not '${kv}'`);
      const [, key, value] = m;
      switch (key) {
        case 'nth': f.nth = wholeNumber(value, `${what}: nth`, 1); break;
        case 'after': f.afterGranules = wholeNumber(value, `${what}: after`, 0); break;
        case 'times': f.times = wholeNumber(value, `${what}: times`, 1); break;
        case 'index': f.index = wholeNumber(value, `${what}: index`, 0); break;
        case 'granule':
          if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(value)) throw new UsageError(`${what}: granule must be a physical address such as 0x80001000`);
          f.granule = BigInt(value);
          break;
        case 'status': f.status = statusName(value, what); break;
        default: throw new UsageError(`${what}: unknown key '${key}' (use nth, after, granule, status, times, index)`);
      }
    }
  }
  const err = validateFault(f);
  if (err) throw new UsageError(`${what}: ${err}`);
  return f;
}

/** Parses the arguments after `node cli.js`. */
export function parseArgs(argv: readonly string[]): CliCommand {
  if (argv.length === 0) throw new UsageError('no command given');
  if (argv.includes('-h') || argv.includes('--help') || argv[0] === 'help') return { kind: 'help' };
  if (argv.includes('-V') || argv.includes('--version')) return { kind: 'version' };
  const kind = argv[0];
  if (kind !== 'run' && kind !== 'sweep' && kind !== 'trace') throw new UsageError(`unknown command '${kind}' (use run, sweep or trace)`);
  const allowed = ALLOWED[kind];
  const files: string[] = [];
  const values = new Map<string, string[]>();
  let json = false;
  for (let i = 1; i < argv.length; i++) {
    let a = argv[i];
    let inline: string | undefined;
    if (a.startsWith('--') && a.includes('=')) {
      inline = a.slice(a.indexOf('=') + 1);
      a = a.slice(0, a.indexOf('='));
    }
    if (!a.startsWith('-') || a === '-') {
      files.push(a);
      continue;
    }
    if (!allowed.has(a)) {
      throw new UsageError(VALUE_OPTIONS.has(a) || a === '--json' ? `${a} does not apply to '${kind}'` : `unknown option ${a}`);
    }
    if (a === '--json') {
      if (inline !== undefined) throw new UsageError('--json takes no value');
      json = true;
      continue;
    }
    const v = inline ?? argv[++i];
    if (v === undefined) throw new UsageError(`${a} needs a value`);
    values.set(a, [...(values.get(a) ?? []), v]);
  }
  if (files.length === 0) throw new UsageError(`'${kind}' needs a scenario FILE`);
  if (files.length > 1) throw new UsageError(`'${kind}' takes one scenario FILE, not ${files.length} (${files.join(', ')})`);
  const one = (name: string) => {
    const v = values.get(name);
    if (v && v.length > 1) throw new UsageError(`${name} given more than once`);
    return v?.[0];
  };
  const profile = one('--profile');
  if (profile !== undefined && profile !== '1.0' && profile !== '2.0') throw new UsageError(`--profile must be 1.0 or 2.0, not '${profile}'`);
  const host = one('--host');
  if (host !== undefined && host !== 'v14' && host !== 'fixed') throw new UsageError(`--host must be v14 or fixed, not '${host}'`);
  const common: Common = { file: files[0], json, profile: profile as Profile | undefined, host: host as HostVariant | undefined };
  const faults = (values.get('--fault') ?? []).map(parseFault);
  if (kind === 'run') return { kind, ...common, faults };
  if (kind === 'trace') return { kind, ...common, faults, out: one('--out') };
  const out: CliCommand = { kind, ...common };
  const shard = one('--shard');
  if (shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(shard);
    if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) throw new UsageError(`--shard must be i/n with 0 <= i < n, e.g. 0/4, not '${shard}'`);
    out.shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  const jobs = one('--jobs');
  if (jobs !== undefined) out.jobs = wholeNumber(jobs, '--jobs', 1);
  const max = one('--max-points');
  if (max !== undefined) out.maxPoints = wholeNumber(max, '--max-points', 1);
  const commands = values.get('--command');
  if (commands) {
    for (const c of commands) if (!/^RMI_[A-Z0-9_]+$/.test(c)) throw new UsageError(`--command: '${c}' is not an RMI command name`);
    out.commands = commands;
  }
  const statuses = values.get('--status');
  if (statuses) out.statuses = statuses.map((s) => statusName(s, '--status'));
  return out;
}
