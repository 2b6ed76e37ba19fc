// SHA-256 (FIPS 180-4) for the RIM, written for the emulator's hot path: every DATA_CREATE /
// RTT_DATA_MAP_INIT hashes a 256-byte descriptor, and with RMI_MEASURE_CONTENT a 4 KB page too.
// Compared with a general streaming hasher it allocates nothing but the digest it returns (state,
// schedule and tail buffers are module-level and reused: calls are synchronous, never re-entered),
// skips the message schedule of all-zero blocks (its words are all zero: measurement descriptors
// are mostly zero, and so are many pages), and precomputes K + W of the final padding block when
// the message is a whole number of blocks (both descriptors and pages are). No node built-ins:
// the emulator also runs in a web worker.

const K = Int32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
);

const IV = Int32Array.of(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);

export const SHA256_DIGEST = 32;
const BLOCK = 64;

/** The running hash value H0..H7 of the call in progress. */
const H = new Int32Array(8);
/** The message schedule W0..W63 of the block being hashed. */
const W = new Int32Array(64);
/** K + W, what the rounds add. */
const KW = new Int32Array(64);
/** The last one or two blocks of a message whose length is not a whole number of blocks, padded. */
const TAIL = new Uint8Array(2 * BLOCK);

/** Loads the block at byte `off` as W0..W15 (big-endian words); returns 0 when they are all zero. */
function loadBytes(b: Uint8Array, off: number): number {
  let any = 0;
  for (let i = 0; i < 16; i++) {
    const j = off + 4 * i;
    const w = (b[j] << 24) | (b[j + 1] << 16) | (b[j + 2] << 8) | b[j + 3];
    W[i] = w;
    any |= w;
  }
  return any;
}

/** Loads the block at word `off` of a message kept as big-endian words; returns 0 when all zero. */
function loadWords(m: Int32Array, off: number): number {
  let any = 0;
  for (let i = 0; i < 16; i++) {
    const w = m[off + i];
    W[i] = w;
    any |= w;
  }
  return any;
}

/** W16..W63 from W0..W15, and KW = K + W. */
function expand(): void {
  for (let i = 0; i < 16; i++) KW[i] = (W[i] + K[i]) | 0;
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15];
    const w2 = W[i - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    const w = (s1 + W[i - 7] + s0 + W[i - 16]) | 0;
    W[i] = w;
    KW[i] = (w + K[i]) | 0;
  }
}

/**
 * The 64 rounds with `kw[i]` = K[i] + W[i], folded into H. Unrolled by eight, renaming a..h
 * instead of shifting them (each round changes only two of them): about a third faster in V8
 * than the textbook loop. Ch(e, f, g) = g ^ (e & (f ^ g)); Maj(a, b, c) = (a & b) | (c & (a | b)).
 */
function rounds(kw: Int32Array): void {
  let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
  let t = 0;
  for (let i = 0; i < 64; i += 8) {
    t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + kw[i]) | 0;
    d = (d + t) | 0;
    h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
    t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + kw[i + 1]) | 0;
    c = (c + t) | 0;
    g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
    t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + kw[i + 2]) | 0;
    b = (b + t) | 0;
    f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
    t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + kw[i + 3]) | 0;
    a = (a + t) | 0;
    e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
    t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + kw[i + 4]) | 0;
    h = (h + t) | 0;
    d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
    t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + kw[i + 5]) | 0;
    g = (g + t) | 0;
    c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
    t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + kw[i + 6]) | 0;
    f = (f + t) | 0;
    b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
    t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + kw[i + 7]) | 0;
    e = (e + t) | 0;
    a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  }
  H[0] = (H[0] + a) | 0;
  H[1] = (H[1] + b) | 0;
  H[2] = (H[2] + c) | 0;
  H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0;
  H[5] = (H[5] + f) | 0;
  H[6] = (H[6] + g) | 0;
  H[7] = (H[7] + h) | 0;
}

/** Hashes the block just loaded (an all-zero block's schedule is all zero: K + W = K). */
function loaded(any: number): void {
  if (any === 0) {
    rounds(K);
  } else {
    expand();
    rounds(KW);
  }
}

/** Writes the 64-bit big-endian bit length of an `n`-byte message at the end of the block at `end - 8`. */
function putBitLength(b: Uint8Array, end: number, n: number): void {
  const hi = Math.floor(n / 0x2000_0000); // n * 8 / 2^32
  const lo = (n * 8) >>> 0;
  b[end - 8] = hi >>> 24;
  b[end - 7] = hi >>> 16;
  b[end - 6] = hi >>> 8;
  b[end - 5] = hi;
  b[end - 4] = lo >>> 24;
  b[end - 3] = lo >>> 16;
  b[end - 2] = lo >>> 8;
  b[end - 1] = lo;
}

/** K + W of the padding block that ends a message of `n` bytes, n a multiple of 64, by n. */
const paddingKw = new Map<number, Int32Array>();
const PADDING_CACHE_MAX = 16;

function paddingBlockKw(n: number): Int32Array {
  let kw = paddingKw.get(n);
  if (!kw) {
    const p = new Uint8Array(BLOCK);
    p[0] = 0x80;
    putBitLength(p, BLOCK, n);
    loadBytes(p, 0);
    expand();
    kw = KW.slice();
    if (paddingKw.size < PADDING_CACHE_MAX) paddingKw.set(n, kw);
  }
  return kw;
}

/** Leaves SHA-256 of `bytes[0, length)` in H. */
function hashBytes(bytes: Uint8Array, length: number): void {
  H.set(IV);
  const full = length - (length % BLOCK);
  for (let off = 0; off < full; off += BLOCK) loaded(loadBytes(bytes, off));
  const rest = length - full;
  if (rest === 0) {
    rounds(paddingBlockKw(length));
    return;
  }
  // The tail, 0x80, zeros, and the bit length: one block, or two when fewer than 9 bytes are left.
  const end = rest + 9 <= BLOCK ? BLOCK : 2 * BLOCK;
  TAIL.fill(0);
  TAIL.set(bytes.subarray(full, length));
  TAIL[rest] = 0x80;
  putBitLength(TAIL, end, length);
  loaded(loadBytes(TAIL, 0));
  if (end > BLOCK) loaded(loadBytes(TAIL, BLOCK));
}

/** H as 32 big-endian bytes into out[at, at + 32). */
function digestBytes(out: Uint8Array, at: number): Uint8Array {
  for (let i = 0; i < 8; i++) {
    const h = H[i];
    const j = at + 4 * i;
    out[j] = h >>> 24;
    out[j + 1] = h >>> 16;
    out[j + 2] = h >>> 8;
    out[j + 3] = h;
  }
  return out;
}

/**
 * SHA-256 of `bytes[0, length)` written big-endian into `out[at, at + 32)`; `out` may be `bytes`
 * itself only past `length`. Returns `out`.
 */
export function sha256Into(bytes: Uint8Array, length: number, out: Uint8Array, at: number): Uint8Array {
  hashBytes(bytes, length);
  return digestBytes(out, at);
}

/** SHA-256 of `bytes`, as a new 32-byte array. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return sha256Into(bytes, bytes.length, new Uint8Array(SHA256_DIGEST), 0);
}

/** SHA-256 of `bytes[0, length)` as eight big-endian words into `to[at, at + 8)` (a message kept as words). */
export function sha256IntoWords(bytes: Uint8Array, length: number, to: Int32Array, at: number): void {
  hashBytes(bytes, length);
  for (let i = 0; i < 8; i++) to[at + i] = H[i];
}

/**
 * SHA-256 of a message of `blocks` whole 64-byte blocks kept as big-endian words (`words[0,
 * 16 * blocks)`), into `out[at, at + 32)`: the measurement descriptors are built this way, which
 * spares packing them into bytes only to unpack them again. Returns `out`.
 */
export function sha256WordsInto(words: Int32Array, blocks: number, out: Uint8Array, at: number): Uint8Array {
  H.set(IV);
  for (let b = 0; b < blocks; b++) loaded(loadWords(words, 16 * b));
  rounds(paddingBlockKw(blocks * BLOCK));
  return digestBytes(out, at);
}
