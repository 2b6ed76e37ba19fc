// Correct under abuse: malformed requests get error responses and the session goes on; requests
// at the wrong time are refused with a reason; a scenario file deleted mid-session is harmless.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { RAW, scenarioFile, withDap } from './client';

describe('malformed and untimely requests', () => {
  it('are refused before launch', async () => {
    await withDap(async (d) => {
      await d.dc.initializeRequest();
      await assert.rejects(d.dc.stackTraceRequest({ threadId: 1 }), /no scenario is loaded|not stopped/);
      await assert.rejects(d.dc.nextRequest({ threadId: 1 }), /no scenario is loaded|not stopped/);
      await assert.rejects(d.dc.configurationDoneRequest(), /nothing is waiting for configuration/);
      await assert.rejects(d.dc.customRequest('readMemory', { memoryReference: '0x80000000', count: 4 }), /no scenario is loaded/);
      await assert.rejects(d.dc.customRequest('noSuchRequest', {}), /unrecognized request/);
    });
  });

  it('get error responses for unknown threads, frames, references and missing arguments; the session goes on', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW });
      await d.stopped('entry');
      await assert.rejects(d.dc.stackTraceRequest({ threadId: 99 }), /unknown thread 99/);
      await assert.rejects(d.dc.nextRequest({ threadId: 7 }), /unknown thread 7/);
      await assert.rejects(d.dc.scopesRequest({ frameId: 999 }), /unknown frame 999/);
      await assert.rejects(d.dc.scopesRequest({} as never), /unknown frame undefined/);
      await assert.rejects(d.dc.variablesRequest({ variablesReference: 12345 }), /unknown variablesReference 12345/);
      await assert.rejects(d.dc.variablesRequest({} as never), /unknown variablesReference/);
      await assert.rejects(d.dc.evaluateRequest({} as never), /no expression/);
      await assert.rejects(d.dc.evaluateRequest({ expression: '1', frameId: 42 }), /unknown frame 42/);
      await assert.rejects(d.dc.setBreakpointsRequest({ source: {} } as never), /the source has no path/);
      await assert.rejects(d.dc.setBreakpointsRequest({ source: { path: RAW }, breakpoints: [{ line: 'x' }] } as never), /needs a line number/);
      await assert.rejects(d.dc.setFunctionBreakpointsRequest({} as never), /must be an array/);
      await assert.rejects(d.dc.exceptionInfoRequest({ threadId: 1 }), /did not stop on an exception/);
      await assert.rejects(d.dc.customRequest('readMemory', { count: 4 }), /memoryReference missing/);
      await assert.rejects(d.dc.customRequest('readMemory', { memoryReference: '0x80000000', count: -1 }), /count not negative/);
      await assert.rejects(d.dc.customRequest('readMemory', { memoryReference: '0xffffffffffffffffff', count: 4 }), /outside DRAM/);
      await assert.rejects(d.dc.sourceRequest({ sourceReference: 77 }), /no source for reference 77/);
      await assert.rejects(d.dc.launchRequest({ program: RAW } as never), /already launched/);
      // Still a working session.
      await d.step('next', 'step');
      assert.equal((await d.top()).name, 'scenario');
      const st = await d.dc.stackTraceRequest({ threadId: 1 });
      const sc = await d.dc.scopesRequest({ frameId: st.body.stackFrames[0].id });
      const ref = sc.body.scopes[0].variablesReference;
      await d.step('next', 'step');
      await assert.rejects(d.dc.variablesRequest({ variablesReference: ref }), /values expire when the scenario moves/);
    });
  });

  it('survive the scenario file being deleted mid-session', async () => {
    const file = scenarioFile('gone.realm.c', fs.readFileSync(RAW, 'utf8'));
    await withDap(async (d) => {
      await d.launch({ program: file });
      await d.stopped('entry');
      fs.unlinkSync(file);
      await d.step('next', 'step');
      await d.step('stepBack', 'entry');
      const bp = await d.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: 70 }] });
      assert.equal(bp.body.breakpoints[0].verified, true, 'verified against the compiled run');
      await d.step('continue', 'breakpoint');
      await d.dc.continueRequest({ threadId: 1 });
      await d.next('terminated');
    });
  });
});
