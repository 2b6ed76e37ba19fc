// "New Scenario": a quick pick of templates. With no folder open (or an untrusted one, where
// the extension writes nothing) the scenario opens as an untitled realm-c document; with a
// folder it offers a file name there and writes the file only when the user accepts the name,
// never over a file that exists.
import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../live';
import { SCENARIO_TEMPLATES, type ScenarioTemplate } from './templates';

export const NEW_SCENARIO_COMMAND = 'realmLab.newScenario';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** A file name in `folder` that is free: sweep.realm.c, sweep-2.realm.c ... */
async function freeName(folder: vscode.Uri, fileName: string): Promise<string> {
  const stem = fileName.replace(/\.realm\.c$/, '');
  for (let i = 1; ; i++) {
    const name = i === 1 ? fileName : `${stem}-${i}.realm.c`;
    if (!(await exists(vscode.Uri.joinPath(folder, name))) || i > 99) return name;
  }
}

/** Why a proposed file name cannot be used, or undefined when it can. */
async function problemWith(folder: vscode.Uri, name: string): Promise<string | undefined> {
  const n = name.trim();
  if (!n) return 'Give the scenario a file name.';
  if (!n.endsWith('.realm.c')) return 'Scenario files end in .realm.c.';
  if (n.split(/[\\/]/).some((p) => p === '..' || p === '')) return 'Use a path inside the workspace folder.';
  if (await exists(vscode.Uri.joinPath(folder, ...n.split(/[\\/]/)))) return `${n} exists already; choose another name (Realm Lab never overwrites a file).`;
  return undefined;
}

/** Creates the scenario: untitled, or in `folder` under a name the user accepts. */
async function create(t: ScenarioTemplate, folder: vscode.WorkspaceFolder | undefined): Promise<vscode.TextDocument | undefined> {
  if (!folder || !vscode.workspace.isTrusted) {
    return vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: t.text });
  }
  const name = await vscode.window.showInputBox({
    title: `Realm Lab: new scenario "${t.label}"`,
    prompt: `File name in ${folder.name} (Enter creates it; Escape cancels)`,
    value: await freeName(folder.uri, t.fileName),
    valueSelection: [0, t.fileName.length - '.realm.c'.length],
    validateInput: (v) => problemWith(folder.uri, v),
  });
  if (name === undefined) return undefined;
  // Checked again: the file may have appeared while the input box was open.
  const problem = await problemWith(folder.uri, name);
  if (problem) {
    void vscode.window.showErrorMessage(`Realm Lab: ${problem}`);
    return undefined;
  }
  const uri = vscode.Uri.joinPath(folder.uri, ...name.trim().split(/[\\/]/));
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(t.text));
  return vscode.workspace.openTextDocument(uri);
}

export function registerNewScenario(): vscode.Disposable {
  /** Resolves with the new document; `arg` may name a template id to skip the quick pick. */
  return vscode.commands.registerCommand(NEW_SCENARIO_COMMAND, async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    let t = typeof arg === 'string' ? SCENARIO_TEMPLATES.find((x) => x.id === arg) : undefined;
    if (!t) {
      const picked = await vscode.window.showQuickPick(
        SCENARIO_TEMPLATES.map((x) => ({ label: x.label, detail: x.detail, template: x })),
        { title: 'Realm Lab: new scenario from a template', matchOnDetail: true },
      );
      if (!picked) return undefined;
      t = picked.template;
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
    const doc = await create(t, folder);
    if (!doc) return undefined;
    await vscode.window.showTextDocument(doc);
    return doc.uri;
  });
}
