// Extension-host tests of the views around the Granule Map: the Realms tree follows the map (here
// the map at the cursor line), selecting a tree node makes the webview scroll to and outline the
// granule (the command resolves only when the webview answers), and the exports write the map.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until, workspaceFile } from './helpers';

const EXAMPLE = 'undelegate-live-rd-1.0.realm.c';
const GRANULES = (1 << 30) / 4096; // the example's machine: 1 GiB of DRAM

interface NodeDescription { id: string; label: string; description?: string; granule?: number; pa?: string; children?: NodeDescription[] }
interface TreeDescription { file?: string; at?: string; nodes: NodeDescription[] }



const tree = () => vscode.commands.executeCommand<TreeDescription>('realmLab.describeRealmsTree', 4);

function lineOf(doc: vscode.TextDocument, needle: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(needle)) return i;
  throw new Error(`no line with ${needle}`);
}

describe('Realm Lab map views', () => {
  let editor: vscode.TextEditor;

  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const doc = await vscode.workspace.openTextDocument(workspaceFile(EXAMPLE));
    editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('realmLab.openGranuleMap');
    // The map is open and shows the example's run once its `at` names this file.
    await until('the map to show the example', async () => (await tree()).file === EXAMPLE);
    editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('contributes the map\'s right-click items for a granule and the export buttons on its title bar', () => {
    const ext = vscode.extensions.getExtension('realm-lab.realm-lab');
    const menus = (ext?.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } }).contributes.menus;
    const context = menus['webview/context'].filter((m) => /webviewSection == 'granule'/.test(m.when ?? '')).map((m) => m.command);
    assert.deepEqual(context.sort(), ['realmLab.copyGranuleAddress', 'realmLab.showGranuleHistory']);
    const title = menus['editor/title'].filter((m) => /activeWebviewPanelId == 'realmLab.granuleMap'/.test(m.when ?? '')).map((m) => m.command);
    assert.deepEqual(title.sort(), ['realmLab.exportGranuleMapJson', 'realmLab.exportGranuleMapPng']);
  });

  it('the Realms tree follows the map at the cursor: no realm before RMI_REALM_CREATE, the realm and its RTT after it', async () => {
    const doc = editor.document;
    const before = lineOf(doc, 'rmi_call(RMI_GRANULE_DELEGATE, rtt);');
    const afterCreate = lineOf(doc, 'ret = rmi_call(RMI_REALM_CREATE') + 1;
    editor.selection = new vscode.Selection(before, 1, before, 1);
    const empty = await until('the tree at the line before RMI_REALM_CREATE', async () => {
      const t = await tree();
      return t.at?.startsWith(`after line ${before + 1} `) && t;
    });
    assert.deepEqual(empty.nodes, [], 'no realm yet');

    editor.selection = new vscode.Selection(afterCreate, 1, afterCreate, 1);
    const t = await until('the tree after RMI_REALM_CREATE', async () => {
      const d = await tree();
      return d.at?.startsWith(`after line ${afterCreate + 1} `) && d.nodes.length > 0 && d;
    });
    assert.equal(t.nodes.length, 1);
    const realm = t.nodes[0];
    assert.match(realm.label, /^Realm 0x/);
    assert.match(realm.description ?? '', /^REALM_NEW · IPA 39 bits · VMID 1 · 0 DATA$/);
    const rtts = realm.children?.find((c) => c.label === 'RTTs');
    assert.ok(rtts?.children?.[0], 'the RTTs group lists the starting-level RTT');
    assert.match(rtts.children[0].label, /^RTT L1 0x/);
    assert.equal(rtts.children[0].description, 'IPA 0x0 · 0/512 live');
  });

  it('selecting a tree node selects its granule in the map (the webview scrolls to it and answers)', async () => {
    const t = await tree();
    const rtt = t.nodes[0]?.children?.find((c) => c.label === 'RTTs')?.children?.[0];
    assert.ok(rtt && typeof rtt.granule === 'number', 'an RTT node with a granule');
    // The tree item's command, as a click runs it.
    const r = await vscode.commands.executeCommand<{ index: number; shown: boolean }>('realmLab.selectGranule', rtt.granule);
    assert.deepEqual(r, { index: rtt.granule, shown: true });
    // The right-click "Show Granule History" takes the webview's data-vscode-context.
    const h = await vscode.commands.executeCommand<{ index: number; shown: boolean }>('realmLab.showGranuleHistory',
      { webviewSection: 'granule', granuleIndex: t.nodes[0].granule, granulePa: t.nodes[0].pa });
    assert.deepEqual(h, { index: t.nodes[0].granule, shown: true });
    // A granule the map does not have is refused by the webview (and reported), not thrown.
    const bad = await vscode.commands.executeCommand<{ index: number; shown: boolean }>('realmLab.selectGranule', GRANULES + 5);
    assert.equal(bad?.shown, false);
  });

  it('Export Granule Map as JSON writes the whole map, its counts and the run report', async () => {
    const target = workspaceFile('exported-map.json');
    const written = await vscode.commands.executeCommand<vscode.Uri>('realmLab.exportGranuleMapJson', target);
    assert.equal(written?.toString(), target.toString());
    const doc = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(target)));
    assert.equal(doc.format, 'realm-lab.granule-map');
    assert.equal(doc.map.count, GRANULES);
    assert.equal(doc.file, EXAMPLE);
    // At the cursor after RMI_REALM_CREATE: the RD and the RTT left DELEGATED, nothing else.
    assert.deepEqual(doc.counts, { UNDELEGATED: GRANULES - 2, RD: 1, RTT: 1 });
    assert.ok(doc.report, 'a live run carries its report');
    assert.equal(doc.report.ok, false, 'the example fails its expectations');
    assert.ok(doc.report.rmiCalls.some((c: { name: string }) => c.name === 'RMI_REALM_CREATE'));
  });

  it('Export Granule Map as PNG writes the map rendered at one pixel per granule', async () => {
    const target = workspaceFile('exported-map.png');
    const written = await vscode.commands.executeCommand<vscode.Uri>('realmLab.exportGranuleMapPng', target);
    assert.equal(written?.toString(), target.toString());
    const bytes = await vscode.workspace.fs.readFile(target);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    assert.deepEqual({ width: v.getUint32(16), height: v.getUint32(20) }, { width: 512, height: GRANULES / 512 });
  });
});
