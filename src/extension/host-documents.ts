// The embedded host C code as read-only documents (scheme realm-lab-host, e.g.
// realm-lab-host:/kvm/rmi.c), so that go to definition into realm_create_rd opens something, and
// the mapping between the file names a compiled program uses and editor URIs:
//   realm-lab/host/<path>  <->  realm-lab-host:/<path>, or the workspace copy
//                               <scenario dir>/realm-lab-host/<path> when there is one;
//   <embedded>/realm_lab.h <->  realm-lab-host:/prelude/realm_lab.h;
//   an absolute path       <->  a file URI;  anything else (an untitled scenario) is a URI.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EMBEDDED_ROOT, HOST_FILES, workspacePath } from '../host';
import { EMBEDDED_HEADERS } from '../lang';

export const HOST_SCHEME = 'realm-lab-host';
const PRELUDE_DIR = 'prelude';

export class HostDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [
    vscode.workspace.registerTextDocumentContentProvider(HOST_SCHEME, this),
    // Documents of a content provider get their language from the name; make sure it is C.
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (d.uri.scheme === HOST_SCHEME && d.languageId !== 'c') void vscode.languages.setTextDocumentLanguage(d, 'c').then(undefined, () => undefined);
    }),
  ];

  provideTextDocumentContent(uri: vscode.Uri): string {
    const p = uri.path.replace(/^\/+/, '');
    if (p.startsWith(`${PRELUDE_DIR}/`)) {
      const text = EMBEDDED_HEADERS[p.slice(PRELUDE_DIR.length + 1)];
      if (text !== undefined) return text;
    }
    const f = HOST_FILES.find((h) => h.path === p);
    if (f) return f.text;
    return `/* Realm Lab has no embedded host file ${p} */\n`;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The URI of a file a program names; `scenario` decides whether a workspace copy exists. */
export function uriOfProgramFile(file: string, scenario?: vscode.Uri): vscode.Uri {
  if (file.startsWith(`${EMBEDDED_ROOT}/`)) {
    const rel = file.slice(EMBEDDED_ROOT.length + 1);
    if (scenario?.scheme === 'file') {
      // The run may predate Copy Host Code: a copy that exists now is what the user edits.
      const copy = workspacePath(scenario.fsPath, rel);
      if (fs.existsSync(copy)) return vscode.Uri.file(copy);
    }
    return vscode.Uri.from({ scheme: HOST_SCHEME, path: `/${rel}` });
  }
  if (file.startsWith('<embedded>/')) return vscode.Uri.from({ scheme: HOST_SCHEME, path: `/${PRELUDE_DIR}/${file.slice('<embedded>/'.length)}` });
  if (path.isAbsolute(file)) return vscode.Uri.file(file);
  try {
    return vscode.Uri.parse(file, true);
  } catch {
    return vscode.Uri.file(file);
  }
}

/** The file name a compiled program knows a document by. */
export function programFileOf(doc: vscode.TextDocument): string {
  if (doc.uri.scheme === HOST_SCHEME) {
    const p = doc.uri.path.replace(/^\/+/, '');
    return p.startsWith(`${PRELUDE_DIR}/`) ? `<embedded>/${p.slice(PRELUDE_DIR.length + 1)}` : `${EMBEDDED_ROOT}/${p}`;
  }
  return doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
}
