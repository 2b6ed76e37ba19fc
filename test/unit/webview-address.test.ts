import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRegions, locateAddress, parseAddress } from '../../src/webview/model/address';

const REGIONS = [{ base: '0x80000000', count: 262_144 }];
const TWO = [{ base: '0x80000000', count: 512 }, { base: '0x880000000', count: 512 }];

describe('webview address search', () => {
  it('reads hex the ways kernel and spec write it', () => {
    for (const text of ['0x80001000', '0x8000_1000', ' 0X80001000 ', '80001000', '0x80001000ULL', '0x8000 1000']) {
      const r = parseAddress(text);
      assert.ok(r.ok, text);
      assert.equal(r.pa, 0x80001000n, text);
    }
  });

  it('explains bad input instead of guessing', () => {
    const e = (t: string) => { const r = parseAddress(t); assert.equal(r.ok, false, t); return r.ok ? '' : r.error; };
    assert.match(e(''), /type a physical address/i);
    assert.match(e('   '), /type a physical address/i);
    assert.match(e('0xZZ'), /not a hex address/);
    assert.match(e('0x'), /not a hex address/);
    assert.match(e('hello'), /not a hex address/);
    assert.match(e('-0x10'), /not a hex address/);
    assert.match(e('0x1_0000_0000_0000_0000'), /64 bits/);
  });

  it('finds the granule of any address inside it', () => {
    assert.deepEqual(locateAddress('0x80000000', REGIONS), { ok: true, pa: 0x80000000n, index: 0 });
    const r = locateAddress('0x8000_1fff', REGIONS);
    assert.ok(r.ok);
    assert.equal(r.index, 1);
    const last = locateAddress('0xbfff_ffff', REGIONS);
    assert.ok(last.ok);
    assert.equal(last.index, 262_143);
  });

  it('says clearly when the address is outside DRAM, naming the DRAM ranges', () => {
    const r = locateAddress('0xc0000000', REGIONS);
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.error, '0xc000_0000 is outside DRAM (0x8000_0000-0xbfff_ffff).');
    const low = locateAddress('0x1000', REGIONS);
    assert.match(low.ok ? '' : low.error, /outside DRAM/);
  });

  it('numbers granules across several DRAM regions in PA order', () => {
    const r = locateAddress('0x8_8000_2000', TWO);
    assert.ok(r.ok);
    assert.equal(r.index, 514);
    const gap = locateAddress('0x80200000', TWO);
    assert.equal(gap.ok, false, 'the hole between the regions is not DRAM');
    assert.equal(describeRegions(TWO), '0x8000_0000-0x801f_ffff, 0x8_8000_0000-0x8_801f_ffff');
  });
});
