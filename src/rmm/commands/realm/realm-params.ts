// RmiRealmParams as the host writes it into an NS page (reference section 6.1 for 1.0, 6.2 for 2.0).
import type { Profile } from '../../constants';
import type { RmmState } from '../../state';

export interface RealmParams {
  bytes: Uint8Array;
  flags: bigint;
  s2sz: bigint;
  sveVl: bigint;
  numBps: bigint;
  numWps: bigint;
  pmuNumCtrs: bigint;
  hashAlgo: bigint;
  numAuxPlanes: bigint;
  rpv: Uint8Array;
  vmid: bigint;
  rttBase: bigint;
  rttLevelStart: bigint;
  rttNumStart: bigint;
  flags1: bigint;
}

export const REALM_FLAG_LPA2 = 1n << 0n;
export const REALM_FLAG_SVE = 1n << 1n;
export const REALM_FLAG_PMU = 1n << 2n;

export function readRealmParams(st: RmmState, pa: number, profile: Profile): RealmParams {
  const bytes = st.memory.read(pa, 4096);
  const v = new DataView(bytes.buffer);
  const u = (off: number) => v.getBigUint64(off, true);
  return {
    bytes,
    flags: u(0x000),
    s2sz: u(0x008),
    sveVl: u(0x010),
    numBps: u(0x018),
    numWps: u(0x020),
    pmuNumCtrs: u(0x028),
    hashAlgo: u(0x030),
    numAuxPlanes: profile === '2.0' ? u(0x038) : 0n,
    rpv: bytes.slice(0x400, 0x440),
    vmid: profile === '1.0' ? u(0x800) : 0n,
    rttBase: u(0x808),
    rttLevelStart: v.getBigInt64(0x810, true),
    rttNumStart: u(0x818),
    flags1: profile === '2.0' ? u(0x820) : 0n,
  };
}
