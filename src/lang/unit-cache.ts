// Parsed units (preprocess + tree-sitter + conversion) cached by their text, so that a re-run of
// an edited scenario does not parse the host library again (the live editor compiles on every
// keystroke, and a run compiles the scenario twice: alone, then with the host library).
// A unit is reused only when every #include it made resolves to the same file and text today,
// and only when it had no errors (a failed #include might resolve now). The checker never
// changes a parsed unit (it builds its own typed tree), so one can serve any number of compiles.
import { parseUnit, type FrontendOptions, type ParsedUnit } from './frontend';
import type { CParser } from './parse/treesitter';
import type { IncludeResolver } from './preprocess/preprocessor';

interface Resolution {
  name: string;
  quoted: boolean;
  from: string;
  found: { path: string; text: string } | undefined;
}

interface Entry {
  unit: ParsedUnit;
  resolutions: Resolution[];
}

/** Enough for the host library's units, a few scenarios and their edits. */
const MAX_ENTRIES = 48;
const cache = new Map<string, Entry>();

export function parseUnitCached(parser: CParser, path: string, text: string, opts: FrontendOptions): ParsedUnit {
  const key = `${path}\0${(opts.forceInclude ?? []).join('\0')}\0${text}`;
  const hit = cache.get(key);
  if (hit && !opts.predefined && stillResolves(hit.resolutions, opts.resolve)) {
    cache.delete(key); // most recently used last
    cache.set(key, hit);
    return hit.unit;
  }
  const resolutions: Resolution[] = [];
  const resolve: IncludeResolver = (name, quoted, from) => {
    const found = opts.resolve(name, quoted, from);
    resolutions.push({ name, quoted, from, found: found && { path: found.path, text: found.text } });
    return found;
  };
  const unit = parseUnit(parser, path, text, { ...opts, resolve });
  if (!unit.diagnostics.some((d) => d.severity === 'error') && !opts.predefined) {
    cache.set(key, { unit, resolutions });
    while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  }
  return unit;
}

function stillResolves(rs: readonly Resolution[], resolve: IncludeResolver): boolean {
  for (const r of rs) {
    const now = resolve(r.name, r.quoted, r.from);
    if (now?.path !== r.found?.path || now?.text !== r.found?.text) return false;
  }
  return true;
}
