import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cssHex, luminance, mix, packRgba, parseCssColor, unpackRgba, type Rgba } from '../../src/webview/model/color';
import { buildPalette, pixelTables, realmColor, stateColor, themeKind } from '../../src/webview/model/palette';

const NAMES = ['UNDELEGATED', 'DELEGATED', 'RD', 'REC', 'REC_AUX', 'DATA', 'RTT', '', '', '', '', 'PARTIAL'];
const DARK: Record<string, string> = {
  '--vscode-editor-background': '#1e1e1e', '--vscode-foreground': '#cccccc',
  '--vscode-charts-blue': '#3794ff', '--vscode-charts-red': '#f14c4c', '--vscode-charts-green': '#89d185',
  '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7', '--vscode-charts-yellow': '#cca700',
};
const LIGHT: Record<string, string> = {
  '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#616161',
  '--vscode-charts-blue': '#1a85ff', '--vscode-charts-red': '#e51400', '--vscode-charts-green': '#388a34',
  '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#652d90', '--vscode-charts-yellow': '#bf8803',
};
const from = (vars: Record<string, string>) => (name: string) => vars[name] ?? '';
/** Sum of absolute channel differences: 0 = same colour, 765 = black vs white. */
const distance = (a: Rgba, b: Rgba) => Math.abs(a.r - b.r) + Math.abs(a.g - b.g) + Math.abs(a.b - b.b);

describe('webview colours: parsing CSS', () => {
  it('reads the forms VS Code themes use', () => {
    assert.deepEqual(parseCssColor('#1e1e1e'), { r: 30, g: 30, b: 30, a: 255 });
    assert.deepEqual(parseCssColor(' #FFF '), { r: 255, g: 255, b: 255, a: 255 });
    assert.deepEqual(parseCssColor('#3794ff80'), { r: 55, g: 148, b: 255, a: 128 });
    assert.deepEqual(parseCssColor('#0f08'), { r: 0, g: 255, b: 0, a: 136 });
    assert.deepEqual(parseCssColor('rgb(1, 2, 3)'), { r: 1, g: 2, b: 3, a: 255 });
    assert.deepEqual(parseCssColor('rgba(10, 20, 30, 0.5)'), { r: 10, g: 20, b: 30, a: 128 });
    assert.deepEqual(parseCssColor('rgb(100% 0% 50% / 25%)'), { r: 255, g: 0, b: 128, a: 64 });
  });
  it('refuses what it cannot read instead of guessing', () => {
    for (const bad of ['', undefined, 'red', '#12', '#12345', 'rgb(1,2)', 'rgb(a,b,c)', 'var(--x)', 'hsl(1,2%,3%)']) {
      assert.equal(parseCssColor(bad), undefined, String(bad));
    }
  });
  it('packs colours as little-endian ImageData pixels and back', () => {
    const c = { r: 0x12, g: 0x34, b: 0x56, a: 0xff };
    assert.equal(packRgba(c), 0xff563412);
    assert.deepEqual(unpackRgba(packRgba(c)), c);
    assert.equal(cssHex(c), '#123456');
    assert.deepEqual(mix({ r: 0, g: 0, b: 0, a: 255 }, { r: 200, g: 100, b: 50, a: 255 }, 0.5), { r: 100, g: 50, b: 25, a: 255 });
  });
});

describe('webview palette', () => {
  it('takes state colours from the theme variables', () => {
    const p = buildPalette(NAMES, from(DARK));
    assert.equal(cssHex(stateColor(p, 1)), '#3794ff', 'DELEGATED is charts-blue');
    assert.equal(cssHex(stateColor(p, 2)), '#f14c4c', 'RD is charts-red');
    assert.equal(cssHex(stateColor(p, 5)), '#89d185', 'DATA is charts-green');
    assert.equal(cssHex(stateColor(p, 6)), '#b180d7', 'RTT is charts-purple');
  });

  it('keeps UNDELEGATED quiet, close to the background, and every other state well apart from it', () => {
    for (const [vars, kind] of [[DARK, 'dark'], [LIGHT, 'light']] as const) {
      const p = buildPalette(NAMES, from(vars), kind);
      const und = stateColor(p, 0);
      assert.ok(distance(und, p.background) > 0, `${kind}: UNDELEGATED is still visible as memory`);
      assert.ok(distance(und, p.background) < 80, `${kind}: UNDELEGATED is near the background`);
      for (const code of [1, 2, 3, 4, 5, 6, 11]) {
        assert.ok(distance(stateColor(p, code), und) > 150, `${kind}: ${NAMES[code]} stands out from UNDELEGATED`);
      }
      const named = [1, 2, 3, 4, 5, 6, 11].map((c) => cssHex(stateColor(p, c)));
      assert.equal(new Set(named).size, named.length, `${kind}: the states have distinct colours`);
    }
  });

  it('follows a theme change: light and dark give different colours for the same state', () => {
    const dark = buildPalette(NAMES, from(DARK), 'dark');
    const light = buildPalette(NAMES, from(LIGHT), 'light');
    assert.notEqual(cssHex(stateColor(dark, 0)), cssHex(stateColor(light, 0)));
    assert.notEqual(cssHex(stateColor(dark, 2)), cssHex(stateColor(light, 2)));
    assert.ok(luminance(light.background) > luminance(dark.background));
  });

  it('falls back to built-in colours when the variables are missing, and colours states it does not know', () => {
    const p = buildPalette([...NAMES, 'PDEV', 'VDEV'], () => '');
    assert.equal(cssHex(p.background), '#1e1e1e');
    assert.equal(cssHex(stateColor(p, 1)), '#3794ff');
    assert.notEqual(cssHex(stateColor(p, 12)), cssHex(stateColor(p, 13)), 'new states get distinct colours');
    assert.ok(distance(stateColor(p, 12), stateColor(p, 0)) > 150);
    assert.deepEqual(stateColor(p, 200), p.foreground, 'an unnamed code still gets a colour');
  });

  it('flattens translucent theme colours onto the background', () => {
    const p = buildPalette(NAMES, from({ ...DARK, '--vscode-charts-blue': 'rgba(55, 148, 255, 0.5)' }));
    const c = stateColor(p, 1);
    assert.equal(c.a, 255);
    assert.ok(c.b < 255 && c.b > 100, `blue channel ${c.b} halfway to the background`);
  });

  it('tells the theme kind from the body classes', () => {
    assert.equal(themeKind(['vscode-light']), 'light');
    assert.equal(themeKind(['vscode-dark']), 'dark');
    assert.equal(themeKind(['vscode-high-contrast']), 'high-contrast');
    assert.equal(themeKind(['vscode-high-contrast', 'vscode-high-contrast-light']), 'high-contrast-light');
    assert.equal(themeKind([]), 'dark');
  });

  it('gives neighbouring realms clearly different colours', () => {
    const p = buildPalette(NAMES, from(DARK));
    for (let id = 0; id < 8; id++) {
      assert.ok(distance(realmColor(p, id), realmColor(p, id + 1)) > 60, `realm ${id} vs ${id + 1}`);
      assert.ok(distance(realmColor(p, id), p.background) > 150, `realm ${id} reads on the background`);
    }
  });

  it('builds pixel tables for every state code, dimmed ones fading to the background', () => {
    const p = buildPalette(NAMES, from(DARK));
    const t = pixelTables(p, 3);
    assert.equal(t.state.length, 256);
    assert.equal(t.realm.length, 3);
    assert.equal(t.state[2], packRgba(stateColor(p, 2)));
    const dimRd = unpackRgba(t.stateDim[2]);
    assert.ok(distance(dimRd, p.background) < distance(stateColor(p, 2), p.background) / 3);
    assert.equal(t.background, packRgba(p.background));
  });
});
