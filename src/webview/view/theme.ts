// Reads the VS Code theme's colours from CSS variables and tells the map when the theme changes
// (VS Code swaps the body's vscode-light / vscode-dark / vscode-high-contrast classes).
import { buildPalette, themeKind, type Palette } from '../model/palette';

export function readPalette(stateNames: readonly string[]): Palette {
  const style = getComputedStyle(document.body);
  return buildPalette(stateNames, (name) => style.getPropertyValue(name), themeKind([...document.body.classList]));
}

/** Calls `onChange` after the theme changed; returns a function that stops watching. */
export function watchTheme(onChange: () => void): () => void {
  const obs = new MutationObserver(() => onChange());
  obs.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind', 'data-vscode-theme-id'] });
  // The colours themselves live in a style attribute on <html>, which VS Code rewrites on a theme change.
  obs.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return () => obs.disconnect();
}
