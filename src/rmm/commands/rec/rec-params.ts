// RmiRecParams as the host writes it into an NS page (spec B4.4.19; reference 6.3). 1.0 layout:
// flags @0x000 (bit 0 runnable), mpidr @0x100, pc @0x200, gprs[8] @0x300, num_aux @0x800, aux[16] @0x808.
import type { RmmState } from '../../state';
import { num } from '../common';

export const REC_FLAG_RUNNABLE = 1n;
export const MAX_AUX = 16;

export interface RecParams {
  /** The whole 4 KB page, for the RIM (measurement.extendRec picks the measured fields). */
  bytes: Uint8Array;
  flags: bigint;
  mpidr: bigint;
  pc: bigint;
  gprs: bigint[];
  numAux: bigint;
  /** aux[0..15] as PAs (a double holds every valid PA; larger values fail the bound checks). */
  aux: number[];
}

export function readRecParams(st: RmmState, pa: number): RecParams {
  const bytes = st.memory.read(pa, 4096);
  const v = new DataView(bytes.buffer);
  const u = (off: number) => v.getBigUint64(off, true);
  return {
    bytes,
    flags: u(0x000),
    mpidr: u(0x100),
    pc: u(0x200),
    gprs: Array.from({ length: 8 }, (_, i) => u(0x300 + 8 * i)),
    numAux: u(0x800),
    aux: Array.from({ length: MAX_AUX }, (_, i) => num(u(0x808 + 8 * i))),
  };
}

/** RecAuxCount(rd): the same for every realm of this RMM and never above 16 (spec B3.36). */
export function recAuxCount(st: RmmState): number {
  return Math.min(st.options.recAuxCount, MAX_AUX);
}
