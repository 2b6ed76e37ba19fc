// RunOptions for a scenario document: its current (possibly unsaved) text, the user's default
// profile and host variant, and an #include reader that prefers open editors' text, so what
// runs is what the user sees. Reading never writes anything (restricted mode is honoured).
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunOptions } from '../run';
import { overrideFor } from './editor/overrides';

/** Text of a file by path: an open editor's buffer first, then the disk; undefined when absent. */
export function readWorkspaceFile(p: string): string | undefined {
  // Any scheme: an untitled scenario (a template not saved yet) runs and debugs from its buffer.
  const open = vscode.workspace.textDocuments.find((d) => !d.isClosed && (d.uri.fsPath === p || d.uri.toString() === p));
  if (open) return open.getText();
  try {
    const st = fs.statSync(p);
    if (!st.isFile() || st.size > 4 * 1024 * 1024) return undefined;
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** The path a run of `doc` knows it by: its file path, or its URI when it is not a file (untitled). */
export function scenarioFileOf(doc: vscode.TextDocument): string {
  return doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
}

export function runOptionsFor(doc: vscode.TextDocument, readFile: (p: string) => string | undefined): RunOptions {
  const cfg = vscode.workspace.getConfiguration('realmLab', doc.uri);
  return {
    file: scenarioFileOf(doc),
    source: doc.getText(),
    readFile,
    defaultProfile: cfg.get<'1.0' | '2.0'>('defaultProfile'),
    defaultHostVariant: cfg.get<'v14' | 'fixed'>('defaultHostVariant'),
    maxSteps: cfg.get<number>('maxSteps') || undefined,
    ...overrideFor(doc.uri), // the status bar's per-document profile / host override (editor/overrides.ts)
  };
}
