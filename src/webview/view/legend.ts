// The legend: one entry per granule state with its colour and count; clicking an entry toggles a
// filter that dims every other state. Also the realm list, whose entries filter by realm.
import { cssHex } from '../model/color';
import type { MapModel } from '../model/map-model';
import { realmColor, stateColor, type Palette } from '../model/palette';
import { hexPa } from '../../protocol/granule-map';
import { h } from './dom';

export function renderLegend(ul: HTMLUListElement, m: MapModel, p: Palette, filter: ReadonlySet<number>, toggle: (code: number) => void): void {
  const items = m.legendStates().map((code) => {
    const name = m.stateName(code);
    const n = m.countOf(code);
    const active = filter.has(code);
    const button = h('button', { type: 'button', class: 'legend-entry', 'aria-pressed': String(active), title: `Show only ${name} (click again to show all)` },
      swatch(cssHex(stateColor(p, code))), h('span', { class: 'name' }, name), h('span', { class: 'count' }, String(n)));
    button.addEventListener('click', () => toggle(code));
    return h('li', { 'data-state': name, class: [n === 0 ? 'absent' : '', active ? 'filtered' : ''].filter(Boolean).join(' ') || undefined }, button);
  });
  ul.replaceChildren(...items);
}

export function renderRealms(ul: HTMLUListElement, m: MapModel, p: Palette, filter: ReadonlySet<number>, toggle: (id: number) => void): void {
  const counts = m.realmCounts();
  const items = m.realms.map((r) => {
    const active = filter.has(r.id);
    const rd = hexPa(BigInt(r.rd));
    const button = h('button', { type: 'button', class: 'legend-entry', 'aria-pressed': String(active), title: `Show only realm ${rd}` },
      swatch(cssHex(realmColor(p, r.id))), h('span', { class: 'name' }, `RD ${rd}`), h('span', { class: 'realm-state' }, r.state),
      h('span', { class: 'count' }, String(counts.get(r.id) ?? 0)));
    button.addEventListener('click', () => toggle(r.id));
    return h('li', { 'data-realm': String(r.id), class: active ? 'filtered' : undefined }, button);
  });
  ul.replaceChildren(...items);
  ul.hidden = items.length === 0;
}

/** A colour swatch: a tiny canvas, because the CSP allows no inline style for a background colour. */
function swatch(colour: string): HTMLCanvasElement {
  const c = h('canvas', { class: 'swatch', width: 12, height: 12, 'aria-hidden': 'true' });
  const ctx = c.getContext('2d');
  if (ctx) { ctx.fillStyle = colour; ctx.fillRect(0, 0, 12, 12); }
  return c;
}
