// The embedded host realm code (DESIGN.md section 2, rmi-reference.md section 7): KVM's realm
// lifecycle for RMM 1.0 and 2.0 written in C (src/host/c), handed to a run as source units that
// are compiled before the scenario, so that the scenario's own definitions override them.
//
// Where a file comes from, for a scenario at <dir>/x.realm.c:
//   - <dir>/realm-lab-host/<path> (e.g. <dir>/realm-lab-host/kvm/rmi.c), when readFile returns
//     text for it: the workspace copy wins, file by file;
//   - else the embedded file, shown as realm-lab/host/<path> in stack frames and breakpoints.
// The variant ('v14' | 'fixed') is one line of kernel/rmi.c and kvm/rmi.c, rewritten in place:
// `#define REALM_LAB_HOST_FIXED 0` becomes 1 for 'fixed' (line numbers do not move).
import { compile, joinPath, type CParser, type SourceUnit } from '../lang';
import { HOST_FILES, type HostFile } from './files';

export { HOST_FILES, type HostFile } from './files';

/** The host code variants (the same names as the run layer's HostVariant). */
export type HostVariant = 'v14' | 'fixed';

/** Source units for a variant: the shape of the run layer's HostLibrary. */
export type HostLibraryFn = (variant: HostVariant) => SourceUnit[];

/** Where embedded files appear in stack frames and diagnostics. */
export const EMBEDDED_ROOT = 'realm-lab/host';
/** The folder, next to the scenario, whose files replace the embedded ones. */
export const WORKSPACE_ROOT = 'realm-lab-host';

const VARIANT_LINE = /^#define REALM_LAB_HOST_FIXED 0\b/m;

/** A file's text for a variant (the one-line switch; files without it are unchanged). */
export function forVariant(text: string, variant: HostVariant): string {
  return variant === 'fixed' ? text.replace(VARIANT_LINE, '#define REALM_LAB_HOST_FIXED 1') : text;
}

/** Where the workspace copy of a host file would be, for a scenario file. */
export function workspacePath(scenarioFile: string, path: string): string {
  return joinPath(scenarioFile, `${WORKSPACE_ROOT}/${path}`);
}

export interface HostSources {
  /** The scenario's path (workspace copies are looked up next to it). */
  file?: string;
  readFile?: (path: string) => string | undefined;
}

/** The host library, with workspace copies (when `src` can read them) replacing embedded files. */
export function hostLibraryFor(src: HostSources = {}): HostLibraryFn {
  return (variant) => HOST_FILES.map((f) => unitOf(f, variant, src));
}

/** The embedded host library alone. */
export const hostLibrary: HostLibraryFn = hostLibraryFor();

function unitOf(f: HostFile, variant: HostVariant, src: HostSources): SourceUnit {
  if (src.file !== undefined && src.readFile) {
    const path = workspacePath(src.file, f.path);
    let text: string | undefined;
    try {
      text = src.readFile(path);
    } catch {
      text = undefined;
    }
    if (typeof text === 'string') return { path, text: forVariant(text, variant), origin: 'host' };
  }
  return { path: `${EMBEDDED_ROOT}/${f.path}`, text: forVariant(f.text, variant), origin: 'host' };
}

/**
 * Whether a scenario needs the host library, as a linker decides whether to pull in a static
 * library: a scenario that compiles on its own (it defines everything it uses, e.g. its own
 * stand-ins for struct kvm) runs on its own; one that uses host names gets the library.
 */
export function scenarioNeedsHost(parser: CParser, scenario: SourceUnit, opts: { readFile?: (path: string) => string | undefined; natives: readonly string[] }): boolean {
  const alone = compile(parser, [scenario], { readFile: opts.readFile, natives: opts.natives, runtimeGlobals: ['rmi_last'] });
  return alone.diagnostics.some((d) => d.severity === 'error');
}
