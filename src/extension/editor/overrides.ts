// Per-document overrides of the RMM profile and host variant, chosen from the status bar. They
// live in workspaceState (so they survive a reload but never touch the user's files) and flow
// into live runs (scenario-options.ts calls overrideFor), debug launches (a configuration
// provider fills them in) and sweeps.
import * as vscode from 'vscode';

export type Profile = '1.0' | '2.0';
export type HostVariant = 'v14' | 'fixed';

export interface ScenarioOverride {
  profile?: Profile;
  hostVariant?: HostVariant;
}

const KEY = 'realmLab.overrides';
let memento: vscode.Memento | undefined;
const changed = new vscode.EventEmitter<vscode.Uri>();

/** Fires with the document whose override changed. */
export const onDidChangeOverride = changed.event;

/** Called once at activation: where overrides are kept. */
export function initOverrides(state: vscode.Memento): vscode.Disposable {
  memento = state;
  return changed;
}

function all(): Record<string, ScenarioOverride> {
  return memento?.get<Record<string, ScenarioOverride>>(KEY) ?? {};
}

/** The override of a document ({} when none): the hook scenario-options.ts uses for every run. */
export function overrideFor(uri: vscode.Uri): ScenarioOverride {
  const o = all()[uri.toString()];
  if (!o) return {};
  // Only known values: a hand-edited or stale state must not reach the run layer.
  return {
    ...(o.profile === '1.0' || o.profile === '2.0' ? { profile: o.profile } : {}),
    ...(o.hostVariant === 'v14' || o.hostVariant === 'fixed' ? { hostVariant: o.hostVariant } : {}),
  };
}

export async function setOverride(uri: vscode.Uri, o: ScenarioOverride | undefined): Promise<void> {
  const next = { ...all() };
  if (!o || (!o.profile && !o.hostVariant)) delete next[uri.toString()];
  else next[uri.toString()] = { ...o };
  await memento?.update(KEY, next);
  changed.fire(uri);
}

export function hasOverride(uri: vscode.Uri): boolean {
  const o = overrideFor(uri);
  return o.profile !== undefined || o.hostVariant !== undefined;
}
