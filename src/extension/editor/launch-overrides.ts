// Debug launches of a scenario get the document's profile / host override, whichever way they
// start (F5, Debug Scenario, a code lens, a sweep point): a second configuration provider for
// the realm-lab type fills in what the configuration does not set itself. A launch.json that
// names a profile keeps it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../debug-config';
import { overrideFor } from './overrides';

/** The document a launch's `program` names: an open editor's, else the file. */
function programUri(program: string): vscode.Uri {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === program || d.uri.toString() === program);
  return open?.uri ?? vscode.Uri.file(path.resolve(program));
}

export function withOverride(config: vscode.DebugConfiguration): vscode.DebugConfiguration {
  if (typeof config.program !== 'string' || !config.program) return config;
  const o = overrideFor(programUri(config.program));
  return {
    ...config,
    ...(config.profile === undefined && o.profile ? { profile: o.profile } : {}),
    ...(config.hostVariant === undefined && o.hostVariant ? { hostVariant: o.hostVariant } : {}),
  };
}

export function registerLaunchOverrides(): vscode.Disposable {
  return vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, {
    // After the other provider's resolveDebugConfiguration has filled in `program`.
    resolveDebugConfigurationWithSubstitutedVariables: (_folder, config) => withOverride(config),
  });
}
