// The status bar item of the active scenario: the RMM profile and host variant its last run
// used, "(override)" when the user chose them for this document. Clicking it opens a quick
// pick of the four combinations plus an entry that clears the override.
import * as vscode from 'vscode';
import { LANGUAGE_ID, type LiveScenarios } from '../live';
import { hasOverride, onDidChangeOverride, overrideFor, setOverride, type HostVariant, type Profile } from './overrides';

export const CHOOSE_MACHINE_COMMAND = 'realmLab.chooseProfileAndHost';

interface MachineItem extends vscode.QuickPickItem {
  choice: { profile: Profile; hostVariant: HostVariant } | undefined;
}

export class ScenarioStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('realmLab.machine', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly live: LiveScenarios) {
    this.item.name = 'Realm Lab: RMM profile and host variant';
    this.item.command = CHOOSE_MACHINE_COMMAND;
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      // A finished live run publishes its diagnostics: the moment its profile is known.
      vscode.languages.onDidChangeDiagnostics(() => this.update()),
      onDidChangeOverride(() => this.update()),
      vscode.commands.registerCommand(CHOOSE_MACHINE_COMMAND, (arg?: unknown) => this.choose(arg)),
    );
    this.update();
  }

  /** What the item shows for a document; undefined when it is not a scenario. */
  textFor(doc: vscode.TextDocument | undefined): string | undefined {
    if (!doc || doc.languageId !== LANGUAGE_ID) return undefined;
    const run = this.live.lastRun(doc);
    const o = overrideFor(doc.uri);
    const profile = o.profile ?? run?.profile;
    const host = o.hostVariant ?? run?.hostVariant;
    const machine = profile ? `RMM ${profile} · host ${host ?? '?'}` : 'RMM …';
    return `$(chip) ${machine}${hasOverride(doc.uri) ? ' (override)' : ''}`;
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const text = this.textFor(doc);
    if (!text || !doc) {
      this.item.hide();
      return;
    }
    this.item.text = text;
    this.item.tooltip = hasOverride(doc.uri)
      ? 'Realm Lab: profile and host variant chosen for this scenario (not its machine declaration). Click to change or clear.'
      : 'Realm Lab: the RMM profile and host variant of the last run (from the machine declaration or the defaults). Click to override them for this scenario.';
    this.item.show();
  }

  /**
   * The quick pick. Returns the status text afterwards (for tests and keybindings); an argument
   * `{ profile, hostVariant }` or `'clear'` applies that choice without asking.
   */
  private async choose(arg?: unknown): Promise<string | undefined> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== LANGUAGE_ID) {
      void vscode.window.showErrorMessage('Realm Lab: open a *.realm.c scenario to choose its RMM profile and host variant.');
      return undefined;
    }
    let choice: MachineItem['choice'] | 'clear' | undefined = parseChoice(arg);
    if (!choice) {
      const current = overrideFor(doc.uri);
      const run = this.live.lastRun(doc);
      const items: MachineItem[] = [];
      for (const profile of ['1.0', '2.0'] as const) {
        for (const hostVariant of ['v14', 'fixed'] as const) {
          const active = (current.profile ?? run?.profile) === profile && (current.hostVariant ?? run?.hostVariant) === hostVariant;
          items.push({
            label: `RMM ${profile} · host ${hostVariant}`,
            description: active ? 'current' : undefined,
            detail: hostVariant === 'v14' ? 'the host code as reviewed in the v14 series' : 'the host code with the agreed fixes',
            choice: { profile, hostVariant },
          });
        }
      }
      items.push({ label: '$(discard) Use the scenario\'s machine declaration', detail: 'clear the override of this document', choice: undefined });
      const picked = await vscode.window.showQuickPick(items, { title: 'Realm Lab: RMM profile and host variant for this scenario' });
      if (!picked) return this.textFor(doc);
      choice = picked.choice ?? 'clear';
    }
    await setOverride(doc.uri, choice === 'clear' ? undefined : choice);
    // Run again at once, so diagnostics, decorations and the map follow the new machine.
    await this.live.runNow(doc);
    this.update();
    return this.textFor(doc);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function parseChoice(arg: unknown): MachineItem['choice'] | 'clear' | undefined {
  if (arg === 'clear') return 'clear';
  const a = arg as { profile?: unknown; hostVariant?: unknown } | undefined;
  if (a && (a.profile === '1.0' || a.profile === '2.0') && (a.hostVariant === 'v14' || a.hostVariant === 'fixed')) {
    return { profile: a.profile, hostVariant: a.hostVariant };
  }
  return undefined;
}
