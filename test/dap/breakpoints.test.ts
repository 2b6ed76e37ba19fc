// Breakpoints: line breakpoints verified and moved to statement lines, conditions (and errors in
// them), hit counts, logpoints, function breakpoints on C functions and RMI commands, and the
// exception filters with exceptionInfo naming the command, status and failing check.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIVE_RD, RAW, lineOf, scenarioFile, withDap } from './client';
import { SEED_SCENARIO } from './seed-scenario';

const LOOP = scenarioFile('loop.realm.c', `u64 total;
static int bump(int i)
{
	total += i;
	return i;
}

void scenario(void)
{
	for (int i = 0; i < 10; i++) {
		bump(i);
	}
	printk("total=%d", (int)total);
}
`);
const CALL_LINE = lineOf(LOOP, 'bump(i);');
const SEED = scenarioFile('seed-partial-delegate.realm.c', SEED_SCENARIO);

describe('line breakpoints', () => {
  it('are verified on statement lines, moved down from blank lines, unverified past the code or in other files', async () => {
    await withDap(async (d) => {
      await d.launch({ program: LOOP }, async () => {
        const r = await d.dc.setBreakpointsRequest({
          source: { path: LOOP },
          breakpoints: [{ line: CALL_LINE }, { line: lineOf(LOOP, 'void scenario(void)') - 1 }, { line: 200 }],
        });
        const [a, b, c] = r.body.breakpoints;
        assert.deepEqual([a.verified, a.line], [true, CALL_LINE]);
        assert.deepEqual([b.verified, b.line], [true, lineOf(LOOP, 'for (int i = 0;')], 'moved to the next statement');
        assert.equal(c.verified, false);
        assert.match(c.message ?? '', /no statement on or after this line/);
        const other = await d.dc.setBreakpointsRequest({ source: { path: RAW }, breakpoints: [{ line: 50 }] });
        assert.equal(other.body.breakpoints[0].verified, false);
        assert.match(other.body.breakpoints[0].message ?? '', /no code of this run/);
      });
      await d.stopped('entry');
      const s = await d.step('continue', 'breakpoint');
      assert.equal(s.body.hitBreakpointIds?.length, 1);
      assert.equal((await d.top()).line, lineOf(LOOP, 'for (int i = 0;'));
      await d.step('continue', 'breakpoint');
      assert.equal((await d.top()).line, CALL_LINE);
      assert.equal(await d.evaluate('i'), '0');
    });
  });

  it('stop only when their condition holds; an error in a condition stops with a message', async () => {
    await withDap(async (d) => {
      await d.launch({ program: LOOP, stopOnEntry: false }, async () => {
        await d.dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: CALL_LINE, condition: 'i == 7' }] });
      });
      await d.stopped('breakpoint');
      assert.equal(await d.evaluate('i'), '7');
      assert.equal(await d.evaluate('total'), '21', 'bump ran for 0..6');
      await d.dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: CALL_LINE, condition: 'nope > 1' }] });
      const s = await d.step('continue', 'breakpoint');
      assert.match(s.body.text ?? '', /condition 'nope > 1' could not be evaluated: .*undeclared identifier 'nope'/);
      assert.equal(await d.evaluate('i'), '8');
    });
  });

  it('honour hit conditions (N, % N) and log messages with {expressions} without stopping', async () => {
    await withDap(async (d) => {
      await d.launch({ program: LOOP, stopOnEntry: false }, async () => {
        await d.dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: CALL_LINE, hitCondition: '% 4' }] });
      });
      await d.stopped('breakpoint');
      assert.equal(await d.evaluate('i'), '3', 'the 4th hit');
      await d.step('continue', 'breakpoint');
      assert.equal(await d.evaluate('i'), '7', 'the 8th hit');
      const bad = await d.dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: CALL_LINE, hitCondition: 'often' }] });
      assert.equal(bad.body.breakpoints[0].verified, false);
      assert.match(bad.body.breakpoints[0].message ?? '', /hit condition 'often' is not understood/);
      await d.dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: CALL_LINE, logMessage: 'i={i} total={total} bad={nope}' }] });
      await d.dc.continueRequest({ threadId: 1 });
      await d.next('terminated');
      const logs = d.outputs().filter((o) => o.body.category === 'console' && /^i=/.test(o.body.output)).map((o) => o.body.output.trim());
      assert.equal(logs[0], "i=8 total=28 bad=<use of undeclared identifier 'nope'>");
      assert.deepEqual(logs.map((l) => l.split(' ')[0]), ['i=8', 'i=9']);
      assert.ok(d.outputs().some((o) => o.body.output === 'total=45\n' && o.body.line === lineOf(LOOP, 'printk(')), 'printk output with its line');
    });
  });
});

describe('function breakpoints', () => {
  it('stop on entry of a C function', async () => {
    await withDap(async (d) => {
      await d.launch({ program: LOOP, stopOnEntry: false }, async () => {
        const r = await d.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'bump', hitCondition: '2' }, { name: 'no_such_fn' }] });
        assert.equal(r.body.breakpoints[0].verified, true);
        assert.equal(r.body.breakpoints[1].verified, false);
        assert.match(r.body.breakpoints[1].message ?? '', /no function or RMI command named 'no_such_fn'/);
      });
      await d.stopped('function breakpoint');
      const st = await d.dc.stackTraceRequest({ threadId: 1 });
      assert.deepEqual(st.body.stackFrames.map((f) => f.name), ['bump', 'scenario']);
      assert.equal(st.body.stackFrames[0].line, lineOf(LOOP, 'total += i;'));
      assert.equal(await d.evaluate('i'), '1', 'the second call');
    });
  });

  it('on a C function honour a condition', async () => {
    await withDap(async (d) => {
      await d.launch({ program: LOOP, stopOnEntry: false }, async () => {
        await d.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'bump', condition: 'i == 5' }] });
      });
      await d.stopped('function breakpoint');
      assert.equal(await d.evaluate('i'), '5');
      assert.equal(await d.evaluate('total'), '10');
    });
  });

  it('stop before the statement that issues an RMI command', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW, stopOnEntry: false }, async () => {
        await d.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'RMI_GRANULE_DELEGATE' }] });
      });
      const s = await d.stopped('function breakpoint');
      assert.match(s.body.text ?? '', /RMI_GRANULE_DELEGATE returned RMI_SUCCESS/);
      assert.equal((await d.top()).line, lineOf(RAW, 'ret = rmi_call(RMI_GRANULE_DELEGATE, rd);'));
      assert.equal((await d.scope('Granules'))[0].value, 'every granule is UNDELEGATED', 'the call has not run yet');
      await d.step('next', 'step');
      assert.equal((await d.scope('Registers')).find((v) => v.name === 'X0')?.value, '0x0 (RMI_SUCCESS)');
      await d.step('continue', 'function breakpoint');
      assert.equal((await d.top()).line, lineOf(RAW, 'ret = rmi_call(RMI_GRANULE_DELEGATE, rtt);'));
      await d.dc.continueRequest({ threadId: 1 });
      await d.next('terminated');
    });
  });
});

describe('exception filters', () => {
  it('rmi-error stops before the failing call; exceptionInfo names the command, status and check', async () => {
    await withDap(async (d) => {
      await d.launch({ program: LIVE_RD, stopOnEntry: false }, async () => {
        await d.dc.setExceptionBreakpointsRequest({ filters: ['rmi-error', 'expectation'] });
      });
      const s = await d.stopped('exception');
      assert.match(s.body.text ?? '', /^RMI_GRANULE_UNDELEGATE returned RMI_ERROR_INPUT: check gran_state failed$/);
      assert.equal((await d.top()).line, lineOf(LIVE_RD, 'ret = rmi_call(RMI_GRANULE_UNDELEGATE, rd);'));
      const info = await d.dc.exceptionInfoRequest({ threadId: 1 });
      assert.equal(info.body.exceptionId, 'rmi-error');
      assert.equal(info.body.details?.typeName, 'RMI_GRANULE_UNDELEGATE');
      assert.equal(info.body.details?.evaluateName, 'gran_state');
      await d.step('next', 'step');
      assert.equal((await d.scope('Registers')).find((v) => v.name === 'X0')?.value, '0x1 (RMI_ERROR_INPUT)');
      const e = await d.step('continue', 'exception');
      assert.match(e.body.text ?? '', /expect\(ret == RMI_SUCCESS\) failed/);
      assert.equal((await d.top()).line, lineOf(LIVE_RD, 'expect(ret == RMI_SUCCESS);', lineOf(LIVE_RD, 'Wrong:')));
      assert.equal((await d.dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'expectation');
    });
  });

  it('rmi-error with a status condition ignores other statuses', async () => {
    await withDap(async (d) => {
      await d.launch({ program: LIVE_RD, stopOnEntry: false }, async () => {
        await d.dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'rmi-error', condition: 'RMI_ERROR_RTT' }] });
      });
      await d.next('terminated');
      assert.equal(d.events.filter((e) => e.event === 'stopped').length, 0);
    });
  });

  it('warn and leak stop in the seed case: the undelegate of a never-delegated granule, then WARN_ON', async () => {
    await withDap(async (d) => {
      await d.launch({ program: SEED, stopOnEntry: false }, async () => {
        await d.dc.setExceptionBreakpointsRequest({ filters: ['leak', 'warn'] });
      });
      const leak = await d.stopped('exception');
      assert.match(leak.body.text ?? '', /RMI_GRANULE_RANGE_UNDELEGATE: .*never delegated/);
      const st = await d.dc.stackTraceRequest({ threadId: 1 });
      assert.deepEqual(st.body.stackFrames.map((f) => f.name), ['rmi_undelegate_range', 'realm_create_rd', 'realm_ensure_created', 'scenario']);
      const info = await d.dc.exceptionInfoRequest({ threadId: 1 });
      assert.equal(info.body.exceptionId, 'leak');
      assert.equal(info.body.details?.typeName, 'RMI_GRANULE_RANGE_UNDELEGATE');
      const warn = await d.step('continue', 'exception');
      assert.match(warn.body.text ?? '', /^WARNING: WARN_ON\(rmi_undelegate_range\(kvm->arch.mmu.pgd_phys, pgd_size\)\)/);
      const frames = (await d.dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      assert.deepEqual([frames[0].name, frames[1].name], ['rmi_undelegate_range', 'realm_create_rd'], 'the same statement ran the call and the WARN_ON');
      assert.equal(frames[1].line, lineOf(SEED, 'if (WARN_ON(rmi_undelegate_range('));
      assert.equal((await d.dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'warn');
      await assert.rejects(d.dc.setExceptionBreakpointsRequest({ filters: ['nonsense'] }), /unknown exception filter 'nonsense'/);
      const out = d.outputs();
      assert.ok(out.some((o) => /never delegated/.test(o.body.output) && o.body.line === lineOf(SEED, 'static int rmi_undelegate_range(')), 'the finding, at the call');
      assert.ok(out.some((o) => /^WARNING: WARN_ON/.test(o.body.output) && o.body.line === lineOf(SEED, 'if (WARN_ON(rmi_undelegate_range(')), 'the WARN_ON, at its line');
    });
  });
});
