// stopOnFault: a debug session of one fault-sweep point stops where the injected fault decides
// the call (here the seed's range delegation failing at granule 3), even with every exception
// filter off, and exceptionInfo says the fault was injected.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLES, lineOf, withDap } from './client';

const SWEEP = path.join(EXAMPLES, 'sweep-seed.realm.c');
const FAULT = { command: 'RMI_GRANULE_RANGE_DELEGATE', nth: 2, afterGranules: 3, status: 'RMI_ERROR_INPUT' };

describe('stopOnFault', () => {
  it('stops before the call an injected fault fails, in the host code, with the fault named', async () => {
    await withDap(async (d) => {
      await d.launch({ program: SWEEP, stopOnEntry: false, stopOnFault: true, faults: [FAULT] });
      const e = await d.stopped('exception');
      assert.match(e.body.text ?? e.body.description ?? '', /injected fault: RMI_GRANULE_RANGE_DELEGATE/);
      const st = await d.dc.stackTraceRequest({ threadId: 1 });
      const names = st.body.stackFrames.map((f) => f.name);
      assert.ok(names.includes('realm_create_rd') && names.at(-1) === 'scenario', `stack ${names.join(' <- ')}`);
      const info = await d.dc.exceptionInfoRequest({ threadId: 1 });
      assert.equal(info.body.details?.typeName, 'RMI_GRANULE_RANGE_DELEGATE');
      // Going on shows what the host does with the failure: the undelegate of a never-delegated granule.
      await d.dc.setExceptionBreakpointsRequest({ filters: ['leak'] });
      const next = await d.step('continue', 'exception');
      assert.match(next.body.text ?? '', /never delegated/);
    });
  });

  it('without stopOnFault the same fault runs through to the end', async () => {
    await withDap(async (d) => {
      await d.launch({ program: SWEEP, stopOnEntry: false, faults: [FAULT] });
      await d.next('terminated', 10_000);
      assert.ok(lineOf(SWEEP, 'realm_ensure_created(kvm);') > 0);
    });
  });

  it('rejects a stopOnFault that is not a boolean', async () => {
    await withDap(async (d) => {
      await d.dc.initializeRequest({ adapterID: 'realm-lab', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      await assert.rejects(d.dc.launchRequest({ program: SWEEP, stopOnFault: 'yes' } as never), /'stopOnFault' must be true or false/);
    });
  });
});
