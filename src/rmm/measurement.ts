// Realm Initial Measurement (reference section 5.23; spec A7.1 and C1.11-C1.13): RimInit over a
// zeroed copy of the measured RmiRealmParams fields, then one extension per DATA_CREATE, runnable
// REC_CREATE and (1.0) RTT_INIT_RIPAS entry, each hashing a 256-byte descriptor holding the old RIM.
//
// DATA_CREATE is the call hosts make most (one per 4 KB page populated), so an extension builds
// its descriptor in one reused buffer, directly as the words SHA-256 reads, and hashes it with
// sha256.ts, which allocates nothing: the only allocation per extension is the new 64-byte RIM. SHA-512 / SHA-384 realms (rare) use
// @noble/hashes.
import { sha384, sha512 } from '@noble/hashes/sha2.js';
import { HashAlgo } from './constants';
import { sha256, sha256IntoWords, sha256WordsInto } from './sha256';
import { high32, low32 } from './u64';

export const MEASUREMENT_SLOT = 64;
const DESC_SIZE = 0x100;
const PAGE_SIZE = 4096;

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
  const m = new Uint8Array(PAGE_SIZE);
  for (const off of MEASURED_REALM_PARAMS) m.set(params.subarray(off, off + 8), off);
  return slot(hash(algo, m));
}

/**
 * The descriptor being built, as the 64 big-endian 32-bit words SHA-256 reads (word i holds bytes
 * 4i..4i+3). Calls are synchronous and never nested, so one buffer serves them all; each use
 * rewrites every word.
 */
const DESC_W = new Int32Array(DESC_SIZE / 4);
/**
 * End of the words a descriptor builder writes: the last field any of them has is a 64-byte
 * content slot, at 0x50 (REC) or 0x60 (DATA), so nothing from 0xa0 on is ever written; those
 * words stay zero and `descriptor` clears only the ones before.
 */
const DESC_WRITTEN_END = 0xa0 / 4;
/** The same descriptor as bytes, for SHA-512 / SHA-384. */
const DESC = new Uint8Array(DESC_SIZE);
const DESC_VIEW = new DataView(DESC.buffer);

/** Byte-swaps a 32-bit word: a little-endian field's bytes, read as a big-endian word. */
function bswap(x: number): number {
  return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

/** Puts `bytes[0, 4n)` at word `w` (n words). */
function putBytes(w: number, bytes: Uint8Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const j = 4 * i;
    DESC_W[w + i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
  }
}

/** A little-endian u64 field at word `w` from its low and high 32 bits. */
function putU64(w: number, lo: number, hi: number): void {
  DESC_W[w] = bswap(lo);
  DESC_W[w + 1] = bswap(hi);
}

/** A little-endian u64 field from a number below 2^53. */
function putU64Number(w: number, v: number): void {
  putU64(w, v % 0x1_0000_0000, Math.floor(v / 0x1_0000_0000));
}

function putU64Big(w: number, v: bigint): void {
  putU64(w, low32(v), high32(v));
}

/**
 * Starts a descriptor of `type`: {desc_type @0x0, len @0x8, rim @0x10 (the old RIM as the RMM
 * stores it, zero-extended to 64 bytes)}, every word from 0x50 on zero.
 */
function descriptor(type: number, rim: Uint8Array): void {
  DESC_W[0] = type << 24;
  DESC_W[1] = 0;
  DESC_W[2] = bswap(DESC_SIZE);
  DESC_W[3] = 0;
  putBytes(4, rim.length === MEASUREMENT_SLOT ? rim : slot(rim), MEASUREMENT_SLOT / 4);
  for (let i = 0x50 / 4; i < DESC_WRITTEN_END; i++) DESC_W[i] = 0;
}

/**
 * The new RIM: the hash of the descriptor, zero-extended to 64 bytes. `end`: the words the
 * builder may have written end before it (every later word is zero: see DESC_WRITTEN_END), so
 * SHA-256 need not look at the blocks from there on.
 */
function extend(algo: number, end: number): Uint8Array {
  if (algo === HashAlgo.SHA_256) {
    const blocks = Math.ceil(end / 16);
    return sha256WordsInto(DESC_W, blocks, new Uint8Array(MEASUREMENT_SLOT), 0, DESC_SIZE / 64 - blocks);
  }
  for (let i = 0; i < DESC_W.length; i++) DESC_VIEW.setInt32(4 * i, DESC_W[i], false);
  return slot(hash(algo, DESC));
}

/** H(zero page) by algorithm, zero-extended: a granule never written (the usual source of a populate) reads as zero. */
const zeroPageDigest = new Map<number, Uint8Array>();

/** H(page contents) into the descriptor at word `w`; `page` undefined: a zero page. */
function putContentHash(algo: number, page: Uint8Array | undefined, w: number): void {
  if (page && algo === HashAlgo.SHA_256) {
    sha256IntoWords(page, PAGE_SIZE, DESC_W, w); // the other 8 words of the slot stay zero
    return;
  }
  let d = page ? undefined : zeroPageDigest.get(algo);
  if (!d) {
    d = slot(hash(algo, page ?? new Uint8Array(PAGE_SIZE)));
    if (!page) zeroPageDigest.set(algo, d);
  }
  putBytes(w, d, MEASUREMENT_SLOT / 4);
}

/**
 * RmmMeasurementDescriptorData (DATA_CREATE / RTT_DATA_MAP_INIT): {ipa @0x50, flags @0x58,
 * H(contents) @0x60 when `measureContent`}. `page` is the data granule's 4 KB (undefined: never
 * written, reads as zero).
 */
export function extendData(algo: number, rim: Uint8Array, ipa: number, flags: bigint | number, measureContent: boolean, page: Uint8Array | undefined): Uint8Array {
  descriptor(0x0, rim);
  putU64Number(0x50 / 4, ipa);
  if (typeof flags === 'number') {
    if (flags !== 0) putU64Number(0x58 / 4, flags);
  } else if (flags !== 0n) putU64Big(0x58 / 4, flags);
  if (!measureContent) return extend(algo, 0x60 / 4);
  putContentHash(algo, page, 0x60 / 4);
  return extend(algo, 0xa0 / 4);
}

/** Offsets in RmiRecParams of the fields a REC measurement covers: flags, pc, gprs[0..7]. */
const MEASURED_REC_PARAMS: [number, number][] = [[0x000, 8], [0x200, 8], [0x300, 64]];

/** RmmMeasurementDescriptorRec (REC_CREATE of a runnable REC). */
export function extendRec(algo: number, rim: Uint8Array, recParams: Uint8Array): Uint8Array {
  const m = new Uint8Array(PAGE_SIZE);
  for (const [off, len] of MEASURED_REC_PARAMS) m.set(recParams.subarray(off, off + len), off);
  const content = slot(hash(algo, m));
  descriptor(0x1, rim);
  putBytes(0x50 / 4, content, MEASUREMENT_SLOT / 4);
  return extend(algo, 0x90 / 4);
}

/** RmmMeasurementDescriptorRipas (1.0 RTT_INIT_RIPAS, once per RTT entry processed). */
export function extendRipas(algo: number, rim: Uint8Array, base: bigint, top: bigint): Uint8Array {
  descriptor(0x2, rim);
  putU64Big(0x50 / 4, base);
  putU64Big(0x58 / 4, top);
  return extend(algo, 0x60 / 4);
}
