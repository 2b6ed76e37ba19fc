// A 1.0 realm driven only through raw rmm.smc calls and no tracing, as fast as a host can drive
// it: for the benchmarks (populate) and the property tests (a realistic starting state).
// RmiRealmParams offsets are those of reference 6.1.
import { Fid, type Rmm } from '../../../src/rmm';

export const GRANULE = 0x1000n;
const L2_SPAN = 0x20_0000n;
const L1_SPAN = 0x4000_0000n;

const F = {
  DELEGATE: BigInt(Fid.RMI_GRANULE_DELEGATE),
  REALM_CREATE: BigInt(Fid.RMI_REALM_CREATE),
  RTT_CREATE: BigInt(Fid.RMI_RTT_CREATE),
  DATA_CREATE: BigInt(Fid.RMI_DATA_CREATE),
};

/** Status byte of X0. */
export const status = (x: bigint[]): number => Number(x[0] & 0xffn);

function ok(x: bigint[], what: string): void {
  if (status(x) !== 0) throw new Error(`${what} failed with status ${status(x)}`);
}

/** Hands out consecutive host pages from `next` (all UNDELEGATED to begin with). */
export class PageAllocator {
  constructor(public next: bigint) {}

  page(): bigint {
    const pa = this.next;
    this.next += GRANULE;
    return pa;
  }
}

export interface RawRealm {
  rd: bigint;
  rtt: bigint;
  vmid: number;
}

/** RmiRealmParams for a 39-bit IPA space, starting level 1, one root RTT at `rtt`. */
export function writeRealmParams(rmm: Rmm, at: bigint, rtt: bigint, vmid: number): void {
  const b = new Uint8Array(4096);
  const v = new DataView(b.buffer);
  v.setBigUint64(0x008, 39n, true); // s2sz
  v.setBigUint64(0x018, 1n, true); // num_bps
  v.setBigUint64(0x020, 1n, true); // num_wps
  v.setBigUint64(0x800, BigInt(vmid), true);
  v.setBigUint64(0x808, rtt, true); // rtt_base
  v.setBigInt64(0x810, 1n, true); // rtt_level_start
  v.setBigUint64(0x818, 1n, true); // rtt_num_start
  rmm.memory.write(at, b);
}

/** Delegates an RD and a root RTT and creates a realm with RMI_REALM_CREATE. */
export function createRealm(rmm: Rmm, pages: PageAllocator, vmid = 1): RawRealm {
  const params = pages.page();
  const rtt = pages.page();
  const rd = pages.page();
  ok(rmm.smc(F.DELEGATE, rtt), 'GRANULE_DELEGATE rtt');
  ok(rmm.smc(F.DELEGATE, rd), 'GRANULE_DELEGATE rd');
  writeRealmParams(rmm, params, rtt, vmid);
  ok(rmm.smc(F.REALM_CREATE, rd, params), 'REALM_CREATE');
  return { rd, rtt, vmid };
}

/**
 * Populates `bytes` of IPA space from IPA 0 with DATA_CREATE, creating the level-2 and level-3
 * RTTs as it goes: per page GRANULE_DELEGATE + DATA_CREATE, per 2 MiB one RTT_CREATE (+ delegate).
 * The source page is never written, so contents stay sparse (every DATA granule reads as zero).
 */
export function populate(rmm: Rmm, realm: RawRealm, pages: PageAllocator, bytes: bigint, flags = 0n): void {
  const src = pages.page();
  for (let ipa = 0n; ipa < bytes; ipa += GRANULE) {
    if (ipa % L1_SPAN === 0n) createRtt(rmm, realm, pages, ipa, 2n);
    if (ipa % L2_SPAN === 0n) createRtt(rmm, realm, pages, ipa, 3n);
    const data = pages.page();
    ok(rmm.smc(F.DELEGATE, data), 'GRANULE_DELEGATE data');
    ok(rmm.smc(F.DATA_CREATE, realm.rd, data, ipa, src, flags), 'DATA_CREATE');
  }
}

function createRtt(rmm: Rmm, realm: RawRealm, pages: PageAllocator, ipa: bigint, level: bigint): void {
  const rtt = pages.page();
  ok(rmm.smc(F.DELEGATE, rtt), 'GRANULE_DELEGATE rtt');
  ok(rmm.smc(F.RTT_CREATE, realm.rd, rtt, ipa, level), `RTT_CREATE level ${level}`);
}
