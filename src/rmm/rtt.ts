// Realm Translation Tables (reference sections 4.3-4.6). Each RTT granule holds 512 entries
// (16 at level -1); entries are kept in typed arrays keyed by the RTT granule's index rather
// than as encoded descriptors, since the host can never read realm memory anyway.
import { Ripas, RttState } from './constants';

export const RTT_ENTRIES = 512;
export const RTT_ENTRIES_LM1 = 16;

/** Bytes of an RttTable's storage: addr (8 per entry), attr (2), state (1), ripas (1). */
function tableBytes(entries: number): number {
  return 12 * entries;
}

export class RttTable {
  readonly state: Uint8Array;
  readonly ripas: Uint8Array;
  /** Output address (DATA PA, next-level RTT PA, or NS PA); a double holds any 52-bit PA exactly. */
  readonly addr: Float64Array;
  /** ASSIGNED_NS attributes: MemAttr [2:0] and S2AP [7:6] as the descriptor carries them. */
  readonly attr: Uint16Array;

  constructor(
    /** Granule index of this RTT. */
    readonly gi: number,
    /** Granule index of the owning RD. */
    readonly realm: number,
    readonly level: number,
    /** First IPA this table translates. */
    readonly baseIpa: number,
    entries = RTT_ENTRIES,
    /** The four arrays' storage, laid out as tableBytes says (a clone passes a copy). */
    buffer = new ArrayBuffer(tableBytes(entries)),
  ) {
    // One backing store for the four arrays: a populate creates an RTT per 2 MiB and a snapshot
    // clones every RTT, and each ArrayBuffer costs an allocation and external-memory accounting.
    this.addr = new Float64Array(buffer, 0, entries);
    this.attr = new Uint16Array(buffer, 8 * entries, entries);
    this.state = new Uint8Array(buffer, 10 * entries, entries);
    this.ripas = new Uint8Array(buffer, 11 * entries, entries);
  }

  clone(): RttTable {
    // The constructor made the storage, always a plain ArrayBuffer.
    return new RttTable(this.gi, this.realm, this.level, this.baseIpa, this.state.length, (this.addr.buffer as ArrayBuffer).slice(0));
  }

  get entries(): number {
    return this.state.length;
  }

  /** Live entries make an RTT live (ASSIGNED or TABLE; ASSIGNED_NS does not, spec A5.5.4). */
  liveEntries(): number {
    let n = 0;
    for (let i = 0; i < this.state.length; i++) {
      const s = this.state[i];
      if (s === RttState.ASSIGNED || s === RttState.TABLE) n++;
    }
    return n;
  }
}

/** log2 of the size one entry at `level` maps (4 KB granules: L3 12, L2 21, L1 30, L0 39). */
export function levelShift(level: number): number {
  return (3 - level) * 9 + 12;
}

/** levelSize of levels -1..3 at [level + 1]: the RTT walk needs it per level, and `2 **` is a slow call in V8. */
const LEVEL_SIZES = [-1, 0, 1, 2, 3].map((l) => 2 ** levelShift(l));
/** 2^i for i in 0..64 (IPA widths). */
const POW2 = Array.from({ length: 65 }, (_, i) => 2 ** i);

/** Size one entry at `level` maps, as a double (2^48 and below are exact). */
export function levelSize(level: number): number {
  return LEVEL_SIZES[level + 1] ?? 2 ** levelShift(level);
}

export function isProtectedIpa(ipa: number, ipaWidth: number): boolean {
  return ipa < (POW2[ipaWidth - 1] ?? 2 ** (ipaWidth - 1));
}

/** The state an entry gets when a realm is created or an entry is reset. */
export function initialEntry(t: RttTable, i: number, ipa: number, ipaWidth: number): void {
  if (isProtectedIpa(ipa, ipaWidth)) {
    t.state[i] = RttState.UNASSIGNED;
    t.ripas[i] = Ripas.EMPTY;
  } else {
    t.state[i] = RttState.UNASSIGNED_NS;
    t.ripas[i] = Ripas.EMPTY;
  }
  t.addr[i] = 0;
  t.attr[i] = 0;
}

/** The result of an RTT walk (spec RttWalk): the deepest entry reached on the path to `ipa`. */
export interface RttWalk {
  /** Level of the entry reached (<= the requested level). */
  level: number;
  table: RttTable;
  /** Entry index within `table`. */
  index: number;
}

/** Floor division that stays exact for 52-bit values (>> would truncate to 32 bits). */
export function entryIndex(ipa: number, level: number, entries: number): number {
  return Math.floor(ipa / levelSize(level)) % entries;
}
