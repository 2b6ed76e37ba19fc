// The editor's language features as pure functions (src/extension/language): hover text,
// definitions and references, completion and the type outline, on the examples as the live
// runner compiles them (scenario + embedded host code).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadCParser } from '../../src/lang';
import { createRun, nodeParserAssets } from '../../src/run';
import { completionsAt, memberCompletions } from '../../src/extension/language/completion';
import { declaration } from '../../src/extension/language/c-declaration';
import { hoverAt } from '../../src/extension/language/hover';
import { definitionAt, referencesAt } from '../../src/extension/language/navigation';
import { wordAt, type SymbolQuery } from '../../src/extension/language/query';
import { typeOutline } from '../../src/extension/language/type-outline';

const EXAMPLES = path.resolve(__dirname, '../../../examples');

async function compiled(name: string, opts: { hostVariant?: 'v14' | 'fixed' } = {}) {
  const file = path.join(EXAMPLES, name);
  const run = await createRun({ file, source: fs.readFileSync(file, 'utf8'), readFile: () => undefined, hostVariant: opts.hostVariant });
  assert.ok(run.program, `${name} compiles`);
  return { run, file };
}

/** A query at the first occurrence of `needle` (offset `at` into it) in a compiled file. */
function queryAt(c: Awaited<ReturnType<typeof compiled>>, needle: string, at = 0, file = c.file, text?: string): SymbolQuery {
  const source = text ?? c.run.compiled.files.get(file)?.text;
  assert.ok(source !== undefined, `${file} was compiled`);
  const lines = source.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `${needle} is in ${file}`);
  return { program: c.run.program, files: c.run.compiled.files, file, text: source, line: line + 1, column: lines[line].indexOf(needle) + 1 + at, scenarioFile: c.file };
}

const lineOfText = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('editor language features (pure)', () => {
  it('hover on a local shows its C declaration: pointers, typedef names and arrays', async () => {
    const c = await compiled('realm-lifecycle-2.0.realm.c');
    const rd = hoverAt(queryAt(c, 'rd = virt_to_phys'));
    assert.ok(rd);
    assert.match(rd.markdown, /^```c\nphys_addr_t rd\n```/);
    assert.match(rd.markdown, /local variable in `scenario`/);
    assert.equal(rd.endColumn - rd.column, 2);
    assert.match(hoverAt(queryAt(c, 'kvm = kvm_create_vm'))!.markdown, /```c\nstruct kvm \*kvm\n```/);
    assert.match(hoverAt(queryAt(c, 'image[i] = '))!.markdown, /```c\nu8 \*image\[16\]\n```/);
  });

  it('hover on a parameter and a local in host code, and on a struct member access', async () => {
    const c = await compiled('sweep-seed.realm.c');
    const rmi = 'realm-lab/host/kvm/rmi.c';
    const param = hoverAt(queryAt(c, 'int realm_ensure_created(struct kvm *kvm)', 'int realm_ensure_created(struct kvm *'.length, rmi));
    assert.match(param!.markdown, /```c\nstruct kvm \*kvm\n```\n\nparameter of `realm_ensure_created`, declared in embedded host file `kvm\/rmi.c`, line 183/);
    // Its first definition of realm_create_rd is the fixed variant's: v14 compiled the other one.
    const decl = 'struct realm_params *params = realm->params';
    assert.equal(hoverAt(queryAt(c, decl, 'struct realm_params *'.length, rmi)), undefined, 'nothing in a dead #if branch');
    const fixed = await compiled('sweep-seed.realm.c', { hostVariant: 'fixed' });
    const local = hoverAt(queryAt(fixed, decl, 'struct realm_params *'.length, rmi));
    assert.match(local!.markdown, /```c\nstruct realm_params \*params\n```\n\nlocal variable in `realm_create_rd`/);
    // `realm->params`: the member, not the local of the same name.
    const member = hoverAt(queryAt(fixed, decl, 'struct realm_params *params = realm->'.length, rmi));
    assert.match(member!.markdown, /```c\nstruct realm_params \*params\n```\n\nmember of `struct realm` at offset \d+/);
  });

  it('hover on a function shows its signature and where it is defined; on an rmi_* wrapper also the command', async () => {
    const c = await compiled('sweep-seed.realm.c');
    const h = hoverAt(queryAt(c, 'realm_ensure_created(kvm)'));
    assert.match(h!.markdown, /```c\nint realm_ensure_created\(struct kvm \*kvm\)\n```/);
    assert.match(h!.markdown, /Defined in embedded host file `kvm\/rmi.c`, line 183/);
    const rd = hoverAt(queryAt(c, 'rmi_granule_delegate(', 0, 'realm-lab/host/kvm/rme.c'));
    assert.match(rd!.markdown, /int rmi_granule_delegate\(phys_addr_t phys\)/);
    assert.match(rd!.markdown, /\*\*RMI_GRANULE_DELEGATE\*\*: FID `0x/);
    const own = hoverAt(queryAt(c, 'void scenario(void)', 5));
    assert.match(own!.markdown, /Defined in this scenario \(`sweep-seed.realm.c`\), line \d+/);
  });

  it('hover still resolves names after the text changed since the run (by scope, not by position)', async () => {
    const c = await compiled('realm-lifecycle-2.0.realm.c');
    const edited = `/* a new first line */\n${c.run.compiled.files.get(c.file)!.text}`;
    const h = hoverAt(queryAt(c, 'expect_granule(rd,', 'expect_granule('.length, c.file, edited));
    assert.match(h!.markdown, /phys_addr_t rd/);
    assert.equal(hoverAt(queryAt(c, 'a new first line', 2, c.file, edited)), undefined, 'a comment word that names nothing');
  });

  it('definition of a host function is its definition in the variant that compiled', async () => {
    for (const [variant, defLine] of [['v14', 111], ['fixed', 36]] as const) {
      const c = await compiled('sweep-seed.realm.c', { hostVariant: variant });
      const rmi = 'realm-lab/host/kvm/rmi.c';
      const d = definitionAt(queryAt(c, 'ret = realm_create_rd(kvm)', 'ret = '.length, rmi));
      assert.deepEqual(d && { file: d.file, line: d.line, column: d.column }, { file: rmi, line: defLine, column: 12 });
      const refs = referencesAt(queryAt(c, 'ret = realm_create_rd(kvm)', 'ret = '.length, rmi), true);
      assert.deepEqual(refs.map((r) => `${r.file}:${r.line}`), [`${rmi}:${defLine}`, `${rmi}:198`], 'the other #if branch is not a reference');
      assert.equal(referencesAt(queryAt(c, 'ret = realm_create_rd(kvm)', 'ret = '.length, rmi), false).length, 1);
    }
  });

  it('references of a function cover every unit; of a local, only its own function', async () => {
    const c = await compiled('sweep-seed.realm.c');
    const refs = referencesAt(queryAt(c, 'kvm_destroy_vm(kvm)'), true);
    const files = new Set(refs.map((r) => r.file));
    assert.ok(files.has(c.file) && files.has('realm-lab/host/kvm/arm.c'), [...files].join(', '));
    assert.equal(refs[0].file, 'realm-lab/host/kvm/arm.c', 'the definition first');
    const kvmRefs = referencesAt(queryAt(c, 'realm_ensure_created(kvm)', 'realm_ensure_created('.length), true);
    const text = c.run.compiled.files.get(c.file)!.text;
    assert.deepEqual(kvmRefs.map((r) => r.line), [lineOfText(text, 'struct kvm *kvm ='), lineOfText(text, 'if (!kvm)'), lineOfText(text, 'realm_ensure_created(kvm)'), lineOfText(text, 'kvm_destroy_vm(kvm)')]);
    assert.ok(kvmRefs.every((r) => r.file === c.file));
  });

  it('definition of a member is its line in the struct, found with tree-sitter', async () => {
    const c = await compiled('realm-lifecycle-2.0.realm.c');
    const parser = await loadCParser(nodeParserAssets());
    const d = definitionAt(queryAt(c, 'kvm->created_vcpus', 'kvm->'.length), parser);
    const header = c.run.compiled.files.get('realm-lab/host/include/kvm_rmi.h')!.text;
    assert.deepEqual(d && [d.file, d.line], ['realm-lab/host/include/kvm_rmi.h', lineOfText(header, 'unsigned int created_vcpus;')]);
  });

  it('completion offers locals in scope, host functions with signatures, RMI names, and members after -> and .', async () => {
    const c = await compiled('realm-lifecycle-2.0.realm.c');
    const q = queryAt(c, 'expect(ipa == GUEST_RAM);');
    const all = completionsAt({ ...q, column: 1 });
    const byLabel = new Map(all.map((e) => [e.label, e]));
    assert.equal(byLabel.get('rd')?.detail, 'phys_addr_t rd');
    assert.equal(byLabel.get('kvm_realm_populate')?.kind, 'function');
    assert.match(byLabel.get('kvm_realm_populate')!.detail, /^int kvm_realm_populate\(struct kvm \*kvm, /);
    assert.ok(byLabel.has('RMI_REALM_CREATE') && byLabel.has('RMI_SUCCESS') && byLabel.has('RMI_GRANULE_DELEGATED'));
    const text = c.run.compiled.files.get(c.file)!.text.replace('expect(ipa == GUEST_RAM);', 'kvm->arch.');
    const members = memberCompletions({ ...q, text, column: q.column + 'kvm->arch.'.length });
    assert.ok(members?.some((m) => m.label === 'realm'), members?.map((m) => m.label).join(', '));
    const direct = completionsAt({ ...q, text: text.replace('kvm->arch.', 'kvm->cr'), column: q.column + 'kvm->cr'.length });
    assert.deepEqual(direct.map((m) => m.label), ['created_vcpus']);
    assert.equal(memberCompletions({ ...q, column: 1 }), undefined, 'not after a member operator');
  });

  it('the type outline lists structs and enums with their members', async () => {
    const parser = await loadCParser(nodeParserAssets());
    const c = await compiled('sweep-seed.realm.c');
    const outline = typeOutline(parser, 'kvm_rmi.h', c.run.compiled.files.get('realm-lab/host/include/kvm_rmi.h')!.text);
    const kvm = outline.find((t) => t.name === 'kvm');
    assert.deepEqual(kvm?.members.map((m) => m.name), ['arch', 'vcpus', 'created_vcpus', 'memslots', 'nr_memslots']);
    assert.equal(kvm?.members[1].detail, 'struct kvm_vcpu *vcpus[16]');
    const own = typeOutline(parser, 'x.c', 'typedef struct { int a, b; struct { int inner; } n; } pair_t;\nenum colour { RED, GREEN = 2 };\n');
    assert.deepEqual(own.map((t) => [t.kind, t.name, t.members.map((m) => m.name)]), [['struct', 'pair_t', ['a', 'b', 'n']], ['enum', 'colour', ['RED', 'GREEN']]]);
  });

  it('C declarations and words', () => {
    const u8 = { t: 'int', size: 1, signed: false, name: 'u8' } as const;
    assert.equal(declaration({ t: 'ptr', to: { t: 'array', of: u8, len: 4 } }, 'p'), 'u8 (*p)[4]');
    assert.equal(declaration({ t: 'ptr', to: { t: 'ptr', to: u8 } }, 'pp'), 'u8 **pp');
    assert.equal(declaration({ t: 'ptr', to: { t: 'func', ret: u8, params: [u8], variadic: false, unspecified: false } }, 'cb'), 'u8 (*cb)(u8)');
    assert.deepEqual(wordAt('  foo_1(bar);', 1, 8), { name: 'foo_1', column: 3, endColumn: 8 });
    assert.equal(wordAt('x = 0x10;', 1, 6), undefined);
  });
});
