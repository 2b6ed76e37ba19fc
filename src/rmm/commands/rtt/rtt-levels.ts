// RTT level geometry a realm imposes on command inputs (spec B3 RttLevelIsValid,
// RttLevelIsStarting, RttLevelIsBlockOrPage, AddrIsRttLevelAligned, AddrIsProtected; reference 4.5).
// Pure functions of a realm and numbers, so both the 1.0 commands and the 2.0 range commands
// (commands/v2) can share them.
import type { Realm } from '../../objects';
import { levelSize } from '../../rtt';
import { type Reg } from '../../u64';

// Powers of two and entry sizes as tables: these run several times per RMI call, and a table
// lookup is much cheaper than `2 **` on the populate path (262,144 DATA_CREATE per GiB).
const POW2 = Array.from({ length: 65 }, (_, i) => 2 ** i);
const LEVEL_SIZE = [-1, 0, 1, 2, 3].map(levelSize);

/** Size one entry at a valid level (-1..3) maps. */
export function entrySize(level: number): number {
  return LEVEL_SIZE[level + 1];
}

/** The page level: the deepest RTT level (reference 4.5). */
export const PAGE_LEVEL = 3;
/** The shallowest level that may hold a block (ASSIGNED / ASSIGNED_NS) entry. */
export const MIN_BLOCK_LEVEL = 1;
/** The shallowest level any realm can have (LPA2 starting level -1). */
export const MIN_LEVEL = -1;

/** Decodes an Int64 level register. Absurd values become a level no realm has, so every level check fails. */
export function levelArg(x: Reg): number {
  if (typeof x === 'number') return x > 8 ? 99 : x; // a number register is non-negative
  const v = BigInt.asIntN(64, x);
  return v < -8n || v > 8n ? 99 : Number(v);
}

/** RttLevelIsValid: the realm's starting level up to the page level. */
export function isValidLevel(realm: Realm, level: number): boolean {
  return Number.isInteger(level) && level >= realm.rttLevelStart && level <= PAGE_LEVEL;
}

/** RttLevelIsStarting. */
export function isStartingLevel(realm: Realm, level: number): boolean {
  return level === realm.rttLevelStart;
}

/** RttLevelIsBlockOrPage: a level that may hold an ASSIGNED(_NS) entry and that the realm's tree has. */
export function isBlockOrPageLevel(realm: Realm, level: number): boolean {
  return isValidLevel(realm, level) && level >= MIN_BLOCK_LEVEL;
}

/** AddrIsRttLevelAligned: false for a level that does not exist at all, as the spec says. */
export function isLevelAligned(addr: number, level: number): boolean {
  // Levels are whole numbers (levelArg); anything outside -1..3 has no entry size.
  const size = LEVEL_SIZE[level + 1];
  return size !== undefined && addr % size === 0;
}

/** AlignDownToRttLevel. Arithmetic instead of bit masks: IPAs and PAs reach 2^52. */
export function alignDown(addr: number, level: number): number {
  return addr - (addr % LEVEL_SIZE[level + 1]);
}

/** The first IPA that is not translated by the realm: 2^ipa_width. */
export function ipaLimit(realm: Realm): number {
  return POW2[realm.ipaWidth];
}

/** AddrIsProtected: below the top bit of the realm's IPA space. */
export function isProtected(realm: Realm, ipa: number): boolean {
  return ipa < POW2[realm.ipaWidth - 1];
}

/** Output addresses at or above 2^48 need LPA2 (data_bound2, rtt_bound2, addr_bound). */
export const PA_LIMIT_NO_LPA2 = 2 ** 48;
