// Code lenses above the entry function, `void scenario(void)`: Run | Debug | Sweep. The line
// comes from the last compiled program; while the text does not compile, from the last good
// run's entry (the lenses stay put instead of flickering while the user types).
import * as vscode from 'vscode';
import { LANGUAGE_ID, type LiveScenarios } from '../live';
import { SWEEP_COMMAND } from './sweep-command';

export class ScenarioCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly live: LiveScenarios) {
    // Runs publish diagnostics when they finish: the entry function may have moved.
    this.disposables.push(vscode.languages.onDidChangeDiagnostics(() => this.changed.fire()));
  }

  /** The 0-based line of `void scenario(void)`, or undefined. */
  entryLine(doc: vscode.TextDocument): number | undefined {
    const program = this.live.lastRun(doc)?.program;
    const sym = program?.globalScope.get('scenario');
    const here = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
    if (sym?.k === 'func' && sym.fn.body && sym.fn.range.file === here) return sym.fn.range.line - 1;
    const entry = this.live.result(doc)?.entry;
    // The body's first line is the `{`; the declarator is on it or just above.
    if (entry) {
      const l = entry.line - 1;
      return l > 0 && doc.lineAt(l).text.trim() === '{' ? l - 1 : l;
    }
    return undefined;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (doc.languageId !== LANGUAGE_ID) return [];
    if (!vscode.workspace.getConfiguration('realmLab', doc.uri).get<boolean>('codeLens', true)) return [];
    const line = this.entryLine(doc);
    if (line === undefined || line >= doc.lineCount) return [];
    const range = doc.lineAt(line).range;
    return [
      new vscode.CodeLens(range, { title: '$(run) Run', command: 'realmLab.runScenario', arguments: [doc.uri], tooltip: 'Run the scenario: report in the Realm Lab output, findings as diagnostics' }),
      new vscode.CodeLens(range, { title: '$(debug-alt) Debug', command: 'realmLab.debugScenario', arguments: [doc.uri], tooltip: 'Debug the scenario, stopped at its first statement' }),
      new vscode.CodeLens(range, { title: '$(beaker) Sweep', command: SWEEP_COMMAND, arguments: [doc.uri], tooltip: 'Fault sweep: fail each RMI call in turn and list the points that leak, WARN or fail an expectation' }),
    ];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
