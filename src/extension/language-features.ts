// Language features for scenarios (realm-c) and the host C code (embedded, shown read-only, or a
// workspace copy): hover, completion, outline and breadcrumbs, go to definition and references.
// Everything is answered from the last run's compiled program by the pure functions of
// ./language (no vscode there, so unit tests and `npm run bench` time exactly this work).
import * as vscode from 'vscode';
import type { Profile } from '../rmm';
import type { CParser, SrcRange } from '../lang';
import { loadCParser } from '../lang';
import { nodeParserAssets } from '../run';
import { HOST_SCHEME, HostDocuments, programFileOf, uriOfProgramFile } from './host-documents';
import { completionsAt, memberCompletions, type EntryKind } from './language/completion';
import { hoverAt } from './language/hover';
import { definitionAt, referencesAt, type Place } from './language/navigation';
import type { SymbolQuery } from './language/query';
import { typeOutline } from './language/type-outline';
import { LANGUAGE_ID, type LiveScenarios } from './live';

/** Scenarios, our read-only host documents, and host code copied into a workspace. */
export const C_SELECTOR: vscode.DocumentSelector = [
  { language: LANGUAGE_ID },
  { scheme: HOST_SCHEME },
  { language: 'c', pattern: '**/realm-lab-host/**' },
];

type LiveRun = NonNullable<ReturnType<LiveScenarios['lastRun']>>;

/**
 * The last run of a scenario that got as far as a checked program: while the user types
 * `kvm->` the text does not parse, and completion must still know what `kvm` is.
 */
function programRun(live: LiveScenarios, doc: vscode.TextDocument): LiveRun | undefined {
  const last = live.lastRun(doc);
  return last?.program ? last : live.result(doc)?.run ?? last;
}

/** The scenario run that compiled a document: its own, or (host code) an open scenario's that included it. */
function runFor(live: LiveScenarios, doc: vscode.TextDocument): { run: LiveRun; scenario: vscode.TextDocument } | undefined {
  if (doc.languageId === LANGUAGE_ID) {
    const run = programRun(live, doc);
    return run && { run, scenario: doc };
  }
  const file = programFileOf(doc);
  const active = live.activeScenario();
  const scenarios = [...(active ? [active] : []), ...vscode.workspace.textDocuments.filter((d) => d.languageId === LANGUAGE_ID && d !== active)];
  // A run that compiled this very text first (the same host variant), then any that included it.
  const text = doc.getText();
  let any: { run: LiveRun; scenario: vscode.TextDocument } | undefined;
  for (const scenario of scenarios) {
    const run = programRun(live, scenario);
    const compiled = run?.compiled.files.get(file);
    if (!run || !compiled) continue;
    if (compiled.text === text) return { run, scenario };
    any ??= { run, scenario };
  }
  return any;
}

function queryAt(live: LiveScenarios, doc: vscode.TextDocument, pos: vscode.Position): (SymbolQuery & { scenario?: vscode.TextDocument; profile: Profile }) | undefined {
  const found = runFor(live, doc);
  return {
    program: found?.run.program,
    files: found?.run.compiled.files ?? new Map(),
    file: programFileOf(doc),
    text: doc.getText(),
    line: pos.line + 1,
    column: pos.character + 1,
    scenarioFile: found ? programFileOf(found.scenario) : undefined,
    scenario: found?.scenario,
    profile: found?.run.profile ?? '2.0',
  };
}

const KINDS: Record<EntryKind, vscode.CompletionItemKind> = {
  'rmi-command': vscode.CompletionItemKind.Constant,
  status: vscode.CompletionItemKind.EnumMember,
  'granule-state': vscode.CompletionItemKind.EnumMember,
  function: vscode.CompletionItemKind.Function,
  variable: vscode.CompletionItemKind.Variable,
  field: vscode.CompletionItemKind.Field,
  enum: vscode.CompletionItemKind.EnumMember,
};

export function registerLanguageFeatures(live: LiveScenarios): vscode.Disposable[] {
  return [
    vscode.languages.registerHoverProvider(C_SELECTOR, {
      provideHover(doc, pos) {
        const q = queryAt(live, doc, pos);
        const h = q && hoverAt(q, q.profile);
        if (!h) return undefined;
        return new vscode.Hover(new vscode.MarkdownString(h.markdown), new vscode.Range(h.line - 1, h.column - 1, h.line - 1, h.endColumn - 1));
      },
    }),
    vscode.languages.registerCompletionItemProvider(C_SELECTOR, {
      provideCompletionItems(doc, pos, _token, ctx) {
        const q = queryAt(live, doc, pos);
        if (!q) return [];
        // '.' and '>' trigger member completion only; `a > b` asks for nothing.
        if (ctx.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter && !memberCompletions(q)) return [];
        return completionsAt(q, q.profile).map((e) => {
          const item = new vscode.CompletionItem(e.label, KINDS[e.kind]);
          item.detail = e.detail;
          if (e.documentation) item.documentation = new vscode.MarkdownString(e.documentation);
          if (e.sortText) item.sortText = e.sortText;
          return item;
        });
      },
    }, '.', '>'),
  ];
}

const toRange = (r: SrcRange | Place) =>
  new vscode.Range(Math.max(0, r.line - 1), Math.max(0, r.column - 1), Math.max(0, r.endLine - 1), Math.max(0, r.endColumn - 1));

let parser: Promise<CParser> | undefined;
/** The front end's tree-sitter C parser, loaded once (member positions and the type outline). */
function cParser(): Promise<CParser> {
  parser ??= loadCParser(nodeParserAssets()).catch((e: unknown) => {
    parser = undefined;
    throw e;
  });
  return parser;
}

/** Outline, breadcrumbs, go to definition and references, from the last run's compiled program. */
export function registerNavigation(live: LiveScenarios): vscode.Disposable[] {
  const location = (p: Place, scenario?: vscode.TextDocument) => new vscode.Location(uriOfProgramFile(p.file, scenario?.uri), toRange(p));
  return [
    new HostDocuments(),
    vscode.languages.registerDocumentSymbolProvider(C_SELECTOR, {
      async provideDocumentSymbols(doc) {
        const here = programFileOf(doc);
        const program = runFor(live, doc)?.run.program;
        const out: vscode.DocumentSymbol[] = [];
        for (const fn of program?.functions ?? []) {
          if (!fn || fn.range.file !== here || !fn.body) continue;
          // From the name to the closing brace, so breadcrumbs know the cursor is inside.
          const name = toRange(fn.range);
          const end = fn.body.range;
          const r = new vscode.Range(name.start, new vscode.Position(Math.max(0, end.endLine - 1), Math.max(0, end.endColumn - 1)));
          out.push(new vscode.DocumentSymbol(fn.name, fn.name === 'scenario' ? 'entry' : '', vscode.SymbolKind.Function, r, name));
        }
        for (const g of program?.globals ?? []) {
          if (g.sym.range.file !== here) continue;
          const r = toRange(g.sym.range);
          out.push(new vscode.DocumentSymbol(g.sym.name, '', g.sym.name === 'machine' ? vscode.SymbolKind.Object : vscode.SymbolKind.Variable, r, r));
        }
        // Structs, unions and enums with their members, from the current text's syntax tree.
        try {
          for (const t of typeOutline(await cParser(), here, doc.getText())) {
            const kind = t.kind === 'enum' ? vscode.SymbolKind.Enum : vscode.SymbolKind.Struct;
            const s = new vscode.DocumentSymbol(t.name, t.kind, kind, toRange(t.range), toRange(t.nameRange));
            s.children = t.members.map((m) => new vscode.DocumentSymbol(m.name, m.detail, m.kind === 'enumerator' ? vscode.SymbolKind.EnumMember : vscode.SymbolKind.Field, toRange(m.range), toRange(m.nameRange)));
            out.push(s);
          }
        } catch {
          // Without the parser the outline still has the functions and globals.
        }
        return out.sort((a, b) => a.range.start.line - b.range.start.line);
      },
    }),
    vscode.languages.registerDefinitionProvider(C_SELECTOR, {
      async provideDefinition(doc, pos) {
        const q = queryAt(live, doc, pos);
        if (!q?.program) return undefined;
        const p = definitionAt(q, await cParser().catch(() => undefined));
        return p && location(p, q.scenario);
      },
    }),
    vscode.languages.registerReferenceProvider(C_SELECTOR, {
      provideReferences(doc, pos, ctx) {
        const q = queryAt(live, doc, pos);
        if (!q?.program) return [];
        return referencesAt(q, ctx.includeDeclaration).map((p) => location(p, q.scenario));
      },
    }),
  ];
}
