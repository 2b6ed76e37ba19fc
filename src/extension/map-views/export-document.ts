// What "Export Granule Map as JSON" saves: the full map (the same MapState the webview gets, so a
// bug report can be loaded back into the map) and, for a live run, the run's report (the same
// object as `realm-lab run --json` prints). A debug session has no finished run to report on:
// its export says so instead of guessing. Pure: no `vscode`.
import { decodeRuns, type MapState } from '../../protocol/granule-map';
import type { RunReport } from '../../run';

export const EXPORT_FORMAT = 'realm-lab.granule-map';
export const EXPORT_FORMAT_VERSION = 1;

export interface MapExport {
  format: typeof EXPORT_FORMAT;
  formatVersion: number;
  /** The scenario file and moment of the run the map shows (as in the map's title). */
  file: string;
  at: string;
  /** Granules per state name, for a reader who does not want to decode the runs. */
  counts: Record<string, number>;
  map: MapState;
  /** The run's report, or null with `reportMissing` saying why. */
  report: RunReport | null;
  reportMissing?: string;
}

/** Granules per state name of a map state (decoding its run-length data). */
export function stateCounts(map: MapState): Record<string, number> {
  const states = decodeRuns(map.states, map.count, new Uint8Array(map.count));
  const counts: Record<string, number> = {};
  for (let i = 0; i < states.length; i++) {
    const name = map.stateNames[states[i]] || `STATE_${states[i]}`;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

export function mapExport(map: MapState, report: RunReport | undefined, reportMissing = 'no run report for this view'): MapExport {
  return {
    format: EXPORT_FORMAT, formatVersion: EXPORT_FORMAT_VERSION, file: map.file, at: map.at,
    counts: stateCounts(map), map, report: report ?? null, ...(report ? {} : { reportMissing }),
  };
}

/** The bytes of a `data:image/png;base64,...` URL; a RangeError for anything else. */
export function pngBytes(dataUrl: string): Uint8Array {
  const prefix = 'data:image/png;base64,';
  if (typeof dataUrl !== 'string' || !dataUrl.startsWith(prefix)) throw new RangeError('not a PNG data URL');
  const bytes = Uint8Array.from(atob(dataUrl.slice(prefix.length)), (c) => c.charCodeAt(0));
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) throw new RangeError('the data URL does not hold a PNG image');
  return bytes;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

/** A file name for the export, e.g. 'raw-rmi-1.0-granule-map.json'. */
export function exportFileName(scenarioFile: string, ext: 'json' | 'png'): string {
  const base = scenarioFile.replace(/\.realm\.c$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
  return `${base}-granule-map.${ext}`;
}
