// RunOptions for a scenario document: its current (possibly unsaved) text, the user's default
// profile and host variant, and an #include reader that prefers open editors' text, so what
// runs is what the user sees. Reading never writes anything (restricted mode is honoured).
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunOptions } from '../run';

/** Text of a file by path: an open editor's buffer first, then the disk; undefined when absent. */
export function readWorkspaceFile(p: string): string | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === p);
  if (open) return open.getText();
  try {
    const st = fs.statSync(p);
    if (!st.isFile() || st.size > 4 * 1024 * 1024) return undefined;
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

export function runOptionsFor(doc: vscode.TextDocument, readFile: (p: string) => string | undefined): RunOptions {
  const cfg = vscode.workspace.getConfiguration('realmLab', doc.uri);
  return {
    file: doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString(),
    source: doc.getText(),
    readFile,
    defaultProfile: cfg.get<'1.0' | '2.0'>('defaultProfile'),
    defaultHostVariant: cfg.get<'v14' | 'fixed'>('defaultHostVariant'),
    maxSteps: cfg.get<number>('maxSteps') || undefined,
  };
}
