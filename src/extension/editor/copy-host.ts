// "Copy Host Code into Workspace": writes the embedded host C files next to the scenario, as
// <scenario dir>/realm-lab-host/<path>, where the run layer looks for workspace copies (a copy
// then replaces the embedded file, file by file). It asks first, never overwrites a file that
// exists (it says which it skipped), and is not offered in an untrusted workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HOST_FILES, WORKSPACE_ROOT } from '../../host';
import { LANGUAGE_ID, type LiveScenarios } from '../live';

export const COPY_HOST_COMMAND = 'realmLab.copyHostCode';

export interface CopyResult {
  written: string[];
  skipped: string[];
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Writes every embedded host file below `root` that does not exist yet. */
export async function copyHostFiles(root: vscode.Uri): Promise<CopyResult> {
  const result: CopyResult = { written: [], skipped: [] };
  for (const f of HOST_FILES) {
    const target = vscode.Uri.joinPath(root, ...f.path.split('/'));
    if (await exists(target)) {
      result.skipped.push(f.path);
      continue;
    }
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(f.text));
    result.written.push(f.path);
  }
  return result;
}

export function registerCopyHostCode(live: LiveScenarios): vscode.Disposable {
  return vscode.commands.registerCommand(COPY_HOST_COMMAND, async (arg?: unknown): Promise<CopyResult | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Realm Lab: Copy Host Code writes files, which an untrusted workspace does not allow. Trust the workspace first.');
      return undefined;
    }
    const doc = arg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(arg).then((d) => d, () => undefined) : live.activeScenario();
    if (!doc || doc.languageId !== LANGUAGE_ID) {
      void vscode.window.showErrorMessage('Realm Lab: open a *.realm.c scenario first: the host code is copied next to it.');
      return undefined;
    }
    if (doc.uri.scheme !== 'file' || doc.isUntitled) {
      void vscode.window.showErrorMessage('Realm Lab: save the scenario first: the host code is copied into a folder next to it.');
      return undefined;
    }
    const root = vscode.Uri.joinPath(doc.uri, '..', WORKSPACE_ROOT);
    const where = path.join(path.dirname(doc.uri.fsPath), WORKSPACE_ROOT);
    const answer = await vscode.window.showInformationMessage(
      `Copy the ${HOST_FILES.length} embedded host C files to ${where}? Files that exist there are kept, and every scenario in that folder will then run the copies instead of the embedded code.`,
      { modal: true }, 'Copy',
    );
    if (answer !== 'Copy') return undefined;
    const result = await copyHostFiles(root);
    const skipped = result.skipped.length ? ` Kept ${result.skipped.length} that already exist: ${result.skipped.join(', ')}.` : '';
    void vscode.window.showInformationMessage(`Realm Lab: copied ${result.written.length} host files to ${WORKSPACE_ROOT}/.${skipped}`);
    if (result.written.length) {
      const first = vscode.Uri.joinPath(root, ...(result.written.find((p) => p.endsWith('.c')) ?? result.written[0]).split('/'));
      await vscode.window.showTextDocument(first, { preview: true, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
    }
    // The scenario now picks up the copies.
    await live.runNow(doc);
    return result;
  });
}
