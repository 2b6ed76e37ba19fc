// Compiles a set of source units (host library files first, then the scenario) into a program for
// the machine: preprocess + parse + convert each unit, check them together, generate code.
import { checkProgram } from './check/program';
import type { Origin, Program } from './check/tree';
import { parseUnitCached } from './unit-cache';
import { EMBEDDED_HEADERS } from './headers/realm-lab-h';
import type { CParser } from './parse/treesitter';
import type { Macro } from './preprocess/macros';
import type { IncludeResolver } from './preprocess/preprocessor';
import type { Diagnostic, SourceFile } from './source';
import { compileFunction } from './vm/codegen';
import type { CompiledFunction } from './vm/ops';

export interface SourceUnit {
  path: string;
  text: string;
  origin: Origin;
}

export interface CompileOptions {
  /** Reads a workspace file for #include "..." (undefined = absent). */
  readFile?: (path: string) => string | undefined;
  /** Intrinsics the runtime implements. */
  natives: readonly string[];
  /** Extern variables the runtime defines. */
  runtimeGlobals: readonly string[];
}

export interface Compiled {
  ok: boolean;
  diagnostics: Diagnostic[];
  program?: Program;
  /** By function id; undefined for functions without a body (intrinsics). */
  functions: (CompiledFunction | undefined)[];
  /** Native index by name, as CALLN instructions refer to them. */
  nativeIds: Map<string, number>;
  files: Map<string, SourceFile>;
  /** The last (scenario) unit's macros and typedef names, to read debugger expressions as it would. */
  scope?: { macros: Map<string, Macro>; typedefs: Set<string> };
}

export const PRELUDE = 'realm_lab.h';

/** Joins a relative include path to the including file's folder. */
export function joinPath(from: string, name: string): string {
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) return name;
  const sep = from.includes('\\') && !from.includes('/') ? '\\' : '/';
  const dir = from.includes(sep) ? from.slice(0, from.lastIndexOf(sep)) : '';
  const parts = (dir ? dir.split(sep) : []).concat(name.split(/[\\/]/));
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..' && out.length && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else if (p !== '.') out.push(p);
  }
  return out.join(sep);
}

export function makeResolver(readFile?: (path: string) => string | undefined): IncludeResolver {
  return (name, quoted, from) => {
    if (quoted && readFile) {
      const p = joinPath(from, name);
      const text = safeRead(readFile, p);
      if (text !== undefined) return { path: p, text };
    }
    const embedded = EMBEDDED_HEADERS[name];
    if (embedded !== undefined) return { path: `<embedded>/${name}`, text: embedded };
    if (!quoted && readFile) {
      const p = joinPath(from, name);
      const text = safeRead(readFile, p);
      if (text !== undefined) return { path: p, text };
    }
    return undefined;
  };
}

function safeRead(readFile: (path: string) => string | undefined, p: string): string | undefined {
  try {
    return readFile(p);
  } catch {
    return undefined;
  }
}

export function compile(parser: CParser, units: readonly SourceUnit[], opts: CompileOptions): Compiled {
  try {
    return compileUnits(parser, units, opts);
  } catch (e) {
    // A bug or an input too deep for the JS stack must still end as a diagnostic, not a crash.
    const deep = e instanceof RangeError && /call stack/i.test(e.message);
    const message = deep ? 'the program is nested too deeply to compile' : `internal compiler error: ${e instanceof Error ? e.message : String(e)}`;
    const u = units[units.length - 1];
    return {
      ok: false, functions: [], nativeIds: new Map(), files: new Map(),
      diagnostics: [{ range: { file: u?.path ?? '<input>', line: 1, column: 1, endLine: 1, endColumn: 1 }, severity: 'error', message, code: deep ? 'too-deep' : 'internal' }],
    };
  }
}

function compileUnits(parser: CParser, units: readonly SourceUnit[], opts: CompileOptions): Compiled {
  const resolve = makeResolver(opts.readFile);
  const diagnostics: Diagnostic[] = [];
  const files = new Map<string, SourceFile>();
  let scope: Compiled['scope'];
  const parsed = units.map((u) => {
    const r = parseUnitCached(parser, u.path, u.text, { resolve, forceInclude: [PRELUDE] });
    diagnostics.push(...r.diagnostics);
    for (const [k, v] of r.files) files.set(k, v);
    // Copies: the unit may be cached and shared by other compiles.
    scope = { macros: new Map(r.macros), typedefs: new Set(r.typedefs) };
    return { unit: r.unit, origin: u.origin };
  });
  const nativeIds = new Map(opts.natives.map((n, i) => [n, i]));
  const fail = (): Compiled => ({ ok: false, diagnostics: dedupe(diagnostics), functions: [], nativeIds, files, scope });
  if (diagnostics.some((d) => d.severity === 'error')) return fail();
  const checked = checkProgram(parsed, { natives: new Set(opts.natives), runtimeGlobals: new Set(opts.runtimeGlobals) });
  diagnostics.push(...checked.diagnostics);
  if (diagnostics.some((d) => d.severity === 'error')) return { ...fail(), program: checked.program };
  const program = checked.program;
  const functions = program.functions.map((fn) => (fn.body ? compileFunction(fn, (name) => nativeIds.get(name) ?? -1) : undefined));
  return { ok: true, diagnostics: dedupe(diagnostics), program, functions, nativeIds, files, scope };
}

/** The same message at the same place once (a header's problem shows up once per unit). */
function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.range.file}:${d.range.line}:${d.range.column}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
