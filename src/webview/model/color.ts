// CSS colours as the theme gives them ('#1e1e1e', '#fff', 'rgb(1, 2, 3)', 'rgba(...)'), parsed to
// RGBA and packed for an ImageData's Uint32Array view. No DOM: the caller reads the CSS variables.

export interface Rgba { r: number; g: number; b: number; a: number }

const clamp8 = (n: number) => Math.min(255, Math.max(0, Math.round(n)));

/** Parses a CSS hex or rgb()/rgba() colour; undefined for anything else (named colours, var(), empty). */
export function parseCssColor(text: string | undefined): Rgba | undefined {
  const s = (text ?? '').trim().toLowerCase();
  if (!s) return undefined;
  const hex = /^#([0-9a-f]{3,8})$/.exec(s);
  if (hex) {
    const h = hex[1];
    if (h.length === 3 || h.length === 4) {
      const d = [...h].map((c) => parseInt(c + c, 16));
      return { r: d[0], g: d[1], b: d[2], a: h.length === 4 ? d[3] : 255 };
    }
    if (h.length === 6 || h.length === 8) {
      const d = [0, 2, 4, 6].map((i) => parseInt(h.slice(i, i + 2), 16));
      return { r: d[0], g: d[1], b: d[2], a: h.length === 8 ? d[3] : 255 };
    }
    return undefined;
  }
  const fn = /^rgba?\(\s*([^)]*)\)$/.exec(s);
  if (fn) {
    const parts = fn[1].split(/[\s,/]+/).filter(Boolean);
    if (parts.length !== 3 && parts.length !== 4) return undefined;
    const channel = (p: string) => (p.endsWith('%') ? (parseFloat(p) * 255) / 100 : parseFloat(p));
    const [r, g, b] = parts.slice(0, 3).map(channel);
    const a = parts.length === 4 ? (parts[3].endsWith('%') ? parseFloat(parts[3]) / 100 : parseFloat(parts[3])) : 1;
    if (![r, g, b, a].every(Number.isFinite)) return undefined;
    return { r: clamp8(r), g: clamp8(g), b: clamp8(b), a: clamp8(a * 255) };
  }
  return undefined;
}

/** `a` moved towards `b` by `t` (0 = a, 1 = b), opaque. */
export function mix(a: Rgba, b: Rgba, t: number): Rgba {
  return { r: clamp8(a.r + (b.r - a.r) * t), g: clamp8(a.g + (b.g - a.g) * t), b: clamp8(a.b + (b.b - a.b) * t), a: 255 };
}

/** A colour with alpha flattened onto an opaque background (theme colours are sometimes translucent). */
export function flatten(c: Rgba, background: Rgba): Rgba {
  return c.a >= 255 ? c : mix(background, { ...c, a: 255 }, c.a / 255);
}

/** Relative luminance (WCAG), 0 = black, 1 = white. */
export function luminance(c: Rgba): number {
  const lin = (v: number) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** The colour as one little-endian ImageData pixel (bytes R, G, B, A in memory). */
export function packRgba(c: Rgba): number {
  return ((c.a << 24) | (c.b << 16) | (c.g << 8) | c.r) >>> 0;
}

export function unpackRgba(p: number): Rgba {
  return { r: p & 255, g: (p >>> 8) & 255, b: (p >>> 16) & 255, a: p >>> 24 };
}

/** '#rrggbb' for CSS (swatches, outlines). */
export function cssHex(c: Rgba): string {
  return '#' + [c.r, c.g, c.b].map((v) => v.toString(16).padStart(2, '0')).join('');
}

/** HSL (h in degrees, s and l in 0..1) to RGB. */
export function hsl(h: number, s: number, l: number): Rgba {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return { r: clamp8(f(0) * 255), g: clamp8(f(8) * 255), b: clamp8(f(4) * 255), a: 255 };
}
