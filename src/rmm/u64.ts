// BigInt register values to JS numbers, fast. Number(bigint) costs ~20 ns in V8 (a runtime call),
// which alone would halve the emulator's call rate; storing the value into a BigUint64Array and
// reading it back as two 32-bit halves costs ~5 ns and gives the same result for 0 <= x < 2^53.
const U64 = new BigUint64Array(1);
const U32 = new Uint32Array(U64.buffer);
/** Index of the low / high 32-bit half in U32 (platform byte order). */
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;
const MAX_SAFE = 0x1f_ffff_ffff_ffffn;

/**
 * A register value as an address or size: Number(x) below 2^53, and 2^53 (granule aligned and
 * beyond every bound) for anything larger, so huge values fail `*_bound` checks, not `*_align`.
 */
export function clampedNumber(x: bigint): number {
  if (x >= 0n && x <= MAX_SAFE) {
    U64[0] = x;
    return U32[HI] * 4294967296 + U32[LO];
  }
  return x > MAX_SAFE ? 2 ** 53 : Number(x);
}

/** Number(BigInt.asUintN(64, x)): a 64-bit register value as a double (exact below 2^53). */
export function u64Wrap(x: bigint): number {
  U64[0] = x;
  return U32[HI] * 4294967296 + U32[LO];
}

/** The low 32 bits of a 64-bit register value (flag words), without allocating a BigInt. */
export function low32(x: bigint | number): number {
  if (typeof x === 'number') return x % 0x1_0000_0000; // a number register: an integer in [0, 2^53)
  U64[0] = x;
  return U32[LO];
}

/** The high 32 bits of a 64-bit register value. */
export function high32(x: bigint): number {
  U64[0] = x;
  return U32[HI];
}

/**
 * A register value inside the emulator: a number when it is an integer in [0, 2^53) (nearly
 * every PA, IPA, level, flag word), else a BigInt in [0, 2^64). Callers that hold numbers (the C
 * machine) so pass registers without making BigInts, and commands read them without converting.
 */
export type Reg = bigint | number;

/** A register as a BigInt (for the commands that work on all 64 bits: flags, descriptors, handles). */
export function regBig(x: Reg): bigint {
  return typeof x === 'bigint' ? x : BigInt(x);
}
