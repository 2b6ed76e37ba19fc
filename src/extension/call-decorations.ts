// After a run, each line of scenario() that made RMI calls ends with what they returned, e.g.
// "RMI_REALM_CREATE -> RMI_SUCCESS", or a tally for a line inside a loop. Lines whose calls
// failed get the warning colour, so an error path stands out while the user edits.
import * as vscode from 'vscode';
import { statusName } from '../rmm';
import type { Run } from '../run';

interface LineCalls {
  names: Map<string, number>;
  statuses: Map<string, number>;
  failed: boolean;
  failedCheck?: string;
}

/** The text after one line, from the calls made there. */
export function describeLine(c: LineCalls): string {
  const total = [...c.names.values()].reduce((a, b) => a + b, 0);
  const names = [...c.names.keys()];
  const statuses = [...c.statuses.entries()];
  if (total === 1) return `${names[0]} -> ${statuses[0][0]}${c.failedCheck ? ` (${c.failedCheck})` : ''}`;
  const what = names.length === 1 ? `${total}x ${names[0]}` : `${total} RMI calls`;
  return `${what} -> ${statuses.map(([s, n]) => (statuses.length === 1 ? s : `${n} ${s}`)).join(', ')}`;
}

export class CallDecorations implements vscode.Disposable {
  private readonly ok = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
  });
  private readonly failed = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorWarning.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
  });

  set(doc: vscode.TextDocument, r: { run: Run }): void {
    const enabled = vscode.workspace.getConfiguration('realmLab', doc.uri).get<boolean>('inlineCallStatus', true);
    const byLine = new Map<number, LineCalls>();
    if (enabled) {
      for (const call of r.run.calls) {
        const line = call.entryLine;
        if (!line) continue;
        const c: LineCalls = byLine.get(line) ?? { names: new Map(), statuses: new Map(), failed: false };
        const status = statusName(call.status);
        c.names.set(call.name, (c.names.get(call.name) ?? 0) + 1);
        c.statuses.set(status, (c.statuses.get(status) ?? 0) + 1);
        if (call.status !== 0) {
          c.failed = true;
          c.failedCheck ??= call.failedCheck;
        }
        byLine.set(line, c);
      }
    }
    const ok: vscode.DecorationOptions[] = [];
    const failed: vscode.DecorationOptions[] = [];
    for (const [line, c] of byLine) {
      if (line > doc.lineCount) continue;
      const end = doc.lineAt(line - 1).range.end;
      const opt = { range: new vscode.Range(end, end), renderOptions: { after: { contentText: describeLine(c) } } };
      (c.failed ? failed : ok).push(opt);
    }
    for (const editor of vscode.window.visibleTextEditors.filter((e) => e.document === doc)) {
      editor.setDecorations(this.ok, ok);
      editor.setDecorations(this.failed, failed);
    }
  }

  dispose(): void {
    this.ok.dispose();
    this.failed.dispose();
  }
}
