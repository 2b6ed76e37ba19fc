// Data breakpoints on granule state: set from a phys_addr_t local, from the Granules scope, from
// an expression or an address; the session stops right after the RMI call that changed the
// granule, says from/to and which call, and keeps doing so after stepBack and in reverse.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLES, RAW, lineOf, withDap, type Dap } from './client';

const SEED = path.join(EXAMPLES, 'seed-partial-delegate.realm.c');

async function nextUntil(d: Dap, line: number): Promise<void> {
  for (let i = 0; i < 200 && (await d.top()).line !== line; i++) await d.step('next', 'step');
  assert.equal((await d.top()).line, line);
}

/** The variablesReference of a scope of the top frame. */
async function scopeRef(d: Dap, name: string): Promise<number> {
  const top = await d.top();
  const s = (await d.dc.scopesRequest({ frameId: top.id })).body.scopes.find((x) => x.name === name);
  assert.ok(s, `scope ${name}`);
  return s.variablesReference;
}

async function info(d: Dap, args: DebugProtocol.DataBreakpointInfoArguments) {
  return (await d.dc.customRequest('dataBreakpointInfo', args)).body as DebugProtocol.DataBreakpointInfoResponse['body'];
}

async function setData(d: Dap, breakpoints: DebugProtocol.DataBreakpoint[]) {
  return ((await d.dc.customRequest('setDataBreakpoints', { breakpoints })).body as DebugProtocol.SetDataBreakpointsResponse['body']).breakpoints;
}

describe('data breakpoints on granule state', () => {
  it('are advertised, with addresses and byte ranges', async () => {
    await withDap(async (d) => {
      const caps = (await d.dc.initializeRequest({ adapterID: 'realm-lab', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' })).body!;
      assert.equal(caps.supportsDataBreakpoints, true);
      assert.equal(caps.supportsDataBreakpointBytes, true);
    });
  });

  it('on a phys_addr_t local stop after each RMI call that changes that granule, naming from/to and the call', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW });
      await d.stopped('entry');
      await nextUntil(d, lineOf(RAW, 'phys_addr_t rtt = alloc_granule();'));
      const rd = (await d.value('rd'))!;
      const i = await info(d, { variablesReference: await scopeRef(d, 'Locals'), name: 'rd' });
      assert.equal(i.dataId, `granule:${rd}`);
      assert.equal(i.description, `State of granule ${rd} (now UNDELEGATED)`);
      assert.deepEqual(i.accessTypes, ['write']);
      const [bp] = await setData(d, [{ dataId: i.dataId!, accessType: 'write' }]);
      assert.equal(bp.verified, true);

      const expectLine = (after: string) => lineOf(RAW, 'expect(ret == RMI_SUCCESS);', lineOf(RAW, after));
      const steps: [string, string][] = [
        ['ret = rmi_call(RMI_GRANULE_DELEGATE, rd);', `granule ${rd}: UNDELEGATED -> DELEGATED by RMI_GRANULE_DELEGATE (call #1)`],
        ['ret = rmi_call(RMI_REALM_CREATE', `granule ${rd}: DELEGATED -> RD by RMI_REALM_CREATE (call #3)`],
        ['ret = rmi_call(RMI_REALM_DESTROY, rd);', `granule ${rd}: RD -> DELEGATED by RMI_REALM_DESTROY (call #4)`],
        ['ret = rmi_call(RMI_GRANULE_UNDELEGATE, rd);', `granule ${rd}: DELEGATED -> UNDELEGATED by RMI_GRANULE_UNDELEGATE (call #6)`],
      ];
      for (const [call, text] of steps) {
        const e = await d.step('continue', 'data breakpoint');
        assert.equal(e.body.text, text);
        assert.deepEqual(e.body.hitBreakpointIds, [bp.id]);
        assert.equal(await d.where(), `scenario:${expectLine(call)}`, 'right after the statement that made the call');
      }
      await d.dc.continueRequest({ threadId: 1 });
      await d.next('terminated');
    });
  });

  it('from the Granules scope, from an expression and by address; bad requests get reasons, not stops', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW });
      await d.stopped('entry');
      await nextUntil(d, lineOf(RAW, 'expect_granule(rd, RMI_GRANULE_DELEGATED);'));
      const rtt = (await d.value('rtt'))!;
      const rd = (await d.value('rd'))!;
      // The Granules scope lists rd and rtt (DELEGATED); pick rtt's row.
      const granules = await scopeRef(d, 'Granules');
      const fromScope = await info(d, { variablesReference: granules, name: rtt });
      assert.equal(fromScope.dataId, `granule:${rtt}`);
      assert.match(fromScope.description, /now DELEGATED/);
      const fromExpr = await info(d, { name: 'rd', frameId: (await d.top()).id });
      assert.equal(fromExpr.dataId, `granule:${rd}`);
      const unaligned = `0x${(BigInt(rd) + 0x10n).toString(16)}`;
      assert.equal((await info(d, { name: unaligned, asAddress: true })).dataId, `granule:${rd}`, 'an address inside a granule watches that granule');
      assert.equal((await info(d, { name: rd, asAddress: true, bytes: 3 * 4096 })).dataId, `granule:${rd}+3`);

      const notPa = await info(d, { name: 'ret', frameId: (await d.top()).id });
      assert.equal(notPa.dataId, null);
      assert.match(notPa.description, /outside DRAM/);
      assert.equal((await info(d, { name: '0x1000', asAddress: true })).dataId, null);
      assert.match((await info(d, { name: 'no_such_thing', frameId: (await d.top()).id })).description, /cannot be evaluated/);
      assert.match((await info(d, { variablesReference: await scopeRef(d, 'Locals'), name: 'params' })).description, /\S/);
      await assert.rejects(d.dc.customRequest('dataBreakpointInfo', { name: 42 }), /name must be a non-empty string/);
      await assert.rejects(d.dc.customRequest('dataBreakpointInfo', { variablesReference: 99999, name: 'rd' }), /unknown variablesReference/);
      await assert.rejects(d.dc.customRequest('setDataBreakpoints', { breakpoints: 'x' }), /must be an array/);

      const set = await setData(d, [
        { dataId: 'granule:0x1000' }, { dataId: 'bogus' }, { dataId: `granule:${rtt}`, accessType: 'read' },
        { dataId: `granule:${rtt}`, hitCondition: 'sometimes' }, { dataId: fromScope.dataId! },
      ]);
      assert.deepEqual(set.map((b) => b.verified), [false, false, false, false, true]);
      assert.match(set[0].message ?? '', /outside DRAM/);
      assert.match(set[1].message ?? '', /not a data breakpoint id/);
      assert.match(set[2].message ?? '', /not reads/);
      const e = await d.step('continue', 'data breakpoint');
      assert.equal(e.body.text, `granule ${rtt}: DELEGATED -> RTT by RMI_REALM_CREATE (call #3)`);
      assert.deepEqual(e.body.hitBreakpointIds, [set[4].id]);
    });
  });

  it('stop again at the same call after stepBack, and reverseContinue finds earlier changes', async () => {
    await withDap(async (d) => {
      const delegate = lineOf(RAW, 'ret = rmi_call(RMI_GRANULE_DELEGATE, rd);');
      await d.launch({ program: RAW });
      await d.stopped('entry');
      await nextUntil(d, delegate);
      const rd = (await d.value('rd'))!;
      await setData(d, [{ dataId: `granule:${rd}` }]);
      let e = await d.step('continue', 'data breakpoint');
      assert.match(e.body.text ?? '', /UNDELEGATED -> DELEGATED by RMI_GRANULE_DELEGATE/);
      assert.deepEqual((await d.scope('Granules')).map((g) => `${g.name} = ${g.value}`), [`${rd} = DELEGATED`]);

      await d.step('stepBack', 'step');
      assert.equal((await d.top()).line, delegate);
      assert.equal((await d.scope('Granules'))[0].value, 'every granule is UNDELEGATED', 'the change is undone');
      e = await d.step('continue', 'data breakpoint');
      assert.equal(e.body.text, `granule ${rd}: UNDELEGATED -> DELEGATED by RMI_GRANULE_DELEGATE (call #1)`, 'replayed: the same call stops again');

      e = await d.step('continue', 'data breakpoint');
      assert.match(e.body.text ?? '', /DELEGATED -> RD by RMI_REALM_CREATE/);
      e = await d.step('reverseContinue', 'data breakpoint');
      assert.equal(e.body.text, `granule ${rd}: UNDELEGATED -> DELEGATED by RMI_GRANULE_DELEGATE (call #1)`);
      assert.equal((await d.top()).line, lineOf(RAW, 'expect(ret == RMI_SUCCESS);', delegate));
      await d.step('reverseContinue', 'entry');
    });
  });

  it('watch the seed PGD: the range delegation stops in realm_create_rd with the 3 granules it moved', async () => {
    await withDap(async (d) => {
      await d.launch({ program: SEED });
      await d.stopped('entry');
      await nextUntil(d, lineOf(SEED, 'expect(kvm_pgtable_stage2_pgd_size'));
      const pgd = (await d.value('pgd'))!;
      const i = await info(d, { variablesReference: await scopeRef(d, 'Locals'), name: 'pgd', bytes: 16 * 4096 });
      assert.equal(i.dataId, `granule:${pgd}+16`);
      assert.match(i.description, /^State of 16 granules /);
      await setData(d, [{ dataId: i.dataId! }]);

      let e = await d.step('continue', 'data breakpoint');
      const frames = (await d.dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.map((f) => f.name);
      assert.deepEqual(frames.slice(-3), ['realm_create_rd', 'realm_ensure_created', 'scenario']);
      const g = (k: number) => `0x${(BigInt(pgd) + BigInt(k * 4096)).toString(16)}`;
      assert.match(e.body.text ?? '', new RegExp(`^granule ${g(0)}: UNDELEGATED -> DELEGATED by RMI_GRANULE_RANGE_DELEGATE \\(call #\\d+\\); granule ${g(1)}: .*granule ${g(2)}: UNDELEGATED -> DELEGATED`));
      assert.doesNotMatch(e.body.text ?? '', new RegExp(g(3)), 'granule 3 was never delegated');

      e = await d.step('continue', 'data breakpoint');
      assert.match(e.body.text ?? '', new RegExp(`^granule ${g(0)}: DELEGATED -> UNDELEGATED by RMI_GRANULE_RANGE_UNDELEGATE`));
    });
  });
});
