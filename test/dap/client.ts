// A DebugClient against the built adapter (node dist/debugAdapter.js) that records every event,
// so a test can wait for one that may already have arrived, plus helpers for the usual sequences.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const ROOT = path.resolve(__dirname, '../../..');
export const ADAPTER = path.join(ROOT, 'dist/debugAdapter.js');
export const EXAMPLES = path.join(ROOT, 'examples');
export const RAW = path.join(EXAMPLES, 'raw-rmi-1.0.realm.c');
export const LIVE_RD = path.join(EXAMPLES, 'undelegate-live-rd-1.0.realm.c');

export class Dap {
  readonly dc: DebugClient;
  readonly events: DebugProtocol.Event[] = [];
  private waiters: { pred: (e: DebugProtocol.Event) => boolean; resolve: (e: DebugProtocol.Event) => void }[] = [];
  /** Per event name: how many of that name were consumed. */
  private readonly seen = new Map<string, number>();

  constructor() {
    this.dc = new DebugClient('node', ADAPTER, 'realm-lab');
    this.dc.defaultTimeout = 4000;
    for (const name of ['stopped', 'output', 'terminated', 'exited', 'initialized', 'breakpoint']) {
      this.dc.on(name, (e: DebugProtocol.Event) => {
        this.events.push(e);
        this.waiters = this.waiters.filter((w) => (w.pred(e) ? (w.resolve(e), false) : true));
      });
    }
  }

  async start(): Promise<void> {
    await this.dc.start();
  }

  async stop(): Promise<void> {
    await this.dc.stop();
  }

  /** The next event named `name` after the ones already consumed (or arriving later). */
  next(name: string, timeout = 4000): Promise<DebugProtocol.Event> {
    const same = this.events.filter((e) => e.event === name);
    const k = this.seen.get(name) ?? 0;
    if (k < same.length) {
      this.seen.set(name, k + 1);
      return Promise.resolve(same[k]);
    }
    return new Promise((resolve, reject) => {
      const w = {
        pred: (e: DebugProtocol.Event) => e.event === name,
        resolve: (e: DebugProtocol.Event) => {
          clearTimeout(t);
          this.seen.set(name, (this.seen.get(name) ?? 0) + 1);
          resolve(e);
        },
      };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`no '${name}' event within ${timeout} ms`));
      }, timeout);
      this.waiters.push(w);
    });
  }

  async stopped(reason?: string): Promise<DebugProtocol.StoppedEvent> {
    const e = (await this.next('stopped')) as DebugProtocol.StoppedEvent;
    if (reason) assert.equal(e.body.reason, reason, `stopped for ${reason} (${e.body.description ?? ''} ${e.body.text ?? ''})`);
    return e;
  }

  outputs(): DebugProtocol.OutputEvent[] {
    return this.events.filter((e) => e.event === 'output') as DebugProtocol.OutputEvent[];
  }

  /** initialize, launch, the configuration the test gives, configurationDone. */
  async launch(args: Record<string, unknown>, configure?: () => Promise<void>): Promise<void> {
    await this.dc.initializeRequest({ adapterID: 'realm-lab', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsMemoryReferences: true });
    await this.dc.launchRequest(args as DebugProtocol.LaunchRequestArguments);
    await this.next('initialized');
    if (configure) await configure();
    await this.dc.configurationDoneRequest();
  }

  async top(): Promise<DebugProtocol.StackFrame> {
    const st = await this.dc.stackTraceRequest({ threadId: 1 });
    return st.body.stackFrames[0];
  }

  async where(): Promise<string> {
    const f = await this.top();
    return `${f.name}:${f.line}`;
  }

  /** The variables of a scope of the top frame, by scope name. */
  async scope(name: string, frameIndex = 0): Promise<DebugProtocol.Variable[]> {
    const st = await this.dc.stackTraceRequest({ threadId: 1 });
    const sc = await this.dc.scopesRequest({ frameId: st.body.stackFrames[frameIndex].id });
    const s = sc.body.scopes.find((x) => x.name === name);
    assert.ok(s, `scope ${name}`);
    return (await this.dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
  }

  async value(name: string, scopeName = 'Locals'): Promise<string | undefined> {
    return (await this.scope(scopeName)).find((v) => v.name === name)?.value;
  }

  async evaluate(expression: string, context = 'watch'): Promise<string> {
    const st = await this.dc.stackTraceRequest({ threadId: 1 });
    return (await this.dc.evaluateRequest({ expression, frameId: st.body.stackFrames[0].id, context })).body.result;
  }

  /** A request then the stop it causes. */
  async step(kind: 'next' | 'stepIn' | 'stepOut' | 'stepBack' | 'continue' | 'reverseContinue', reason?: string): Promise<DebugProtocol.StoppedEvent> {
    const req = `${kind}Request` as const;
    await (this.dc[req] as (a: { threadId: number }) => Promise<unknown>).call(this.dc, { threadId: 1 });
    return this.stopped(reason);
  }
}

/** Runs `body` against a fresh adapter process and always stops it. */
export async function withDap(body: (d: Dap) => Promise<void>): Promise<void> {
  const d = new Dap();
  await d.start();
  try {
    await body(d);
  } finally {
    await d.stop().catch(() => undefined);
  }
}

/** Writes a scenario into a fresh temp dir; returns its path. */
export function scenarioFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realm-dap-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** 1-based line of the first line containing `needle`. */
export function lineOf(file: string, needle: string, from = 1): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l, k) => k + 1 >= from && l.includes(needle));
  assert.ok(i >= 0, `'${needle}' in ${path.basename(file)}`);
  return i + 1;
}
