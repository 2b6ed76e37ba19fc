// examples/seed-partial-delegate.realm.c through the embedded host code: into realm_create_rd
// (an embedded file served by sourceReference), down to the failing range delegation, and back
// out with stepBack, the granules following exactly.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLES, withDap } from './client';

const SEED = path.join(EXAMPLES, 'seed-partial-delegate.realm.c');
const HOST_RMI = 'realm-lab/host/kvm/rmi.c';

describe('the seed example in the embedded host code', () => {
  it('steps into realm_create_rd, stops at the failing RMI_GRANULE_RANGE_DELEGATE and steps back out', async () => {
    await withDap(async (d) => {
      await d.launch({ program: SEED, stopOnEntry: false }, async () => {
        await d.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'realm_create_rd' }] });
      });
      await d.stopped('function breakpoint');
      let frames = (await d.dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      assert.deepEqual(frames.map((f) => f.name), ['realm_create_rd', 'realm_ensure_created', 'scenario']);
      const src = frames[0].source!;
      assert.equal(src.path, HOST_RMI);
      assert.ok((src.sourceReference ?? 0) > 0, 'embedded code has a source reference');
      const text = (await d.dc.sourceRequest({ source: src, sourceReference: src.sourceReference! })).body.content;
      const lines = text.split('\n');
      assert.ok(text.includes('static int realm_create_rd(struct kvm *kvm)'), 'the served text is the host file');
      const def = lines.slice(0, frames[0].line).map((l) => l.startsWith('static int realm_create_rd(')).lastIndexOf(true);
      assert.ok(def >= 0 && frames[0].line - def <= 4, 'the frame stops at the first statement of realm_create_rd');
      // The call that delegates the PGD, in the v14 variant of realm_create_rd.
      const start = lines.findIndex((l, i) => i >= frames[0].line - 1 && l.includes('if (rmi_delegate_range(kvm->arch.mmu.pgd_phys, pgd_size)) {')) + 1;
      assert.ok(start > 0);
      const bp = await d.dc.setBreakpointsRequest({ source: src, breakpoints: [{ line: start }] });
      assert.deepEqual([bp.body.breakpoints[0].verified, bp.body.breakpoints[0].line], [true, start], 'breakpoints bind in embedded files');
      await d.step('continue', 'breakpoint');
      assert.deepEqual((await d.scope('Granules')).map((g) => g.value), ['DELEGATED'], 'only the RD so far');

      await d.dc.setExceptionBreakpointsRequest({ filters: ['rmi-error'] });
      await d.step('continue', 'exception');
      frames = (await d.dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      assert.deepEqual(frames.slice(-3).map((f) => f.name), ['realm_create_rd', 'realm_ensure_created', 'scenario']);
      const info = await d.dc.exceptionInfoRequest({ threadId: 1 });
      assert.equal(info.body.description, 'RMI_GRANULE_RANGE_DELEGATE returned RMI_ERROR_INPUT: check fault_injected failed');

      // Back out: each stepBack is the reverse of next, so it climbs to realm_create_rd's call line.
      for (let i = 0; i < 20 && (await d.top()).name !== 'realm_create_rd'; i++) await d.step('stepBack', 'step');
      assert.equal(await d.where(), `realm_create_rd:${start}`);
      assert.deepEqual((await d.scope('Granules')).map((g) => g.value), ['DELEGATED'], 'the partial delegation is undone');
      await d.dc.setExceptionBreakpointsRequest({ filters: [] });
      await d.dc.setBreakpointsRequest({ source: src, breakpoints: [] });
      await d.step('next', 'step');
      const states = (await d.scope('Granules')).map((g) => g.value);
      assert.deepEqual(states, ['DELEGATED', 'DELEGATED', 'DELEGATED', 'DELEGATED'], 'RD + the 3 PGD granules delegated before the fault');
      assert.equal((await d.scope('Registers')).find((v) => v.name === 'X0')?.value.replace(/^0x[0-9a-f]+ /, ''), '(RMI_ERROR_INPUT)');
    });
  });
});
