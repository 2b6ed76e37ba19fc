// Where a compiled file came from, in words and as something the editor can open: the scenario,
// a workspace copy of the host code (<scenario dir>/realm-lab-host/<path>), an embedded host file
// (realm-lab/host/<path> in the program; our read-only documents in the editor), or the
// embedded realm_lab.h prelude.
import { EMBEDDED_ROOT, WORKSPACE_ROOT } from '../../host';

export type FileOrigin =
  | { k: 'embedded-host'; path: string }
  | { k: 'workspace-host'; path: string }
  | { k: 'prelude'; name: string }
  | { k: 'scenario' }
  | { k: 'other' };

const EMBEDDED_PREFIX = `${EMBEDDED_ROOT}/`;
const PRELUDE_PREFIX = '<embedded>/';

export function originOf(file: string, scenarioFile?: string): FileOrigin {
  if (file.startsWith(EMBEDDED_PREFIX)) return { k: 'embedded-host', path: file.slice(EMBEDDED_PREFIX.length) };
  if (file.startsWith(PRELUDE_PREFIX)) return { k: 'prelude', name: file.slice(PRELUDE_PREFIX.length) };
  const norm = file.replace(/\\/g, '/');
  const at = norm.lastIndexOf(`/${WORKSPACE_ROOT}/`);
  if (at >= 0) return { k: 'workspace-host', path: norm.slice(at + WORKSPACE_ROOT.length + 2) };
  if (file === scenarioFile) return { k: 'scenario' };
  return { k: 'other' };
}

const baseName = (p: string) => p.replace(/\\/g, '/').split('/').pop() ?? p;

/** "the scenario (x.realm.c)", "the embedded host file kvm/rmi.c", ... with the line. */
export function describeLocation(file: string, line: number, scenarioFile?: string): string {
  const o = originOf(file, scenarioFile);
  switch (o.k) {
    case 'embedded-host': return `embedded host file \`${o.path}\`, line ${line}`;
    case 'workspace-host': return `workspace copy \`${WORKSPACE_ROOT}/${o.path}\`, line ${line}`;
    case 'prelude': return `Realm Lab's \`${o.name}\`, line ${line}`;
    case 'scenario': return `this scenario (\`${baseName(file)}\`), line ${line}`;
    default: return `\`${baseName(file)}\`, line ${line}`;
  }
}
