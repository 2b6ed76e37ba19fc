// The hover tooltip: one absolutely positioned element, moved with its `left`/`top` from script
// (allowed by the CSP, unlike style attributes in markup).
import { tooltipLines, type GranuleFacts } from '../model/describe';
import { h } from './dom';

export function showTooltip(tip: HTMLElement, f: GranuleFacts, clientX: number, clientY: number): void {
  tip.replaceChildren(...tooltipLines(f).map((line, i) => h('div', { class: i === 0 ? 'tip-pa' : undefined }, line)));
  tip.hidden = false;
  const pad = 14;
  const w = tip.offsetWidth, ht = tip.offsetHeight;
  let x = clientX + pad, y = clientY + pad;
  if (x + w > window.innerWidth) x = Math.max(0, clientX - w - pad);
  if (y + ht > window.innerHeight) y = Math.max(0, clientY - ht - pad);
  tip.style.left = `${x}px`;
  tip.style.top = `${y}px`;
}

export function hideTooltip(tip: HTMLElement): void {
  tip.hidden = true;
}
