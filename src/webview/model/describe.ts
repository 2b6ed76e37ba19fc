// Texts the map shows about one granule: the hover tooltip, the focus cell announcement for screen
// readers, and the lines of a granule's history. No DOM.
import { hexPa, type GranuleTransition } from '../../protocol/granule-map';
import type { MapModel } from './map-model';

export interface GranuleFacts {
  index: number;
  pa: string;
  state: string;
  /** PA of the owning RD, when a realm owns the granule. */
  realm?: string;
  realmState?: string;
  changed: boolean;
  /** From the extension, once it answers `hover`: where a realm maps it, and its last transition. */
  ipa?: string;
  lastChange?: GranuleTransition;
}

export function granuleFacts(m: MapModel, index: number): GranuleFacts | undefined {
  const pa = m.pa(index);
  if (pa === undefined) return undefined;
  const r = m.realm(m.owners[index]);
  return {
    index, pa: hexPa(pa), state: m.stateName(m.states[index]),
    realm: r ? hexPa(BigInt(r.rd)) : undefined, realmState: r?.state, changed: m.isChanged(index),
  };
}

/** Tooltip lines: PA, state, owning realm, and whether the last stop or edit changed it. */
export function tooltipLines(f: GranuleFacts): string[] {
  const lines = [`PA ${f.pa}`, f.state];
  lines.push(f.realm ? `realm RD ${f.realm}${f.realmState ? ` (${f.realmState})` : ''}` : 'no realm');
  if (f.ipa) lines.push(`mapped at IPA ${f.ipa}`);
  if (f.lastChange) lines.push(`last change ${transitionText(f.lastChange)}`);
  if (f.changed) lines.push('changed since the previous stop or edit');
  return lines;
}

/** One sentence for the live region when the focus cell moves. */
export function announce(f: GranuleFacts): string {
  return `PA ${f.pa}, ${f.state}${f.realm ? `, realm RD ${f.realm}` : ''}${f.changed ? ', changed' : ''}`;
}

/** '#3 RMI_GRANULE_DELEGATE: UNDELEGATED -> DELEGATED (RMI_SUCCESS) line 17' */
export function transitionText(t: GranuleTransition): string {
  return `#${t.seq} ${t.command}: ${t.from} -> ${t.to} (${t.status}) line ${t.line}`;
}
