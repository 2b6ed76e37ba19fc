// Real reverse execution: stepBack and reverseContinue restore a checkpoint and replay, so
// variables, registers and granules are exactly as they were; restart replays an edited program
// to the same step; pause interrupts a long continue. Also measures next and a deep stepBack.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { LIVE_RD, RAW, lineOf, scenarioFile, withDap, type Dap } from './client';

async function nextUntil(d: Dap, line: number): Promise<void> {
  for (let i = 0; i < 200 && (await d.top()).line !== line; i++) await d.step('next', 'step');
  assert.equal((await d.top()).line, line);
}

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

const LONG = scenarioFile('long.realm.c', `u64 total;
void scenario(void)
{
	int i;
	for (i = 0; i < 20000; i++)
		total += i;
	printk("done");
}
`);

describe('stepping back', () => {
  it('undoes an RMI call: granules and registers are as they were, and stepping forward redoes it', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW });
      await d.stopped('entry');
      const delegateLine = lineOf(RAW, 'ret = rmi_call(RMI_GRANULE_DELEGATE, rd);');
      await nextUntil(d, delegateLine);
      await d.step('next', 'step');
      const rd = await d.value('rd');
      assert.equal((await d.scope('Granules'))[0].value, 'DELEGATED');
      assert.equal(await d.evaluate('ret'), '0');
      await d.step('stepBack', 'step');
      assert.equal((await d.top()).line, delegateLine);
      assert.equal((await d.scope('Granules'))[0].value, 'every granule is UNDELEGATED');
      assert.equal((await d.scope('Registers')).find((v) => v.name === 'X0')?.value, 'no RMI call made yet');
      assert.equal(await d.value('rd'), rd, 'the same page is allocated again');
      await d.step('next', 'step');
      assert.deepEqual((await d.scope('Granules')).map((g) => `${g.name} = ${g.value}`), [`${rd} = DELEGATED`]);
    });
  });

  it('steps back over a call as the reverse of next, and from a callee into its caller', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW });
      await d.stopped('entry');
      await nextUntil(d, lineOf(RAW, 'phys_addr_t rtt = alloc_granule();'));
      await d.step('stepBack', 'step');
      assert.equal(await d.where(), `scenario:${lineOf(RAW, 'phys_addr_t rd = alloc_granule();')}`);
      await d.step('stepIn', 'step');
      assert.equal((await d.top()).name, 'alloc_granule');
      await d.step('stepBack', 'step');
      assert.equal(await d.where(), `scenario:${lineOf(RAW, 'phys_addr_t rd = alloc_granule();')}`);
      await d.step('stepBack', 'entry');
      assert.equal((await d.top()).line, lineOf(RAW, 'struct rmi_realm_params *params'));
      await d.step('stepBack', 'entry');
      assert.equal((await d.top()).line, lineOf(RAW, 'struct rmi_realm_params *params'), 'nothing before the start');
    });
  });

  it('reverseContinue goes back to earlier breakpoint hits, then to the start', async () => {
    await withDap(async (d) => {
      await d.launch({ program: LOOP, stopOnEntry: false }, async () => {
        await d.dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: CALL_LINE }] });
      });
      await d.stopped('breakpoint');
      await d.step('continue', 'breakpoint');
      await d.step('continue', 'breakpoint');
      assert.deepEqual([await d.evaluate('i'), await d.evaluate('total')], ['2', '1']);
      await d.step('reverseContinue', 'breakpoint');
      assert.deepEqual([await d.evaluate('i'), await d.evaluate('total')], ['1', '0']);
      await d.step('reverseContinue', 'breakpoint');
      assert.equal(await d.evaluate('i'), '0');
      await d.step('reverseContinue', 'entry');
      assert.equal((await d.top()).line, lineOf(LOOP, 'for (int i = 0;'));
      await d.step('continue', 'breakpoint');
      assert.equal(await d.evaluate('i'), '0', 'forward again from the start');
    });
  });

  it('reverseContinue stops at an earlier failing RMI call when the filter is on', async () => {
    await withDap(async (d) => {
      const last = lineOf(LIVE_RD, 'expect_granule(rd, RMI_GRANULE_UNDELEGATED);');
      await d.launch({ program: LIVE_RD, stopOnEntry: false }, async () => {
        await d.dc.setBreakpointsRequest({ source: { path: LIVE_RD }, breakpoints: [{ line: last }] });
      });
      await d.stopped('breakpoint');
      await d.dc.setExceptionBreakpointsRequest({ filters: ['rmi-error'] });
      await d.step('reverseContinue', 'exception');
      assert.equal((await d.top()).line, lineOf(LIVE_RD, 'ret = rmi_call(RMI_GRANULE_UNDELEGATE, rd);'));
      assert.equal((await d.dc.exceptionInfoRequest({ threadId: 1 })).body.details?.typeName, 'RMI_GRANULE_UNDELEGATE');
      assert.match((await d.scope('Registers')).find((v) => v.name === 'command')?.value ?? '', /^RMI_REALM_CREATE/, 'registers of the call before it');
      await d.step('continue', 'breakpoint');
      assert.equal((await d.top()).line, last, 'resuming does not report the same call again');
    });
  });

  // How fast next and stepBack are is measured by `npm run bench` (debug.step_ms, debug.step_back_ms).
  it('is exact deep into a run: stepBack and next move one statement either way', async () => {
    await withDap(async (d) => {
      await d.launch({ program: LONG, stopOnEntry: false }, async () => {
        await d.dc.setBreakpointsRequest({ source: { path: LONG }, breakpoints: [{ line: lineOf(LONG, 'printk("done")') }] });
      });
      await d.stopped('breakpoint');
      const sum = (n: number) => (BigInt(n) * BigInt(n - 1)) / 2n;
      assert.equal(BigInt(await d.evaluate('total')), sum(20000));
      await d.step('stepBack', 'step');
      assert.equal((await d.top()).line, lineOf(LONG, 'for (i = 0;'));
      assert.equal(await d.evaluate('i'), '20000');
      for (let k = 0; k < 30; k++) await d.step('stepBack', 'step');
      // 30 steps back from the loop test at i = 20000: alternating test and body, i = 19985.
      assert.equal(await d.evaluate('i'), '19985');
      assert.equal(BigInt(await d.evaluate('total')), sum(19985));
      for (let k = 0; k < 30; k++) await d.step('next', 'step');
      assert.equal(await d.evaluate('i'), '20000');
    });
  });
});

describe('restart and pause', () => {
  it('restart re-reads the edited program and replays to the same step', async () => {
    const file = scenarioFile('edit.realm.c', fs.readFileSync(RAW, 'utf8'));
    await withDap(async (d) => {
      await d.launch({ program: file });
      await d.stopped('entry');
      const line = lineOf(file, 'params->num_wps = 1;');
      await nextUntil(d, line);
      assert.equal(await d.evaluate('params->s2sz'), '39');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('params->s2sz = 39;', 'params->s2sz = 40;'));
      await d.dc.restartRequest({});
      await d.stopped('goto');
      assert.equal((await d.top()).line, line);
      assert.equal(await d.evaluate('params->s2sz'), '40');
      fs.writeFileSync(file, 'void scenario(void)\n{\n\tint x = ;\n}\n');
      await assert.rejects(d.dc.restartRequest({}), /edit\.realm\.c:3:\d+: error: /);
      assert.equal((await d.top()).line, line, 'the session goes on with the last good program');
      fs.unlinkSync(file);
      await assert.rejects(d.dc.restartRequest({}), /cannot read the scenario file/);
      await d.step('next', 'step');
      await d.step('stepBack', 'step');
      assert.equal((await d.top()).line, line, 'a deleted file is harmless: the run is in memory');
    });
  });

  it('pause stops a long continue at once, and the run can be inspected and stepped back', async () => {
    const file = scenarioFile('forever.realm.c', 'u64 n;\nvoid scenario(void)\n{\n\tfor (;;)\n\t\tn++;\n}\n');
    await withDap(async (d) => {
      await d.launch({ program: file, stopOnEntry: false });
      await new Promise((r) => setTimeout(r, 150));
      const t0 = Date.now();
      await d.dc.pauseRequest({ threadId: 1 });
      await d.stopped('pause');
      assert.ok(Date.now() - t0 < 1000, `paused in ${Date.now() - t0} ms`);
      const n = BigInt(await d.evaluate('n'));
      assert.ok(n > 1000n, `ran ${n} iterations`);
      await d.step('stepBack', 'step');
      await d.step('stepBack', 'step');
      assert.equal(BigInt(await d.evaluate('n')), n - 1n);
      await d.dc.continueRequest({ threadId: 1 });
      await d.dc.terminateRequest({});
      await d.next('terminated');
    });
  });
});
