// Stepping through examples/raw-rmi-1.0.realm.c and reading the stopped state: the call stack,
// locals and globals with types, the SMC registers of the last RMI call, the granules,
// hover/watch evaluation and readMemory of granule contents.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RAW, lineOf, withDap, type Dap } from './client';

async function nextUntil(d: Dap, line: number): Promise<void> {
  for (let i = 0; i < 200 && (await d.top()).line !== line; i++) await d.step('next', 'step');
  assert.equal((await d.top()).line, line);
}

describe('stepping through raw-rmi-1.0', () => {
  it('next, stepIn and stepOut move through scenario and helper functions; the stack reads innermost first', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW });
      await d.stopped('entry');
      await d.step('next', 'step');
      assert.equal((await d.top()).line, lineOf(RAW, 'phys_addr_t rd = alloc_granule();'));
      await d.step('stepIn', 'step');
      const st = await d.dc.stackTraceRequest({ threadId: 1 });
      assert.deepEqual(st.body.stackFrames.map((f) => [f.name, f.line, f.source?.path]), [
        ['alloc_granule', lineOf(RAW, 'return virt_to_phys((void *)__get_free_page(GFP_KERNEL));'), RAW],
        ['scenario', lineOf(RAW, 'phys_addr_t rd = alloc_granule();'), RAW],
      ]);
      assert.equal(st.body.totalFrames, 2);
      assert.ok(st.body.stackFrames.every((f) => f.column >= 1 && (f.endLine ?? 0) >= f.line));
      await d.step('stepOut', 'step');
      assert.equal(await d.where(), `scenario:${lineOf(RAW, 'phys_addr_t rtt = alloc_granule();')}`);
      await d.step('next', 'step');
      assert.equal(await d.where(), `scenario:${lineOf(RAW, 'unsigned long ret;') + 2}`, 'next steps over alloc_granule');
    });
  });

  it('steps to the next RMI call with instruction granularity', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW });
      await d.stopped('entry');
      await d.dc.nextRequest({ threadId: 1, granularity: 'instruction' });
      await d.stopped('step');
      assert.equal(await d.where(), `scenario:${lineOf(RAW, 'expect(ret == RMI_SUCCESS);')}`, 'right after the statement that made the call');
      assert.match((await d.scope('Registers')).find((v) => v.name === 'command')?.value ?? '', /^RMI_GRANULE_DELEGATE .*call #1/);
      await d.dc.nextRequest({ threadId: 1, granularity: 'instruction' });
      await d.stopped('step');
      assert.match((await d.scope('Registers')).find((v) => v.name === 'command')?.value ?? '', /^RMI_GRANULE_DELEGATE .*call #2/);
    });
  });

  it('shows locals with types, struct members on demand and pointers with memory references; globals too', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW });
      await d.stopped('entry');
      await nextUntil(d, lineOf(RAW, 'params->num_bps = 1;'));
      const locals = await d.scope('Locals');
      const byName = Object.fromEntries(locals.map((v) => [v.name, v]));
      assert.deepEqual(Object.keys(byName).sort(), ['params', 'rd', 'ret', 'rtt']);
      assert.equal(byName.rd.type, 'phys_addr_t');
      assert.match(byName.rd.value, /^0x[0-9a-f]{8}$/);
      assert.equal(byName.params.type, 'struct rmi_realm_params *');
      assert.match(byName.params.memoryReference ?? '', /^0x[0-9a-f]+$/);
      assert.ok(byName.params.variablesReference > 0, 'the struct behind the pointer expands');
      const members = (await d.dc.variablesRequest({ variablesReference: byName.params.variablesReference })).body.variables;
      const s2sz = members.find((m) => m.name === 's2sz');
      assert.deepEqual([s2sz?.type, s2sz?.value], ['u64', '39']);
      const rpv = members.find((m) => m.name === 'rpv');
      assert.equal(rpv?.type, 'u8[64]');
      assert.ok((rpv?.variablesReference ?? 0) > 0, 'arrays expand');
      const globals = await d.scope('Globals');
      const machine = globals.find((v) => v.name === 'machine');
      assert.equal(machine?.type, 'struct realm_lab_machine');
      assert.ok(globals.some((v) => v.name === 'rmi_last'));
    });
  });

  it('shows X0..X6 of the last RMI call with the status decoded, and every granule not UNDELEGATED', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW });
      await d.stopped('entry');
      assert.equal((await d.scope('Registers')).find((v) => v.name === 'X0')?.value, 'no RMI call made yet');
      assert.equal((await d.scope('Granules'))[0].value, 'every granule is UNDELEGATED');
      await nextUntil(d, lineOf(RAW, 'expect(ret == RMI_SUCCESS);'));
      const rd = await d.value('rd');
      const regs = Object.fromEntries((await d.scope('Registers')).map((v) => [v.name, v]));
      assert.match(regs.command.value, /^RMI_GRANULE_DELEGATE \(FID 0xc4000151, call #1\)$/);
      assert.equal(regs.X0.value, '0x0 (RMI_SUCCESS)');
      assert.equal(regs.X1.value, rd);
      assert.equal(regs.X1.memoryReference, rd, 'a PA argument links to memory');
      assert.equal(regs.X2.value, '0x0');
      assert.ok(regs.X6 && regs['X4 (out)']);
      let granules = await d.scope('Granules');
      assert.deepEqual(granules.map((g) => `${g.name} = ${g.value}`), [`${rd} = DELEGATED`]);
      assert.equal(granules[0].memoryReference, rd);
      await nextUntil(d, lineOf(RAW, 'expect_granule(rd, RMI_GRANULE_RD);'));
      const rtt = await d.value('rtt');
      granules = await d.scope('Granules');
      const states = Object.fromEntries(granules.map((g) => [g.name, g.value]));
      assert.deepEqual(states, { [rd!]: 'RD', [rtt!]: 'RTT' });
      const regs2 = Object.fromEntries((await d.scope('Registers')).map((v) => [v.name, v.value]));
      assert.match(regs2.command, /^RMI_REALM_CREATE/);
    });
  });

  it('evaluates C expressions for hover, watch and the console; errors are error responses', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW });
      await d.stopped('entry');
      await nextUntil(d, lineOf(RAW, 'params->num_bps = 1;'));
      assert.equal(await d.evaluate('params->s2sz', 'hover'), '39');
      assert.equal(await d.evaluate('params->s2sz * 2 + RMI_ERROR_INPUT', 'repl'), '79');
      assert.equal(await d.evaluate('rd == rmi_last.x1 || 1'), '1');
      const st = await d.dc.stackTraceRequest({ threadId: 1 });
      const p = await d.dc.evaluateRequest({ expression: '*params', frameId: st.body.stackFrames[0].id, context: 'watch' });
      assert.equal(p.body.type, 'struct rmi_realm_params');
      assert.ok(p.body.variablesReference > 0);
      await assert.rejects(d.dc.evaluateRequest({ expression: 'nope + 1', frameId: st.body.stackFrames[0].id, context: 'watch' }), /undeclared identifier 'nope'/);
      await assert.rejects(d.dc.evaluateRequest({ expression: 'rd = 0', frameId: st.body.stackFrames[0].id, context: 'repl' }), /would change the program/);
    });
  });

  it('reads granule and physical memory for memory references; outside DRAM is an error', async () => {
    await withDap(async (d) => {
      await d.launch({ program: RAW });
      await d.stopped('entry');
      await nextUntil(d, lineOf(RAW, 'params->num_bps = 1;'));
      const params = (await d.scope('Locals')).find((v) => v.name === 'params')!;
      const r = await d.dc.customRequest('readMemory', { memoryReference: params.memoryReference, offset: 8, count: 8 });
      assert.equal(r.body.address, `0x${(BigInt(params.memoryReference!) + 8n).toString(16)}`);
      assert.deepEqual([...Buffer.from(r.body.data, 'base64')], [39, 0, 0, 0, 0, 0, 0, 0], 's2sz = 39 in the host page');
      const whole = await d.dc.customRequest('readMemory', { memoryReference: params.memoryReference, count: 4096 });
      assert.equal(Buffer.from(whole.body.data, 'base64').length, 4096);
      await assert.rejects(d.dc.customRequest('readMemory', { memoryReference: '0x10', count: 16 }), /0x10 is outside DRAM/);
      await assert.rejects(d.dc.customRequest('readMemory', { memoryReference: 'banana', count: 16 }), /not a memory reference/);
      const tail = await d.dc.customRequest('readMemory', { memoryReference: '0xbffffff8', count: 16 });
      assert.equal(tail.body.unreadableBytes, 8, 'the part past the end of DRAM is unreadable');
    });
  });
});
