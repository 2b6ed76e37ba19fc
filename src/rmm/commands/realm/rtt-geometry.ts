// Starting-level RTT geometry (reference section 4.5): how many concatenated starting-level
// tables an IPA width needs at a given starting level, or undefined when the pair is inconsistent.
import { levelShift } from '../../rtt';

export function rootTableCount(s2sz: number, levelStart: number, lpa2: boolean): number | undefined {
  if (levelStart < (lpa2 ? -1 : 0) || levelStart > 3) return undefined;
  const perTable = levelStart === -1 ? 16 : 512;
  const bits = s2sz - levelShift(levelStart);
  if (bits < 1) return undefined; // a single entry at the starting level: use the next level
  const entries = 2 ** bits;
  const tables = Math.max(1, entries / perTable);
  if (levelStart === -1 && tables > 1) return undefined; // level -1 tables are never concatenated
  return tables <= 16 ? tables : undefined;
}
