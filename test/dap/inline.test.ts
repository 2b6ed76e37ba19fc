// The session run inline, as the extension runs it (DebugAdapterInlineImplementation): the hooks
// supply unsaved editor text and hear every stop and the end. Also the end-of-run report of
// leaked granules and the Granules scope paged 512 at a time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { RealmDebugSession } from '../../src/debug';
import type { RunImpl } from '../../src/run';

class InlineClient {
  readonly messages: DebugProtocol.ProtocolMessage[] = [];
  private seq = 1;
  private readonly pending = new Map<number, (r: DebugProtocol.Response) => void>();
  private readonly eventWaiters: { name: string; resolve: (e: DebugProtocol.Event) => void }[] = [];

  constructor(readonly session: RealmDebugSession) {
    session.onDidSendMessage((m) => {
      const msg = m as DebugProtocol.ProtocolMessage;
      this.messages.push(msg);
      if (msg.type === 'response') this.pending.get((msg as DebugProtocol.Response).request_seq)?.(msg as DebugProtocol.Response);
      if (msg.type === 'event') {
        const e = msg as DebugProtocol.Event;
        const i = this.eventWaiters.findIndex((w) => w.name === e.event);
        if (i >= 0) this.eventWaiters.splice(i, 1)[0].resolve(e);
      }
    });
  }

  request(command: string, args?: unknown): Promise<DebugProtocol.Response> {
    const seq = this.seq++;
    return new Promise((resolve) => {
      this.pending.set(seq, resolve);
      this.session.handleMessage({ seq, type: 'request', command, arguments: args } as DebugProtocol.Request);
    });
  }

  event(name: string): Promise<DebugProtocol.Event> {
    return new Promise((resolve) => this.eventWaiters.push({ name, resolve }));
  }

  events(name: string): DebugProtocol.Event[] {
    return this.messages.filter((m) => m.type === 'event' && (m as DebugProtocol.Event).event === name) as DebugProtocol.Event[];
  }
}

/** Launches `text` as an unsaved editor buffer (no file on disk) and waits for the first stop or the end. */
async function start(text: string, stopOnEntry = true) {
  const program = '/virtual/unsaved.realm.c';
  const stops: [string, number][] = [];
  let terminated = 0;
  const session = new RealmDebugSession({
    readFile: (p) => (p === program ? text : undefined),
    onStopped: (run: RunImpl, reason) => stops.push([reason, run.steps]),
    onTerminated: () => terminated++,
  });
  const c = new InlineClient(session);
  await c.request('initialize', { adapterID: 'realm-lab' });
  const launched = await c.request('launch', { program, stopOnEntry });
  assert.equal(launched.success, true, launched.message);
  const first = c.event(stopOnEntry ? 'stopped' : 'terminated');
  await c.request('configurationDone');
  await first;
  return { c, stops, terminatedCount: () => terminated, program };
}

describe('the session inline, with hooks', () => {
  it('reads unsaved text through readFile and reports stops and the end to the hooks', async () => {
    const { c, stops, terminatedCount, program } = await start('u64 x;\nvoid scenario(void)\n{\n\tx = 1;\n\tx = 2;\n}\n');
    assert.deepEqual(stops, [['entry', 0]]);
    const st = await c.request('stackTrace', { threadId: 1 });
    assert.equal((st.body as DebugProtocol.StackTraceResponse['body']).stackFrames[0].source?.path, program);
    const stopped = c.event('stopped');
    await c.request('next', { threadId: 1 });
    await stopped;
    assert.deepEqual(stops, [['entry', 0], ['step', 1]]);
    const terminated = c.event('terminated');
    await c.request('continue', { threadId: 1 });
    await terminated;
    assert.equal(stops.at(-1)?.[0], 'end');
    assert.equal(stops.length, 3);
    assert.equal(terminatedCount(), 1);
    assert.equal(c.events('exited').length, 1);
  });

  it('reports granules left DELEGATED at the end as leaks, at the call that left them', async () => {
    const text = 'struct realm_lab_machine machine = { .profile = "1.0" };\nvoid scenario(void)\n{\n' +
      '\tphys_addr_t pa = virt_to_phys((void *)__get_free_page(GFP_KERNEL));\n\trmi_call(RMI_GRANULE_DELEGATE, pa);\n}\n';
    const { c } = await start(text, false);
    const leaks = c.events('output').filter((e) => /^leak: granule 0x[0-9a-f]+ is DELEGATED/.test((e as DebugProtocol.OutputEvent).body.output)) as DebugProtocol.OutputEvent[];
    assert.equal(leaks.length, 1);
    assert.equal(leaks[0].body.line, 5);
    assert.equal((c.events('exited')[0].body as { exitCode: number }).exitCode, 1);
    assert.match((c.events('output').at(-1) as DebugProtocol.OutputEvent).body.output, /1 granules leaked/);
  });

  it('pages the Granules scope 512 at a time when more are in use', async () => {
    const text = 'struct realm_lab_machine machine = { .profile = "1.0" };\nvoid scenario(void)\n{\n' +
      '\tfor (int i = 0; i < 600; i++)\n\t\trmi_call(RMI_GRANULE_DELEGATE, 0x80000000 + i * 4096);\n\tprintk("done");\n}\n';
    const { c } = await start(text);
    await c.request('setBreakpoints', { source: { path: '/virtual/unsaved.realm.c' }, breakpoints: [{ line: 6 }] });
    const hit = c.event('stopped');
    await c.request('continue', { threadId: 1 });
    await hit;
    const st = await c.request('stackTrace', { threadId: 1 });
    const frameId = (st.body as DebugProtocol.StackTraceResponse['body']).stackFrames[0].id;
    const scopes = (await c.request('scopes', { frameId })).body as DebugProtocol.ScopesResponse['body'];
    const gran = scopes.scopes.find((s) => s.name === 'Granules')!;
    const pages = ((await c.request('variables', { variablesReference: gran.variablesReference })).body as DebugProtocol.VariablesResponse['body']).variables;
    assert.deepEqual(pages.map((p) => [p.name, p.value]), [['[0..511]', '0x80000000 .. 0x801ff000'], ['[512..599]', '0x80200000 .. 0x80257000']]);
    const second = ((await c.request('variables', { variablesReference: pages[1].variablesReference })).body as DebugProtocol.VariablesResponse['body']).variables;
    assert.equal(second.length, 88);
    assert.deepEqual([second[0].name, second[0].value, second[0].memoryReference], ['0x80200000', 'DELEGATED', '0x80200000']);
    const some = ((await c.request('variables', { variablesReference: pages[0].variablesReference, start: 10, count: 2 })).body as DebugProtocol.VariablesResponse['body']).variables;
    assert.deepEqual(some.map((v) => v.name), ['0x8000a000', '0x8000b000'], 'start/count page inside a page');
    await c.request('terminate');
  });
});
