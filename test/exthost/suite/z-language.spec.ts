// Extension-host tests of the language features (issue 7) with the real vscode API: hover on
// variables, host functions and RMI names; go to definition into the scenario, the embedded host
// code (read-only realm-lab-host: documents) and a workspace copy that wins; references across
// units; the outline with structs; completion of locals, host functions and members.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { lineOf, workspaceFile } from './helpers';

const SEED = 'sweep-seed.realm.c';
const LIFECYCLE = 'realm-lifecycle-2.0.realm.c';

const hostUri = (p: string) => vscode.Uri.from({ scheme: 'realm-lab-host', path: `/${p}` });

/** The position `at` characters into the first `needle` (from line `from`). */
function posOf(doc: vscode.TextDocument, needle: string, at = 0, from = 0): vscode.Position {
  const l = lineOf(doc, needle, from);
  return new vscode.Position(l, doc.lineAt(l).text.indexOf(needle) + at);
}

async function open(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('realmLab.runScenario', uri);
  return doc;
}

async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

async function definition(uri: vscode.Uri, pos: vscode.Position): Promise<{ uri: vscode.Uri; line: number }> {
  const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', uri, pos);
  assert.equal(defs.length, 1, 'one definition');
  const d = defs[0];
  return 'targetUri' in d ? { uri: d.targetUri, line: d.targetRange.start.line } : { uri: d.uri, line: d.range.start.line };
}

describe('Realm Lab language features', function () {
  this.timeout(60_000);
  let restore: () => void = () => {};

  before(() => {
    // Run Scenario ends with a notification; keep them from piling up.
    const w = vscode.window as unknown as Record<string, unknown>;
    const original = w.showInformationMessage;
    w.showInformationMessage = async () => undefined;
    restore = () => { w.showInformationMessage = original; };
  });
  after(async () => {
    restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('hover on a variable shows its C type, on a member its struct', async () => {
    const doc = await open(workspaceFile(LIFECYCLE));
    const rd = await hoverText(doc.uri, posOf(doc, 'rd = virt_to_phys', 1));
    assert.match(rd, /phys_addr_t rd/);
    assert.match(rd, /local variable in `scenario`/);
    assert.match(await hoverText(doc.uri, posOf(doc, 'kvm = kvm_create_vm', 1)), /struct kvm \*kvm/);
    const member = await hoverText(doc.uri, posOf(doc, 'kvm->created_vcpus', 'kvm->'.length + 1));
    assert.match(member, /unsigned int created_vcpus/);
    assert.match(member, /member of `struct kvm`/);
  });

  it('hover on an RMI call: the host wrapper shows its signature and the command, the constant its FID', async () => {
    const seed = await open(workspaceFile(SEED));
    assert.ok(seed);
    const rme = await vscode.workspace.openTextDocument(hostUri('kvm/rme.c'));
    const text = await hoverText(rme.uri, posOf(rme, 'rmi_granule_delegate(', 3));
    assert.match(text, /int rmi_granule_delegate\(phys_addr_t phys\)/);
    assert.match(text, /embedded host file `kernel\/rmi_cmds.c`/);
    assert.match(text, /\*\*RMI_GRANULE_DELEGATE\*\*: FID `0x/);
    const raw = await open(workspaceFile('raw-rmi-1.0.realm.c'));
    assert.match(await hoverText(raw.uri, posOf(raw, 'RMI_GRANULE_DELEGATE', 2)), /\*\*RMI_GRANULE_DELEGATE\*\*: FID `0x/);
  });

  it('go to definition: a local in the scenario, a host function in the embedded host code', async () => {
    const doc = await open(workspaceFile(SEED));
    const local = await definition(doc.uri, posOf(doc, 'realm_ensure_created(kvm)', 'realm_ensure_created('.length + 1));
    assert.equal(local.uri.toString(), doc.uri.toString());
    assert.equal(local.line, lineOf(doc, 'struct kvm *kvm ='));
    const host = await definition(doc.uri, posOf(doc, 'realm_ensure_created(kvm)', 2));
    assert.equal(host.uri.toString(), hostUri('kvm/rmi.c').toString());
    const hostDoc = await vscode.workspace.openTextDocument(host.uri);
    assert.match(hostDoc.lineAt(host.line).text, /^int realm_ensure_created\(struct kvm \*kvm\)/);
    assert.equal(hostDoc.languageId, 'c');
    // From inside the host code on: realm_create_rd is static in kvm/rmi.c, v14's definition.
    const inner = await definition(hostDoc.uri, posOf(hostDoc, 'ret = realm_create_rd(kvm)', 'ret = '.length + 1));
    assert.equal(inner.uri.toString(), hostUri('kvm/rmi.c').toString());
    assert.equal(inner.line, lineOf(hostDoc, 'static int realm_create_rd(struct kvm *kvm)', lineOf(hostDoc, '#else')));
  });

  it('go to definition points at the workspace copy of the host code when there is one', async () => {
    const dir = workspaceFile('lang-copy');
    fs.mkdirSync(path.join(dir.fsPath, 'realm-lab-host', 'kvm'), { recursive: true });
    fs.copyFileSync(workspaceFile(SEED).fsPath, path.join(dir.fsPath, SEED));
    // The copy moves realm_ensure_created down by three lines.
    const embedded = (await vscode.workspace.openTextDocument(hostUri('kvm/rmi.c'))).getText();
    const copy = path.join(dir.fsPath, 'realm-lab-host', 'kvm', 'rmi.c');
    fs.writeFileSync(copy, `/* my copy */\n\n\n${embedded}`);
    const doc = await open(vscode.Uri.joinPath(dir, SEED));
    const def = await definition(doc.uri, posOf(doc, 'realm_ensure_created(kvm)', 2));
    assert.equal(def.uri.fsPath, copy);
    const copyDoc = await vscode.workspace.openTextDocument(def.uri);
    assert.equal(def.line, lineOf(copyDoc, 'int realm_ensure_created(struct kvm *kvm)'));
    assert.equal(def.line, lineOf(await vscode.workspace.openTextDocument(hostUri('kvm/rmi.c')), 'int realm_ensure_created(struct kvm *kvm)') + 3);
    // An embedded file without a copy (kvm/arm.c) still opens read-only.
    const arm = await definition(doc.uri, posOf(doc, 'kvm_destroy_vm(kvm)', 2));
    assert.equal(arm.uri.toString(), hostUri('kvm/arm.c').toString());
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('find references on a host function the seed uses: its definition and every call that compiled', async () => {
    const doc = await open(workspaceFile(SEED));
    const hostDoc = await vscode.workspace.openTextDocument(hostUri('kvm/rmi.c'));
    const call = posOf(hostDoc, 'ret = realm_create_rd(kvm)', 'ret = '.length + 1);
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', hostDoc.uri, call);
    // Two definitions are in the text (#if REALM_LAB_HOST_FIXED): only v14's compiled.
    assert.deepEqual(refs.map((r) => `${r.uri.toString()}:${r.range.start.line}`).sort(), [
      `${hostUri('kvm/rmi.c').toString()}:${lineOf(hostDoc, 'static int realm_create_rd(struct kvm *kvm)', lineOf(hostDoc, '#else'))}`,
      `${hostUri('kvm/rmi.c').toString()}:${call.line}`,
    ].sort());
    const destroy = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, posOf(doc, 'kvm_destroy_vm(kvm)', 2));
    const where = destroy.map((r) => r.uri.toString());
    assert.ok(where.includes(doc.uri.toString()) && where.includes(hostUri('kvm/arm.c').toString()), where.join(', '));
  });

  it('document symbols: functions, the machine, and structs and enums with their members', async () => {
    const uri = workspaceFile('lang-outline.realm.c');
    fs.writeFileSync(uri.fsPath, [
      'struct pair { int first; unsigned long second; };',
      'enum colour { RED, GREEN };',
      'struct realm_lab_machine machine = { .profile = "1.0" };',
      'static int sum(struct pair *p) { return p->first + (int)p->second; }',
      'void scenario(void)',
      '{',
      '\tstruct pair p = { 1, 2 };',
      '\texpect(sum(&p) == 3);',
      '}',
      '',
    ].join('\n'));
    const doc = await open(uri);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    const byName = new Map(symbols.map((s) => [s.name, s]));
    assert.deepEqual(symbols.map((s) => s.name), ['pair', 'colour', 'machine', 'sum', 'scenario']);
    assert.equal(byName.get('pair')?.kind, vscode.SymbolKind.Struct);
    assert.deepEqual(byName.get('pair')?.children.map((c) => [c.name, c.kind]), [['first', vscode.SymbolKind.Field], ['second', vscode.SymbolKind.Field]]);
    assert.deepEqual(byName.get('colour')?.children.map((c) => c.name), ['RED', 'GREEN']);
    // A function's symbol spans its body, so breadcrumbs know the cursor is inside it.
    assert.equal(byName.get('scenario')?.range.end.line, 8);
    const header = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', hostUri('include/kvm_rmi.h'));
    const kvm = header.find((s) => s.name === 'kvm' && s.kind === vscode.SymbolKind.Struct);
    assert.deepEqual(kvm?.children.map((c) => c.name), ['arch', 'vcpus', 'created_vcpus', 'memslots', 'nr_memslots']);
  });

  it('completion offers locals with their types, host functions, and members after ->', async () => {
    const doc = await open(workspaceFile(SEED));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document, doc);
    const line = lineOf(doc, 'kvm_destroy_vm(kvm);');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, 1));
    const kvm = list.items.find((i) => i.label === 'kvm');
    assert.equal(kvm?.detail, 'struct kvm *kvm');
    const fn = list.items.find((i) => i.label === 'realm_ensure_created');
    assert.equal(fn?.kind, vscode.CompletionItemKind.Function);
    assert.equal(fn?.detail, 'int realm_ensure_created(struct kvm *kvm)');
    assert.ok(list.items.some((i) => i.label === 'RMI_GRANULE_RANGE_DELEGATE'));
    await editor!.edit((e) => e.insert(new vscode.Position(line, 0), '\tkvm->'));
    try {
      const members = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, 6), '>');
      const labels = members.items.filter((i) => i.kind === vscode.CompletionItemKind.Field).map((i) => i.label);
      assert.deepEqual(labels.sort(), ['arch', 'created_vcpus', 'memslots', 'nr_memslots', 'vcpus']);
    } finally {
      await vscode.commands.executeCommand('undo');
    }
  });
});
