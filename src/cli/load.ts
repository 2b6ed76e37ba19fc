// Reading scenario and #include files for the CLI: every way a path can be wrong (missing, a
// directory, binary data, far too large) becomes one clear sentence, never a stack trace.
import * as fs from 'node:fs';

/** A scenario is source code: anything larger is a mistake (a wrong path, an image, a core dump). */
export const MAX_SCENARIO_BYTES = 4 * 1024 * 1024;

/** A problem with an input file: printed as `realm-lab: <message>`, exit code 2. */
export class InputError extends Error {}

const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;

/** The text of a scenario file, or an InputError saying why it cannot be one. */
export function readScenario(file: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${file}: no such file` : code === 'EACCES' ? `${file}: permission denied` : `${file}: cannot read it (${code ?? String(e)})`);
  }
  if (st.isDirectory()) throw new InputError(`${file}: is a directory, not a scenario file`);
  if (!st.isFile()) throw new InputError(`${file}: is not a regular file`);
  if (st.size > MAX_SCENARIO_BYTES) throw new InputError(`${file}: is ${mib(st.size)}, larger than a scenario can be (${mib(MAX_SCENARIO_BYTES)})`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new InputError(`${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return decodeText(file, bytes);
}

/** UTF-8 text without NUL bytes, or an InputError: binary data is not C. */
export function decodeText(file: string, bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new InputError(`${file}: is a binary file, not C source`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${file}: is not UTF-8 text`);
  }
}

/** RunOptions.readFile for #include: a workspace file's text, or undefined when it is not a readable text file. */
export function readInclude(p: string): string | undefined {
  if (p.startsWith('<')) return undefined;
  try {
    const st = fs.statSync(p);
    if (!st.isFile() || st.size > MAX_SCENARIO_BYTES) return undefined;
    return decodeText(p, fs.readFileSync(p));
  } catch {
    return undefined;
  }
}
