// Language features for realm-c: hovers on RMI commands, statuses and granule states, and
// completion of those names plus the functions the scenario and its host code define.
import * as vscode from 'vscode';
import { Fid, STATUS_NAMES, type Profile } from '../rmm';
import { LANGUAGE_ID, type LiveScenarios } from './live';
import { scenarioFileOf } from './scenario-options';
import { GRANULE_STATE_DOCS, RMI_COMMAND_DOCS, RMI_STATUS_DOCS } from './reference/rmi-commands';
import { isRmiName, rmiMarkdown } from './reference/rmi-markdown';

const WORD = /[A-Za-z_][A-Za-z0-9_]*/;

export function registerLanguageFeatures(live: LiveScenarios): vscode.Disposable[] {
  const profileOf = (doc: vscode.TextDocument): Profile => live.lastRun(doc)?.profile ?? '2.0';
  return [
    vscode.languages.registerHoverProvider(LANGUAGE_ID, {
      provideHover(doc, pos) {
        const range = doc.getWordRangeAtPosition(pos, WORD);
        if (!range) return undefined;
        const word = doc.getText(range);
        if (!isRmiName(word)) return undefined;
        const md = rmiMarkdown(word, profileOf(doc));
        return md ? new vscode.Hover(new vscode.MarkdownString(md), range) : undefined;
      },
    }),
    vscode.languages.registerCompletionItemProvider(LANGUAGE_ID, {
      provideCompletionItems(doc, pos) {
        const range = doc.getWordRangeAtPosition(pos, WORD);
        const prefix = range ? doc.getText(new vscode.Range(range.start, pos)) : '';
        const items: vscode.CompletionItem[] = [];
        const profile = profileOf(doc);
        for (const name of Object.keys(Fid)) {
          const d = RMI_COMMAND_DOCS[name];
          const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Constant);
          item.detail = d ? `RMI command (RMM ${d.profiles.join(', ')})` : 'RMI command';
          const md = rmiMarkdown(name, profile);
          if (md) item.documentation = new vscode.MarkdownString(md);
          if (d && !d.profiles.includes(profile)) item.sortText = `~${name}`; // other profile's commands last
          items.push(item);
        }
        for (const s of STATUS_NAMES) {
          const item = new vscode.CompletionItem(s, vscode.CompletionItemKind.EnumMember);
          item.detail = 'RMI status';
          item.documentation = RMI_STATUS_DOCS[s];
          items.push(item);
        }
        for (const [state, text] of Object.entries(GRANULE_STATE_DOCS)) {
          const item = new vscode.CompletionItem(`RMI_GRANULE_${state}`, vscode.CompletionItemKind.EnumMember);
          item.detail = 'granule state';
          item.documentation = text;
          items.push(item);
        }
        // Functions the scenario and the host code define, from the last run's compiled program.
        const program = live.lastRun(doc)?.program;
        for (const fn of program?.functions ?? []) {
          if (!fn?.name) continue;
          const item = new vscode.CompletionItem(fn.name, vscode.CompletionItemKind.Function);
          item.detail = fn.range ? `${fn.range.file.split('/').pop()}:${fn.range.line}` : 'function';
          items.push(item);
        }
        return prefix ? items.filter((i) => String(i.label).startsWith(prefix) || String(i.label).includes(prefix.toUpperCase())) : items;
      },
    }),
  ];
}

const toRange = (r: { line: number; column: number; endLine: number; endColumn: number }) =>
  new vscode.Range(Math.max(0, r.line - 1), Math.max(0, r.column - 1), Math.max(0, r.endLine - 1), Math.max(0, r.endColumn - 1));

/** Outline, breadcrumbs and go to definition, from the last run's compiled program. */
export function registerNavigation(live: LiveScenarios): vscode.Disposable[] {
  return [
    vscode.languages.registerDocumentSymbolProvider(LANGUAGE_ID, {
      provideDocumentSymbols(doc) {
        const program = live.lastRun(doc)?.program;
        if (!program) return [];
        const here = scenarioFileOf(doc);
        const out: vscode.DocumentSymbol[] = [];
        for (const fn of program.functions) {
          if (!fn || fn.range.file !== here || !fn.body) continue;
          const r = toRange(fn.range);
          out.push(new vscode.DocumentSymbol(fn.name, fn.name === 'scenario' ? 'entry' : '', vscode.SymbolKind.Function, r, new vscode.Range(r.start, r.start)));
        }
        for (const g of program.globals) {
          if (g.sym.range.file !== here) continue;
          const r = toRange(g.sym.range);
          out.push(new vscode.DocumentSymbol(g.sym.name, '', g.sym.name === 'machine' ? vscode.SymbolKind.Object : vscode.SymbolKind.Variable, r, r));
        }
        return out.sort((a, b) => a.range.start.line - b.range.start.line);
      },
    }),
    vscode.languages.registerDefinitionProvider(LANGUAGE_ID, {
      provideDefinition(doc, pos) {
        const range = doc.getWordRangeAtPosition(pos, WORD);
        const program = range && live.lastRun(doc)?.program;
        if (!range || !program) return undefined;
        const sym = program.globalScope.get(doc.getText(range));
        const at = sym?.k === 'func' ? sym.fn.range : sym?.k === 'var' ? sym.v.sym.range : undefined;
        // Only files on disk can be opened; the embedded host code has no workspace file.
        if (!at || !at.file.startsWith('/')) return undefined;
        return new vscode.Location(vscode.Uri.file(at.file), toRange(at));
      },
    }),
  ];
}
