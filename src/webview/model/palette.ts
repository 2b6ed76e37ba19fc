// Colours of the map, data-driven from the state names the extension sends (the state set differs
// between RMM 1.0 and 2.0), taken from the VS Code theme's CSS variables. UNDELEGATED is kept
// quiet (just off the background) so that delegated and realm granules stand out.
import { cssHex, flatten, hsl, luminance, mix, packRgba, parseCssColor, type Rgba } from './color';

export type ThemeKind = 'dark' | 'light' | 'high-contrast' | 'high-contrast-light';

/** Reads one CSS variable ('--vscode-charts-blue'), '' when unset. */
export type ReadVar = (name: string) => string;

/** Theme variable and fallback (VS Code's dark defaults) for each known granule state. */
const STATE_VARS: Record<string, [string, string]> = {
  DELEGATED: ['--vscode-charts-blue', '#3794ff'],
  RD: ['--vscode-charts-red', '#f14c4c'],
  REC: ['--vscode-charts-orange', '#d18616'],
  REC_AUX: ['--vscode-charts-yellow', '#cca700'],
  DATA: ['--vscode-charts-green', '#89d185'],
  RTT: ['--vscode-charts-purple', '#b180d7'],
  PARTIAL: ['--vscode-terminal-ansiCyan', '#11a8cd'],
};
/** For states this list does not know (a newer profile): further theme colours, in turn. */
const EXTRA_VARS: [string, string][] = [
  ['--vscode-terminal-ansiMagenta', '#bc3fbc'],
  ['--vscode-terminal-ansiBrightBlue', '#3b8eea'],
  ['--vscode-terminal-ansiBrightGreen', '#23d18b'],
  ['--vscode-terminal-ansiBrightYellow', '#f5f543'],
  ['--vscode-terminal-ansiBrightRed', '#f14c4c'],
];

export interface Palette {
  kind: ThemeKind;
  background: Rgba;
  foreground: Rgba;
  /** Colour per state code (index = code); codes without a name get the foreground. */
  states: Rgba[];
  /** Outline of granules changed since the previous stop or edit. */
  changed: Rgba;
  /** Focus cell cursor and selection outline. */
  focus: Rgba;
  /** Cell grid at high zoom, and the 16 MiB rulers. */
  grid: Rgba;
}

/** How far UNDELEGATED sits from the background: visible as "memory", never loud. */
const QUIET = 0.1;
/** How far a filtered-out granule fades towards the background. */
export const DIM = 0.8;

export function themeKind(bodyClasses: readonly string[]): ThemeKind {
  if (bodyClasses.includes('vscode-high-contrast-light')) return 'high-contrast-light';
  if (bodyClasses.includes('vscode-high-contrast')) return 'high-contrast';
  if (bodyClasses.includes('vscode-light')) return 'light';
  return 'dark';
}

function read(readVar: ReadVar, name: string, fallback: string, background: Rgba): Rgba {
  const c = parseCssColor(readVar(name)) ?? parseCssColor(fallback)!;
  return flatten(c, background);
}

/** The palette for the theme in effect, for states named by `stateNames` (index = code). */
export function buildPalette(stateNames: readonly string[], readVar: ReadVar, kind: ThemeKind = 'dark'): Palette {
  const light = kind === 'light' || kind === 'high-contrast-light';
  const background = parseCssColor(readVar('--vscode-editor-background')) ?? parseCssColor(light ? '#ffffff' : '#1e1e1e')!;
  const bg = flatten(background, { r: 0, g: 0, b: 0, a: 255 });
  const foreground = read(readVar, '--vscode-foreground', light ? '#616161' : '#cccccc', bg);
  const quiet = mix(bg, foreground, kind.startsWith('high-contrast') ? 0.2 : QUIET);
  const states: Rgba[] = [];
  let extra = 0;
  for (let code = 0; code < stateNames.length; code++) {
    const name = stateNames[code];
    if (!name) { states[code] = foreground; continue; }
    if (name === 'UNDELEGATED') { states[code] = quiet; continue; }
    const known = STATE_VARS[name];
    const [v, fb] = known ?? EXTRA_VARS[extra++ % EXTRA_VARS.length];
    states[code] = read(readVar, v, fb, bg);
  }
  const changed = read(readVar, '--vscode-editor-findMatchBorder', light ? '#000000' : '#ffffff', bg);
  const focus = read(readVar, '--vscode-focusBorder', '#007fd4', bg);
  const grid = mix(bg, foreground, 0.25);
  return { kind, background: bg, foreground, states, changed, focus, grid };
}

/** Colour of a state code, also for codes the state list does not cover. */
export function stateColor(p: Palette, code: number): Rgba {
  return p.states[code] ?? p.foreground;
}

/**
 * A distinct colour per realm id: hues spaced by the golden angle so neighbouring ids differ, at a
 * lightness that reads on the theme's background.
 */
export function realmColor(p: Palette, id: number): Rgba {
  const dark = luminance(p.background) < 0.4;
  const hue = (id * 137.508 + 200) % 360;
  return hsl(hue, 0.7, dark ? 0.62 : 0.42);
}

/** A colour faded towards the background (filtered-out granules). */
export function dimmed(p: Palette, c: Rgba): Rgba {
  return mix(c, p.background, DIM);
}

/** Packed pixel lookup tables: colour per state code (256 entries) and per realm id. */
export interface PixelTables {
  state: Uint32Array;
  stateDim: Uint32Array;
  realm: Uint32Array;
  realmDim: Uint32Array;
  background: number;
}

export function pixelTables(p: Palette, realmCount: number): PixelTables {
  const state = new Uint32Array(256);
  const stateDim = new Uint32Array(256);
  for (let code = 0; code < 256; code++) {
    const c = stateColor(p, code);
    state[code] = packRgba(c);
    stateDim[code] = packRgba(dimmed(p, c));
  }
  const n = Math.max(0, realmCount);
  const realm = new Uint32Array(n);
  const realmDim = new Uint32Array(n);
  for (let id = 0; id < n; id++) {
    const c = realmColor(p, id);
    realm[id] = packRgba(c);
    realmDim[id] = packRgba(dimmed(p, c));
  }
  return { state, stateDim, realm, realmDim, background: packRgba(p.background) };
}

export { cssHex };
