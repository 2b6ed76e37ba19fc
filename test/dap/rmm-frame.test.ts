// Stepping into an RMI call enters a frame for the RMM command: its source (a sourceReference)
// lists the command's failure conditions in order, the walk stops once per check it evaluated,
// on the failing one, and at `return`, and leaving the frame completes the statement.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { LIVE_RD, RAW, lineOf, withDap, type Dap } from './client';

async function nextUntil(d: Dap, line: number): Promise<void> {
  for (let i = 0; i < 200 && (await d.top()).line !== line; i++) await d.step('next', 'step');
  assert.equal((await d.top()).line, line);
}

async function listing(d: Dap): Promise<{ frame: DebugProtocol.StackFrame; lines: string[] }> {
  const frame = await d.top();
  const text = (await d.dc.sourceRequest({ source: frame.source, sourceReference: frame.source!.sourceReference! })).body.content;
  return { frame, lines: text.split('\n') };
}

const checkAt = (lines: string[], line: number) => lines[line - 1].split(/\s+/)[0];

describe('the RMM command frame', () => {
  it('walks every check of a successful RMI_GRANULE_DELEGATE, then returns to the scenario', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW });
      await d.stopped('entry');
      const line = lineOf(RAW, 'ret = rmi_call(RMI_GRANULE_DELEGATE, rd);');
      await nextUntil(d, line);
      const first = await d.step('stepIn', 'step');
      const st = (await d.dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      assert.deepEqual(st.map((f) => f.name), ['RMI_GRANULE_DELEGATE', 'scenario'], 'scenario -> RMI command');
      assert.equal(st[1].line, line);
      const { frame, lines } = await listing(d);
      assert.ok((frame.source?.sourceReference ?? 0) > 0);
      assert.match(lines[0], /RMI_GRANULE_DELEGATE: FID 0xc4000151, RMM profile 1\.0/);
      const listed = lines.slice(3).map((l) => l.split(/\s+/)[0]).filter((w) => w && w !== 'return');
      assert.ok(listed.includes('gran_state'), `the checks are listed: ${listed.join(', ')}`);
      assert.match(first.body.description ?? '', new RegExp(`check ${listed[0]} passes`));
      const walked = [checkAt(lines, frame.line)];
      for (let i = 0; i < 40; i++) {
        const s = await d.step('next', 'step');
        const f = await d.top();
        if (f.name !== 'RMI_GRANULE_DELEGATE') break;
        walked.push(checkAt(lines, f.line));
        if (walked.at(-1) === 'return') {
          assert.match(s.body.description ?? '', /returns X0 = 0x0 \(RMI_SUCCESS\)/);
          const check = await d.scope('Check');
          assert.equal(check.find((v) => v.name === 'X0')?.value, '0x0 (RMI_SUCCESS)');
        }
      }
      assert.deepEqual(walked, [...listed, 'return'], 'one stop per check, in the listed order, then return');
      assert.equal(await d.where(), `scenario:${lineOf(RAW, 'expect(ret == RMI_SUCCESS);')}`);
      assert.equal((await d.scope('Granules'))[0].value, 'DELEGATED');
    });
  });

  it('stops on the failing check of RMI_GRANULE_UNDELEGATE; stepBack walks back; stepOut completes the call once', async () => {
    await withDap(async (d) => {
      await d.launch({ program: LIVE_RD }, async () => {
        await d.dc.setExceptionBreakpointsRequest({ filters: ['rmi-error'] });
      });
      await d.stopped('entry');
      await d.step('continue', 'exception');
      const line = lineOf(LIVE_RD, 'ret = rmi_call(RMI_GRANULE_UNDELEGATE, rd);');
      assert.equal((await d.top()).line, line);
      await d.step('stepIn', 'step');
      const { lines } = await listing(d);
      let s: DebugProtocol.StoppedEvent | undefined;
      for (let i = 0; i < 40 && !/fails/.test(s?.body.description ?? ''); i++) s = await d.step('next', 'step');
      assert.match(s?.body.description ?? '', /^RMI_GRANULE_UNDELEGATE: check gran_state fails: RMI_ERROR_INPUT$/);
      const failing = await d.top();
      assert.equal(checkAt(lines, failing.line), 'gran_state');
      const check = Object.fromEntries((await d.scope('Check')).map((v) => [v.name, v.value]));
      assert.equal(check.check, 'gran_state');
      assert.match(check.result, /holds: the command fails with RMI_ERROR_INPUT/);
      assert.equal(await d.evaluate('rd', 'hover'), check.X1, 'C expressions evaluate in the innermost C frame; X1 is rd');
      await d.step('stepBack', 'step');
      assert.equal((await d.top()).line, failing.line - 1, 'back to the previous check');
      await d.step('stepOut', 'step');
      assert.equal(await d.where(), `scenario:${lineOf(LIVE_RD, 'expect(ret == RMI_SUCCESS);', line)}`, 'the statement completed without stopping on the same error again');
      assert.equal((await d.scope('Registers')).find((v) => v.name === 'X0')?.value, '0x1 (RMI_ERROR_INPUT)');
    });
  });

  it('stepIn on a statement that calls a C function enters the function, not the RMM', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW });
      await d.stopped('entry');
      await d.step('next', 'step');
      await d.step('stepIn', 'step');
      assert.equal((await d.top()).name, 'alloc_granule');
    });
  });
});
