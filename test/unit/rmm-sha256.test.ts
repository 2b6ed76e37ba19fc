// The emulator's own SHA-256 (src/rmm/sha256.ts, used for every RIM extension) must agree with
// node:crypto for every length (one and two padding blocks, whole blocks, zero blocks it skips the
// schedule of) and for messages passed as words; and the fields u64.ts splits must be exact.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { sha256, sha256Into, sha256IntoWords, sha256WordsInto } from '../../src/rmm/sha256';
import { high32, low32 } from '../../src/rmm/u64';
import { bytes } from './helpers/random-bytes';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const reference = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sha256', () => {
  it('matches node:crypto for every length from 0 to 300 bytes, random and zero', () => {
    for (let n = 0; n <= 300; n++) {
      for (const b of [bytes(n, n + 1), new Uint8Array(n)]) assert.equal(hex(sha256(b)), reference(b), `length ${n}`);
    }
  });

  it('matches node:crypto for pages: zero, random, and mostly zero with a few bytes set', () => {
    const sparse = new Uint8Array(4096);
    sparse[0] = 1;
    sparse[2048] = 0x80;
    sparse[4095] = 0xff;
    for (const b of [new Uint8Array(4096), bytes(4096, 7), sparse, bytes(65536 + 17, 3)]) assert.equal(hex(sha256(b)), reference(b));
  });

  it('hashes a prefix into an offset of another array, leaving the rest alone', () => {
    const b = bytes(200, 9);
    const out = new Uint8Array(80).fill(0xee);
    sha256Into(b, 100, out, 40);
    assert.equal(hex(out.subarray(40, 72)), reference(b.subarray(0, 100)));
    assert.ok(out.subarray(0, 40).every((v) => v === 0xee) && out.subarray(72).every((v) => v === 0xee));
  });

  it('gives the same digest for a message passed as big-endian words', () => {
    for (const blocks of [1, 2, 4, 5]) {
      const b = bytes(64 * blocks, blocks);
      b.fill(0, 64, 128); // a zero block in the middle
      const words = new Int32Array(16 * blocks);
      const v = new DataView(b.buffer);
      for (let i = 0; i < words.length; i++) words[i] = v.getInt32(4 * i, false);
      assert.equal(hex(sha256WordsInto(words, blocks, new Uint8Array(32), 0)), reference(b), `${blocks} blocks`);
      const asWords = new Int32Array(10);
      sha256IntoWords(b, b.length, asWords, 1);
      const back = new Uint8Array(32);
      for (let i = 0; i < 8; i++) new DataView(back.buffer).setInt32(4 * i, asWords[1 + i], false);
      assert.equal(hex(back), reference(b));
    }
  });

  it('splits 64-bit values into exact 32-bit halves, wrapping as a register does', () => {
    for (const x of [0n, 1n, 0xffff_ffffn, 0x1_0000_0000n, 0x1234_5678_9abc_def0n, 2n ** 64n - 1n, -1n, 2n ** 64n + 5n]) {
      const u = BigInt.asUintN(64, x);
      assert.equal(low32(x), Number(u & 0xffff_ffffn));
      assert.equal(high32(x), Number(u >> 32n));
    }
  });
});
