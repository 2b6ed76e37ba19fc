// The RIM extensions (src/rmm/measurement.ts) against the node:crypto oracle, in sequences that
// mix descriptor types: all of them share one descriptor buffer and hash only the blocks their
// builder wrote (the rest is known to be zero), so a field left over from a previous descriptor
// (a REC's content slot, a DATA's content hash) would change the next RIM. Also SHA-256 over
// words with an implicit zero tail, which those extensions use.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { extendData, extendRec, extendRipas } from '../../src/rmm/measurement';
import { sha256WordsInto } from '../../src/rmm/sha256';
import { digest, rimExtendData, rimExtendRipas } from './helpers/rim-oracle';
import { bytes } from './helpers/random-bytes';

/** RmmMeasurementDescriptorRec: content = H(flags, pc, gprs[0..7] of the REC params, the rest zero). */
function oracleRec(algo: number, rim: Uint8Array, params: Uint8Array): Uint8Array {
  const measured = new Uint8Array(4096);
  measured.set(params.subarray(0, 8), 0);
  measured.set(params.subarray(0x200, 0x208), 0x200);
  measured.set(params.subarray(0x300, 0x340), 0x300);
  const d = new Uint8Array(0x100);
  d[0] = 1;
  new DataView(d.buffer).setBigUint64(0x8, 0x100n, true);
  d.set(rim, 0x10);
  d.set(digest(algo, measured), 0x50);
  return digest(algo, d);
}

describe('RIM extensions in mixed sequences', () => {
  for (const algo of [0, 1, 2]) {
    it(`hash ${algo}: REC, DATA with and without content, RIPAS, in turn, match the oracle`, () => {
      let rim = digest(algo, bytes(64, 1));
      let want = rim;
      const params = bytes(4096, 2);
      const page = bytes(4096, 3);
      for (let i = 0; i < 3; i++) {
        rim = extendRec(algo, rim, params);
        want = oracleRec(algo, want, params);
        assert.deepEqual(rim, want, `REC ${i}`);
        // Right after a REC (whose content slot reaches 0x90): a DATA without content.
        const ipa = 0x1_2345_6000 + i * 0x1000;
        rim = extendData(algo, rim, ipa, 0n, false, undefined);
        want = rimExtendData(algo, want, BigInt(ipa), 0n);
        assert.deepEqual(rim, want, `DATA without content after REC ${i}`);
        rim = extendData(algo, rim, ipa + 0x1000, 1n, true, page);
        want = rimExtendData(algo, want, BigInt(ipa + 0x1000), 1n, page);
        assert.deepEqual(rim, want, `DATA with content ${i}`);
        // Right after a DATA with content (its hash at 0x60): a RIPAS descriptor, then a never-written page.
        rim = extendRipas(algo, rim, 0x4000n, 0x8000_0000n + BigInt(i));
        want = rimExtendRipas(algo, want, 0x4000n, 0x8000_0000n + BigInt(i));
        assert.deepEqual(rim, want, `RIPAS ${i}`);
        rim = extendData(algo, rim, 0, 0xfedc_ba98_7654_3211n, true, undefined);
        want = rimExtendData(algo, want, 0n, 0xfedc_ba98_7654_3211n, new Uint8Array(4096));
        assert.deepEqual(rim, want, `DATA of a zero page ${i}`);
      }
    });
  }

  it('SHA-256 of words followed by an implicit zero tail equals the hash of the whole message', () => {
    for (const [blocks, zeros] of [[0, 1], [1, 0], [1, 3], [2, 2], [3, 1], [0, 4]]) {
      const msg = bytes(64 * (blocks + zeros), blocks * 8 + zeros);
      msg.fill(0, 64 * blocks);
      const words = new Int32Array(16 * blocks + 16).fill(-1); // words past the blocks are not read
      const v = new DataView(msg.buffer);
      for (let i = 0; i < 16 * blocks; i++) words[i] = v.getInt32(4 * i, false);
      const got = sha256WordsInto(words, blocks, new Uint8Array(32), 0, zeros);
      assert.equal(Buffer.from(got).toString('hex'), createHash('sha256').update(msg).digest('hex'), `${blocks} + ${zeros} zero blocks`);
    }
  });
});
