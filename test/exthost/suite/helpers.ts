// What the extension-host specs share: the workspace's files, waiting for VS Code's asynchronous
// updates, and Realm Lab's own diagnostics. Not a spec (index.ts loads only *.spec.js).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** A file of the throw-away examples workspace the tests run in. */
export function workspaceFile(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the examples workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

/** Polls `probe` until it returns something truthy; VS Code updates tabs, activation and diagnostics asynchronously. */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Realm Lab's diagnostics on a file. */
export const ours = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Realm Lab');

/** 0-based line of the first line (from `from`) containing `needle`. */
export function lineOf(doc: vscode.TextDocument, needle: string, from = 0): number {
  for (let i = from; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(needle)) return i;
  throw new Error(`no line with ${needle}`);
}
