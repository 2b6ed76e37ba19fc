// Launching a scenario: stop on entry after configurationDone, launch errors as compiler-style
// messages, a run to the end with its output, and disconnect/terminate answered at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIVE_RD, RAW, lineOf, scenarioFile, withDap } from './client';

describe('launching a scenario', () => {
  it('stops on entry at the first statement of scenario(), only after configurationDone', async () => {
    await withDap(async (d) => {
      await d.dc.initializeRequest({ adapterID: 'realm-lab', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      await d.dc.launchRequest({ program: RAW } as never);
      await d.next('initialized');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(d.events.filter((e) => e.event === 'stopped').length, 0, 'nothing runs before configurationDone');
      await d.dc.configurationDoneRequest();
      await d.stopped('entry');
      const th = await d.dc.threadsRequest();
      assert.deepEqual(th.body.threads.map((t) => [t.id, t.name]), [[1, 'scenario']]);
      const f = await d.top();
      assert.equal(f.name, 'scenario');
      assert.equal(f.source?.path, RAW);
      assert.equal(f.line, lineOf(RAW, 'struct rmi_realm_params *params = (void *)get_zeroed_page'));
      assert.equal(f.column, 2);
    });
  });

  it('reports compile errors as file:line:col: error: messages, in the response and as output', async () => {
    const file = scenarioFile('broken.realm.c', 'void scenario(void)\n{\n\tint a = ;\n}\n');
    await withDap(async (d) => {
      await d.dc.initializeRequest();
      await assert.rejects(d.dc.launchRequest({ program: file } as never), (e: Error) => {
        assert.match(e.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: error: `));
        return true;
      });
      const out = d.outputs().map((o) => o.body.output).join('');
      assert.match(out, /broken\.realm\.c:3:\d+: error: /);
    });
  });

  it('rejects a missing file and bad attributes with clear messages', async () => {
    await withDap(async (d) => {
      await d.dc.initializeRequest();
      await assert.rejects(d.dc.launchRequest({ program: '/nonexistent/x.realm.c' } as never), /x\.realm\.c:1:1: error: cannot read the scenario file/);
    });
    await withDap(async (d) => {
      await d.dc.initializeRequest();
      await assert.rejects(d.dc.launchRequest({ program: RAW, profile: '3.0' } as never), /'profile' must be '1\.0' or '2\.0'/);
    });
    await withDap(async (d) => {
      await d.dc.initializeRequest();
      await assert.rejects(d.dc.launchRequest({ program: RAW, faults: [{ command: 'RMI_GRANULE_DELEGATE', status: 'NOPE' }] } as never), /faults\[0\]: unknown status NOPE/);
    });
    await withDap(async (d) => {
      await d.dc.initializeRequest();
      await assert.rejects(d.dc.launchRequest({} as never), /'program' must name a \*\.realm\.c/);
    });
  });

  it('runs to the end without stopOnEntry: failed expectations as output with source and line, then exited and terminated', async () => {
    await withDap(async (d) => {
      await d.launch({ program: LIVE_RD, stopOnEntry: false });
      await d.next('terminated');
      const exited = await d.next('exited');
      assert.equal((exited.body as { exitCode: number }).exitCode, 1, 'failed expectations make a failing exit code');
      const errs = d.outputs().filter((o) => o.body.category === 'stderr');
      const failed = errs.find((o) => /expect\(ret == RMI_SUCCESS\) failed/.test(o.body.output));
      assert.ok(failed, 'the failed expect is reported');
      assert.equal(failed.body.source?.path, LIVE_RD);
      assert.equal(failed.body.line, lineOf(LIVE_RD, 'expect(ret == RMI_SUCCESS);', lineOf(LIVE_RD, 'Wrong: the realm still uses rd')));
      assert.ok(errs.some((o) => /expected granule 0x[0-9a-f]+ to be UNDELEGATED, but it is RD/.test(o.body.output)));
      const summary = d.outputs().find((o) => /scenario finished/.test(o.body.output));
      assert.match(summary?.body.output ?? '', /4 RMI calls, 1\/3 expectations passed/);
    });
  });

  it('a clean scenario exits with code 0', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW, stopOnEntry: false });
      const exited = await d.next('exited');
      assert.equal((exited.body as { exitCode: number }).exitCode, 0);
      await d.next('terminated');
    });
  });

  it('overrides the profile and injects launch faults', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW, stopOnEntry: false, faults: [{ command: 'RMI_GRANULE_DELEGATE', nth: 2, status: 'RMI_ERROR_INPUT' }] });
      await d.next('exited');
      const out = d.outputs().map((o) => o.body.output).join('');
      assert.match(out, /expect\(ret == RMI_SUCCESS\) failed/, 'the second delegate failed as injected');
    });
  });

  it('answers terminate and disconnect at once while a long continue runs, and honours maxSteps', async () => {
    const file = scenarioFile('forever.realm.c', 'u64 n;\nvoid scenario(void)\n{\n\tfor (;;)\n\t\tn++;\n}\n');
    await withDap(async (d) => {
      await d.launch({ program: file, stopOnEntry: false });
      await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      await d.dc.terminateRequest({});
      assert.ok(Date.now() - t0 < 1000, `terminate answered in ${Date.now() - t0} ms`);
      await d.next('terminated');
    });
    await withDap(async (d) => {
      await d.launch({ program: file, stopOnEntry: false });
      await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      await d.dc.disconnectRequest({});
      assert.ok(Date.now() - t0 < 1000, `disconnect answered in ${Date.now() - t0} ms`);
    });
    await withDap(async (d) => {
      await d.launch({ program: file, stopOnEntry: false, maxSteps: 20000 });
      const s = await d.stopped('exception');
      assert.match(s.body.text ?? '', /step budget|20000|steps/i);
      const info = await d.dc.exceptionInfoRequest({ threadId: 1 });
      assert.equal(info.body.exceptionId, 'runtime-error');
      await d.dc.continueRequest({ threadId: 1 });
      await d.next('terminated');
      const out = d.outputs().map((o) => o.body.output).join('');
      assert.match(out, /error: /);
    });
  });
});
