// Realm Initial Measurement (reference section 5.23; spec A7.1 and C1.11-C1.13): RimInit over a
// zeroed copy of the measured RmiRealmParams fields, then one extension per DATA_CREATE, runnable
// REC_CREATE and (1.0) RTT_INIT_RIPAS entry, each hashing a 256-byte descriptor holding the old RIM.
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { HashAlgo } from './constants';

export const MEASUREMENT_SLOT = 64;
const DESC_SIZE = 0x100;

export function hash(algo: number, bytes: Uint8Array): Uint8Array {
  switch (algo) {
    case HashAlgo.SHA_256: return sha256(bytes);
    case HashAlgo.SHA_512: return sha512(bytes);
    case HashAlgo.SHA_384: return sha384(bytes);
    default: throw new RangeError(`unsupported hash algorithm ${algo}`);
  }
}

/** A digest zero-extended to a 64-byte measurement slot. */
export function slot(digest: Uint8Array): Uint8Array {
  const out = new Uint8Array(MEASUREMENT_SLOT);
  out.set(digest.subarray(0, MEASUREMENT_SLOT));
  return out;
}

/** Offsets in RmiRealmParams of the fields RimInit measures: flags, s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs, hash_algo. */
const MEASURED_REALM_PARAMS = [0x000, 0x008, 0x010, 0x018, 0x020, 0x028, 0x030];

/** RimInit: hash of the 4 KB realm params with everything but the measured fields zeroed. */
export function rimInit(algo: number, params: Uint8Array): Uint8Array {
  const m = new Uint8Array(4096);
  for (const off of MEASURED_REALM_PARAMS) m.set(params.subarray(off, off + 8), off);
  return slot(hash(algo, m));
}

function extend(algo: number, desc: Uint8Array): Uint8Array {
  return slot(hash(algo, desc));
}

function descriptor(type: number, rim: Uint8Array): { d: Uint8Array; v: DataView } {
  const d = new Uint8Array(DESC_SIZE);
  const v = new DataView(d.buffer);
  d[0] = type;
  v.setBigUint64(0x8, BigInt(DESC_SIZE), true);
  // The RIM field carries the digest as the RMM stores it: zero-extended to 64 bytes.
  d.set(rim.subarray(0, MEASUREMENT_SLOT), 0x10);
  return { d, v };
}

/** RmmMeasurementDescriptorData (DATA_CREATE / RTT_DATA_MAP_INIT). `content` is H(granule) or undefined. */
export function extendData(algo: number, rim: Uint8Array, ipa: bigint, flags: bigint, content: Uint8Array | undefined): Uint8Array {
  const { d, v } = descriptor(0x0, rim);
  v.setBigUint64(0x50, ipa, true);
  v.setBigUint64(0x58, flags, true);
  if (content) d.set(content.subarray(0, MEASUREMENT_SLOT), 0x60);
  return extend(algo, d);
}

/** Offsets in RmiRecParams of the fields a REC measurement covers: flags, pc, gprs[0..7]. */
const MEASURED_REC_PARAMS: [number, number][] = [[0x000, 8], [0x200, 8], [0x300, 64]];

/** RmmMeasurementDescriptorRec (REC_CREATE of a runnable REC). */
export function extendRec(algo: number, rim: Uint8Array, recParams: Uint8Array): Uint8Array {
  const m = new Uint8Array(4096);
  for (const [off, len] of MEASURED_REC_PARAMS) m.set(recParams.subarray(off, off + len), off);
  const { d } = descriptor(0x1, rim);
  d.set(slot(hash(algo, m)), 0x50);
  return extend(algo, d);
}

/** RmmMeasurementDescriptorRipas (1.0 RTT_INIT_RIPAS, once per RTT entry processed). */
export function extendRipas(algo: number, rim: Uint8Array, base: bigint, top: bigint): Uint8Array {
  const { d, v } = descriptor(0x2, rim);
  v.setBigUint64(0x50, base, true);
  v.setBigUint64(0x58, top, true);
  return extend(algo, d);
}
