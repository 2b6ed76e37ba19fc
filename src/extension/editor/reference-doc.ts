// "Show RMI Reference": the reference of the RMI name under the cursor (a command, a status, a
// granule state, or an rmi_* host wrapper of a command) as a read-only markdown document from
// a TextDocumentContentProvider; with no name under the cursor, the reference of every command.
import * as vscode from 'vscode';
import type { LiveScenarios } from '../live';
import { RMI_COMMAND_DOCS } from '../reference/rmi-commands';
import { isRmiName, rmiMarkdown } from '../reference/rmi-markdown';

export const REFERENCE_SCHEME = 'realm-lab-reference';
export const REFERENCE_COMMAND = 'realmLab.showRmiReference';
const ALL = 'RMI commands';
const WORD = /[A-Za-z_][A-Za-z0-9_]*/;

/** The RMI name a word refers to: itself, or the command an rmi_* wrapper issues. */
export function rmiNameOf(word: string): string | undefined {
  if (isRmiName(word)) return word;
  // Host wrappers are named after their command: rmi_granule_delegate, rmi_realm_create ...
  if (/^rmi_[a-z0-9_]+$/.test(word) && isRmiName(word.toUpperCase())) return word.toUpperCase();
  return undefined;
}

/** The markdown of one name, or of every command. */
export function referenceMarkdown(name: string, profile: '1.0' | '2.0'): string {
  if (name !== ALL) {
    const md = rmiMarkdown(name, profile);
    if (md) return `# ${name}\n\n${md}\n`;
  }
  const sections = Object.keys(RMI_COMMAND_DOCS).map((n) => `## ${n}\n\n${rmiMarkdown(n, RMI_COMMAND_DOCS[n].profiles.includes(profile) ? profile : RMI_COMMAND_DOCS[n].profiles[0]) ?? ''}`);
  return [
    `# RMI commands (RMM ${profile} first)`, '',
    'Summaries in Realm Lab\'s own words; failure conditions in the order the emulator checks them.', '',
    ...sections.join('\n\n').split('\n'), '',
  ].join('\n');
}

export function referenceUri(name: string, profile: '1.0' | '2.0'): vscode.Uri {
  return vscode.Uri.from({ scheme: REFERENCE_SCHEME, path: `/${name}.md`, query: `profile=${profile}` });
}

export function registerReference(live: LiveScenarios): vscode.Disposable[] {
  const provider: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent(uri) {
      const name = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
      const profile = /profile=1\.0/.test(uri.query) ? '1.0' : '2.0';
      return referenceMarkdown(name, profile);
    },
  };
  return [
    vscode.workspace.registerTextDocumentContentProvider(REFERENCE_SCHEME, provider),
    vscode.commands.registerCommand(REFERENCE_COMMAND, async (arg?: unknown): Promise<vscode.Uri> => {
      const editor = vscode.window.activeTextEditor;
      let name: string | undefined = typeof arg === 'string' ? rmiNameOf(arg) : undefined;
      if (!name && editor) {
        const range = editor.document.getWordRangeAtPosition(editor.selection.active, WORD);
        if (range) name = rmiNameOf(editor.document.getText(range));
      }
      const profile = (editor && live.lastRun(editor.document)?.profile) || '2.0';
      const uri = referenceUri(name ?? ALL, profile);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
      return uri;
    }),
  ];
}
