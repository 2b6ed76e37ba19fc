// The Realms scope: each realm's RD, state, IPA width, VMID, hash algorithm, RIM and RECs, and its
// RTT tree by level with each table's entries (HIPAS, RIPAS, output address), paged by the client;
// exact at every stop, and after stepBack.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLES, RAW, lineOf, withDap, type Dap } from './client';

const LIFECYCLE = path.join(EXAMPLES, 'realm-lifecycle-1.0.realm.c');

async function nextUntil(d: Dap, line: number): Promise<void> {
  for (let i = 0; i < 200 && (await d.top()).line !== line; i++) await d.step('next', 'step');
  assert.equal((await d.top()).line, line);
}

async function children(d: Dap, v: DebugProtocol.Variable, range?: { start: number; count: number }): Promise<DebugProtocol.Variable[]> {
  assert.ok(v.variablesReference > 0, `${v.name} has children`);
  return (await d.dc.variablesRequest({ variablesReference: v.variablesReference, ...(range ? { filter: 'indexed', ...range } : {}) })).body.variables;
}

const byName = (vars: DebugProtocol.Variable[], name: string): DebugProtocol.Variable => {
  const v = vars.find((x) => x.name === name);
  assert.ok(v, `${name} in ${vars.map((x) => x.name).join(', ')}`);
  return v;
};

/** Every granule of the Granules scope, its pages of 512 expanded. */
async function allGranules(d: Dap): Promise<DebugProtocol.Variable[]> {
  const out: DebugProtocol.Variable[] = [];
  for (const v of await d.scope('Granules')) out.push(...(v.variablesReference ? await children(d, v) : [v]));
  return out;
}

/** name = value of every direct child of the one realm. */
async function realmFields(d: Dap): Promise<Record<string, string>> {
  const realms = await d.scope('Realms');
  assert.equal(realms.length, 1);
  const out: Record<string, string> = {};
  for (const v of await children(d, realms[0])) out[v.name] = v.value;
  return out;
}

describe('the Realms scope', () => {
  it('shows the realm RMI_REALM_CREATE made, its root RTT entry by entry, and loses it on stepBack', async () => {
    await withDap(async (d) => {
      const create = lineOf(RAW, 'ret = rmi_call(RMI_REALM_CREATE');
      await d.launch({ program: RAW });
      await d.stopped('entry');
      await nextUntil(d, create);
      assert.deepEqual((await d.scope('Realms')).map((v) => v.value), ['no realm exists']);
      await d.step('next', 'step');
      const rd = (await d.value('rd'))!;
      const rtt = (await d.value('rtt'))!;
      const [realm] = await d.scope('Realms');
      assert.deepEqual([realm.name, realm.value, realm.memoryReference], [`realm ${rd}`, 'REALM_NEW, VMID 1, 0 RECs', rd]);
      const f = await realmFields(d);
      assert.deepEqual({ ...f, RIM: undefined }, {
        RD: rd, state: 'REALM_NEW', 'IPA width': '39 bits', VMID: '1', 'hash algorithm': 'SHA-256', RIM: undefined,
        'REC count': '0', RECs: '0 RECs', RTT: '1 table, starting level 1, 1 root',
      });
      assert.match(f.RIM, /^[0-9a-f]{64}$/, 'a SHA-256 digest in hex');
      assert.notEqual(f.RIM, '0'.repeat(64), 'REALM_CREATE measured the parameters');

      const tree = await children(d, byName(await children(d, realm), 'RTT'));
      assert.deepEqual(tree.map((v) => `${v.name} = ${v.value}`), ['level 1 = 1 table']);
      const [table] = await children(d, tree[0]);
      assert.deepEqual([table.name, table.value, table.indexedVariables, table.memoryReference], ['IPA 0x0', `RTT at ${rtt}, 0 live of 512`, 512, rtt]);
      const all = await children(d, table);
      assert.equal(all.length, 512);
      assert.equal(all[0].value, 'IPA 0x0: HIPAS UNASSIGNED, RIPAS EMPTY');
      assert.equal(all[255].value, 'IPA 0x3fc0000000: HIPAS UNASSIGNED, RIPAS EMPTY', 'the last protected 1 GiB block');
      assert.equal(all[256].value, 'IPA 0x4000000000: HIPAS UNASSIGNED_NS', 'the upper half of a 39-bit IPA space is unprotected');
      const page = await children(d, table, { start: 500, count: 100 });
      assert.deepEqual(page.map((v) => v.name), Array.from({ length: 12 }, (_, k) => `[${500 + k}]`), 'the client pages entries with start/count');

      await d.step('stepBack', 'step');
      assert.equal((await d.top()).line, create);
      assert.deepEqual((await d.scope('Realms')).map((v) => v.value), ['no realm exists'], 'stepping back undoes REALM_CREATE');
      await d.step('next', 'step');
      assert.deepEqual(await realmFields(d), f, 'and stepping forward again makes the same realm, RIM and all');
    });
  });

  it('follows a whole lifecycle: RECs, level-3 tables of DATA, the RIM changing with each measured page, exact after stepBack', async () => {
    await withDap(async (d) => {
      const populate = lineOf(LIFECYCLE, 'expect(kvm_realm_populate(kvm, i * PAGE_SIZE');
      const fault = lineOf(LIFECYCLE, 'expect(kvm_realm_fault(kvm, GUEST_RAM + 0x5000) == 0);');
      await d.launch({ program: LIFECYCLE, stopOnEntry: false }, async () => {
        await d.dc.setBreakpointsRequest({ source: { path: LIFECYCLE }, breakpoints: [{ line: populate, hitCondition: '3' }, { line: fault }] });
      });
      await d.stopped('breakpoint');
      assert.equal(await d.evaluate('i'), '2');
      const before = await realmFields(d);
      await d.step('next', 'step');
      const after = await realmFields(d);
      assert.notEqual(after.RIM, before.RIM, 'a measured page extends the RIM');
      await d.step('stepBack', 'step');
      assert.equal(await d.evaluate('i'), '2');
      assert.deepEqual(await realmFields(d), before, 'stepBack: the RIM and the tree are as they were');

      await d.step('continue', 'breakpoint');
      assert.equal((await d.top()).line, fault);
      const rd = await d.evaluate('rd');
      const [realm] = await d.scope('Realms');
      assert.equal(realm.name, `realm ${rd}`);
      assert.match(realm.value, /^REALM_ACTIVE, VMID \d+, 2 RECs$/);
      const fields = await children(d, realm);
      assert.equal(byName(fields, 'state').value, 'REALM_ACTIVE');
      assert.equal(byName(fields, 'REC count').value, '2');
      const recs = await children(d, byName(fields, 'RECs'));
      assert.deepEqual(recs.map((r) => r.name), ['REC 0', 'REC 1']);
      // The RECs are the granules in state REC, in REC index order.
      const recGranules = (await allGranules(d)).filter((g) => g.value === 'REC').map((g) => g.name);
      assert.equal(recGranules.length, 2);
      assert.deepEqual(recs.map((r) => r.value.split(' ')[0]).sort(), [...recGranules].sort());
      const rec0 = recs[0].value.split(' ')[0];
      assert.equal(recs[0].value, `${rec0} REC_READY`);
      const rec0Fields = await children(d, recs[0]);
      assert.deepEqual(rec0Fields.slice(0, 3).map((v) => `${v.name} = ${v.value}`), [`PA = ${rec0}`, 'state = REC_READY', 'index = 0']);

      // 16 MiB populated from IPA 0: eight level-3 tables of ASSIGNED RAM pages.
      const levels = await children(d, byName(fields, 'RTT'));
      const l3 = byName(levels, 'level 3');
      const tables = await children(d, l3);
      const first = byName(tables, 'IPA 0x0');
      assert.match(first.value, / 512 live of 512$/);
      const entries = await children(d, first, { start: 0, count: 2 });
      assert.match(entries[0].value, /^IPA 0x0: HIPAS ASSIGNED, RIPAS RAM, OA 0x[0-9a-f]+$/);
      const oa = entries[0].memoryReference!;
      const granules = await allGranules(d);
      assert.equal(granules.find((g) => g.name === oa)?.value, 'DATA', 'the output address is a DATA granule');
      const image0 = (await d.dc.customRequest('readMemory', { memoryReference: oa, count: 4 })).body as DebugProtocol.ReadMemoryResponse['body'];
      assert.equal(Buffer.from(image0!.data!, 'base64').toString('hex'), 'a0a0a0a0', 'holding the first image page');
    });
  });
});
