// An independent model of the realm measurement (reference 5.23; spec C1.11-C1.13) built on
// node:crypto, to check the emulator's RIM: descriptors of 0x100 bytes {desc_type @0x0,
// len @0x8, rim (64 B) @0x10, then per type: DATA ipa @0x50, flags @0x58, content @0x60;
// RIPAS base @0x50, top @0x58}. Digests are zero-extended to the 64-byte measurement slot.
import { createHash } from 'node:crypto';

const ALGO = ['sha256', 'sha512', 'sha384'];

export function digest(algo: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(64);
  out.set(createHash(ALGO[algo]).update(bytes).digest());
  return out;
}

function desc(type: number, rim: Uint8Array): { b: Uint8Array; v: DataView } {
  const b = new Uint8Array(0x100);
  const v = new DataView(b.buffer);
  b[0] = type;
  v.setBigUint64(0x8, 0x100n, true);
  b.set(rim, 0x10);
  return { b, v };
}

/** RimInit: the 4 KB RmiRealmParams with only flags, s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs, hash_algo kept. */
export function rimInit(algo: number, params: Uint8Array): Uint8Array {
  const kept = new Uint8Array(4096);
  kept.set(params.subarray(0, 0x38));
  return digest(algo, kept);
}

export function rimExtendData(algo: number, rim: Uint8Array, ipa: bigint, flags: bigint, contents?: Uint8Array): Uint8Array {
  const { b, v } = desc(0, rim);
  v.setBigUint64(0x50, ipa, true);
  v.setBigUint64(0x58, flags, true);
  if (contents) b.set(digest(algo, contents), 0x60);
  return digest(algo, b);
}

export function rimExtendRipas(algo: number, rim: Uint8Array, base: bigint, top: bigint): Uint8Array {
  const { b, v } = desc(2, rim);
  v.setBigUint64(0x50, base, true);
  v.setBigUint64(0x58, top, true);
  return digest(algo, b);
}
