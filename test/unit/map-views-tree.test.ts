// The Realms view's content (src/extension/map-views): the tree of realms, RECs, RTTs and DATA
// granules built from a run's machine, how it follows the map at a cursor line, and the paging
// that keeps it fast for a realm with 262,144 DATA granules.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { arraysAfterCalls } from '../../src/extension/map-state';
import { PAGE_SIZE, pageSpan, paged } from '../../src/extension/map-views/paging';
import { RealmTreeModel, type TreeNode } from '../../src/extension/map-views/realm-tree-model';
import { describeNodes } from '../../src/extension/map-views/tree-probe';
import { createRmm } from '../../src/rmm';
import { run } from './helpers/c-run';
import { createRealm, GRANULE, PageAllocator, populate } from './helpers/raw-realm';

const EXAMPLES = path.join(__dirname, '../../../examples');
const LIVE_RD = 'undelegate-live-rd-1.0.realm.c';

const kids = (n: TreeNode): TreeNode[] => {
  assert.ok(n.children, `${n.label} has children`);
  return n.children();
};
const child = (n: TreeNode, label: string): TreeNode => {
  const c = kids(n).find((k) => k.label === label);
  assert.ok(c, `${n.label} has a child ${label}: ${kids(n).map((k) => k.label).join(', ')}`);
  return c;
};

async function exampleRun(name: string) {
  const file = path.join(EXAMPLES, name);
  return run(fs.readFileSync(file, 'utf8'), { file });
}

describe('realms tree model', () => {
  it('shows the realm an example leaves behind: RD, state, IPA width, VMID, its starting-level RTT', async () => {
    const r = await exampleRun(LIVE_RD);
    const roots = new RealmTreeModel({ rmm: r.rmm }).roots();
    assert.equal(roots.length, 1, 'one realm');
    const realm = roots[0];
    const rdCall = r.calls.find((c) => c.name === 'RMI_REALM_CREATE')!;
    const rdPa = BigInt(rdCall.args[0]);
    assert.equal(realm.granule, r.rmm.st.granules.index(Number(rdPa)), 'selecting the realm selects its RD granule');
    assert.equal(realm.label, `Realm ${realm.pa}`);
    assert.match(realm.description!, /^REALM_NEW · IPA 39 bits · VMID 1 · 0 DATA$/);
    assert.equal(child(realm, 'RECs').description, '0');
    assert.equal(child(realm, 'DATA granules').description, '0');
    const rtts = child(realm, 'RTTs');
    assert.match(rtts.description!, /^1 \(starting level 1\)$/);
    const [root] = kids(rtts);
    assert.match(root.label, /^RTT L1 0x/);
    assert.equal(root.description, 'IPA 0x0 · 0/512 live');
    assert.equal(r.rmm.st.granules.state[root.granule!], 6 /* RTT */);
  });

  it('at a cursor line, shows only the realms that exist after that many RMI calls', async () => {
    const r = await exampleRun(LIVE_RD);
    const create = r.calls.findIndex((c) => c.name === 'RMI_REALM_CREATE');
    assert.ok(create > 0);
    const before = arraysAfterCalls(r.rmm, r.calls, create);
    const after = arraysAfterCalls(r.rmm, r.calls, create + 1);
    assert.equal(new RealmTreeModel({ rmm: r.rmm, states: before.states }).roots().length, 0, 'no realm before RMI_REALM_CREATE');
    assert.equal(new RealmTreeModel({ rmm: r.rmm, states: after.states }).roots().length, 1, 'the realm right after it');
  });

  it('stays small for a realm with 262,144 DATA granules: counts at once, pages of at most 256, leaves in PA order', () => {
    const rmm = createRmm({ profile: '1.0', dram: [{ base: 0x8000_0000n, size: 2n * 0x4000_0000n }] });
    const pages = new PageAllocator(0x8000_0000n);
    const realm = createRealm(rmm, pages);
    populate(rmm, realm, pages, 262_144n * GRANULE);

    const model = new RealmTreeModel({ rmm });
    const [node] = model.roots();
    const data = child(node, 'DATA granules');
    const top = kids(data);
    assert.match(node.description!, / · 262144 DATA$/);
    assert.equal(data.description, '262144');

    // Walk down the first path: every level at most PAGE_SIZE nodes, leaves are DATA granules.
    assert.ok(top.length <= PAGE_SIZE && top.length > 1, `${top.length} top pages`);
    assert.equal(top.reduce((n, p) => n + Number(p.description), 0), 262_144, 'the pages cover every DATA granule');
    let level = top;
    while (level[0].children) {
      level = kids(level[0]);
      assert.ok(level.length <= PAGE_SIZE, `${level.length} children`);
    }
    const g = rmm.st.granules;
    assert.ok(level.every((n) => g.state[n.granule!] === 5 /* DATA */), 'leaves are DATA granules');
    const pas = level.map((n) => g.pa(n.granule!));
    assert.deepEqual(pas, [...pas].sort((a, b) => a - b));
    assert.equal(level[0].label, `DATA ${level[0].pa}`);

    // RTTs: the L1 root -> one L2 whose 512 TABLE entries are the L3 tables of 1 GiB -> 512 ASSIGNED entries each.
    const [l1] = kids(child(node, 'RTTs'));
    const [l2] = kids(l1);
    assert.match(l2.label, /^RTT L2 0x.* \(entry 0\)$/);
    assert.equal(l2.description, 'IPA 0x0 · 512/512 live');
    const l2Pages = kids(l2);
    assert.equal(l2Pages.length, 2, '512 tables in two pages of 256');
    const l3 = kids(l2Pages[1])[0];
    assert.match(l3.label, /^RTT L3 0x.* \(entry 256\)$/);
    assert.match(l3.description!, /^IPA 0x20000000 · 512\/512 live$/);
    const entry = kids(kids(l3)[0])[0];
    assert.match(entry.label, /^IPA 0x20000000 → 0x/);
    assert.equal(entry.description, 'ASSIGNED, RIPAS RAM', 'DATA_CREATE (1.0) maps the page as RAM');
    assert.equal(g.state[entry.granule!], 5, 'an ASSIGNED entry selects its DATA granule');
  });

  it('gives every node a unique id (VS Code keeps expansion by id)', async () => {
    const rmm = createRmm({ profile: '1.0', dram: [{ base: 0x8000_0000n, size: 0x4000_0000n }] });
    const pages = new PageAllocator(0x8000_0000n);
    populate(rmm, createRealm(rmm, pages, 1), pages, 600n * GRANULE);
    createRealm(rmm, pages, 2);
    const ids = new Set<string>();
    const visit = (nodes: TreeNode[]) => {
      for (const n of nodes) {
        assert.ok(!ids.has(n.id), `duplicate id ${n.id}`);
        ids.add(n.id);
        if (n.children) visit(n.children());
      }
    };
    const roots = new RealmTreeModel({ rmm }).roots();
    assert.equal(roots.length, 2, 'two realms');
    assert.deepEqual(roots.map((r) => r.description!.match(/VMID (\d+)/)![1]), ['1', '2']);
    visit(roots);
    assert.ok(ids.size > 1200, `${ids.size} nodes`);
  });
});

describe('tree paging', () => {
  it('chooses spans that leave at most PAGE_SIZE children and covers every item once', () => {
    assert.equal(pageSpan(10), 1);
    assert.equal(pageSpan(256), 1);
    assert.equal(pageSpan(257), 256);
    assert.equal(pageSpan(262_144), 65_536);
    const seen: number[] = [];
    const collect = (nodes: (number | { children: () => unknown[] })[]): void => {
      assert.ok(nodes.length <= 4);
      for (const n of nodes) {
        if (typeof n === 'number') seen.push(n);
        else collect(n.children() as never);
      }
    };
    collect(paged<number | { children: () => unknown[] }>(37, (k) => k, (p) => ({ children: p.children }), 0, 4));
    assert.deepEqual(seen, Array.from({ length: 37 }, (_, k) => k));
    assert.deepEqual(paged(0, (k) => k, () => -1), []);
  });

  it('describes the tree as data down to a depth, marking what lies deeper', async () => {
    const r = await exampleRun(LIVE_RD);
    const [realm] = describeNodes(new RealmTreeModel({ rmm: r.rmm }).roots(), 2);
    assert.deepEqual(realm.children!.map((c) => c.label), ['RECs', 'RTTs', 'DATA granules']);
    assert.equal(realm.children![1].more, true);
    assert.equal(realm.children![1].children, undefined);
  });
});
