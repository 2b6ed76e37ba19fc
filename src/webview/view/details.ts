// The side panel with one granule's details, answered by the extension on `inspect`: PA, state,
// realm and every transition in the run; each transition reveals its line in the editor.
import { hexPa, type GranuleDetails } from '../../protocol/granule-map';
import { transitionText } from '../model/describe';
import { h } from './dom';

export function renderDetails(section: HTMLElement, d: GranuleDetails, reveal: (file: string, line: number) => void, close: () => void): void {
  const closeButton = h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close granule details', title: 'Close' }, '\u00d7');
  closeButton.addEventListener('click', close);
  const facts = h('dl', {},
    h('dt', {}, 'PA'), h('dd', { class: 'pa' }, pretty(d.pa)),
    h('dt', {}, 'State'), h('dd', { class: 'state' }, d.state),
    h('dt', {}, 'Realm'), h('dd', { class: 'realm' }, d.realm ? `RD ${pretty(d.realm)}` : 'none'));
  const history = d.history.length
    ? h('ol', { class: 'history', 'aria-label': 'Transitions of this granule' }, ...d.history.map((t) => {
      const b = h('button', { type: 'button', class: 'link', title: `Reveal ${t.file}:${t.line}` }, transitionText(t));
      b.addEventListener('click', () => reveal(t.file, t.line));
      return h('li', {}, b);
    }))
    : h('p', { class: 'muted' }, 'No RMI call changed this granule in the run.');
  section.replaceChildren(
    h('div', { class: 'details-head' }, h('h2', {}, `Granule ${d.index}`), closeButton),
    facts, h('h3', {}, 'History'), history);
  section.hidden = false;
}

export function detailsPending(section: HTMLElement, pa: string): void {
  section.replaceChildren(h('h2', {}, `Granule at ${pa}`), h('p', { class: 'muted' }, 'Loading its history\u2026'));
  section.hidden = false;
}

/** '0x8000a000' as the map writes addresses elsewhere ('0x8000_a000'); anything unexpected as it came. */
function pretty(pa: string): string {
  return /^0x[0-9a-f_]+$/i.test(pa) ? hexPa(BigInt(pa.replace(/_/g, ''))) : pa;
}
