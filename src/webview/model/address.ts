// Parses the address a user types into the map's search box and finds its granule. Addresses are
// hex, as the spec and the kernel write them: 0x80001000, 0x8000_1000, 80001000, 0x80001000ULL.
import { GRANULE_SIZE, granuleIndex, hexPa, type MapRegion } from '../../protocol/granule-map';

export type AddressResult = { ok: true; pa: bigint } | { ok: false; error: string };
export type LocateResult = { ok: true; pa: bigint; index: number } | { ok: false; error: string };

const MAX_PA = (1n << 64n) - 1n;

export function parseAddress(text: string): AddressResult {
  const raw = String(text ?? '').trim();
  if (!raw) return { ok: false, error: 'Type a physical address, e.g. 0x8000_1000.' };
  let s = raw.replace(/[_'\s]/g, '').toLowerCase();
  s = s.replace(/u?l{0,2}$/, '');
  if (s.startsWith('0x')) s = s.slice(2);
  if (!s || !/^[0-9a-f]+$/.test(s)) return { ok: false, error: `"${raw}" is not a hex address (e.g. 0x8000_1000).` };
  const pa = BigInt('0x' + s);
  if (pa > MAX_PA) return { ok: false, error: `${raw} does not fit in 64 bits.` };
  return { ok: true, pa };
}

/** The DRAM ranges as text, for messages: '0x8000_0000-0xbfff_ffff'. */
export function describeRegions(regions: readonly MapRegion[]): string {
  return regions.filter((r) => r.count > 0)
    .map((r) => { const b = BigInt(r.base); return `${hexPa(b)}-${hexPa(b + BigInt(r.count) * BigInt(GRANULE_SIZE) - 1n)}`; })
    .join(', ');
}

/** Parses `text` and finds the granule holding that address in the map's DRAM. */
export function locateAddress(text: string, regions: readonly MapRegion[]): LocateResult {
  const a = parseAddress(text);
  if (!a.ok) return a;
  const index = granuleIndex(regions, a.pa);
  if (index < 0) {
    const ranges = describeRegions(regions);
    return { ok: false, error: `${hexPa(a.pa)} is outside DRAM${ranges ? ` (${ranges})` : ''}.` };
  }
  return { ok: true, pa: a.pa, index };
}
