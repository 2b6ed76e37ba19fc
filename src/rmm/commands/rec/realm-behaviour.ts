// What happens between REC entry and REC exit. Realm execution is not modelled: the realm's
// behaviour is a per-REC script of exits (RmmState.queueRecExit). Entry applies what the host
// completes for the realm (spec A4.2); the run takes the next scripted exit (an IRQ when none is
// queued), updates the REC as the spec's exit rules say (A4.3) and returns the RmiRecExit fields.
import { RealmState } from '../../constants';
import type { Realm, Rec, ScriptedExit } from '../../objects';
import { isProtectedIpa } from '../../rtt';
import { needsPsciComplete, isCpuOn, PsciFid } from './psci';
import { EnterFlag, ExitReason, GICV3_HCR_HOST_BITS, GICV3_NUM_LRS, type RecEnter, type RecExit } from './rec-run';

const bit = (n: number) => 1n << BigInt(n);
const bits = (hi: number, lo: number) => ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);
const EC = bits(31, 26);
const EC_WFX = 0x01n;
const EC_IABT_LOWER = 0x20n;
const EC_DABT_LOWER = 0x24n;
const ISV = bit(24);
const WNR = bit(6);
/** Fields every abort exit shows the host: EC, SET [12:11], FnV [10], EA [9], xFSC [5:0]. */
const ABORT_COMMON = EC | bits(12, 11) | bit(10) | bit(9) | bits(5, 0);
/** Extra fields of an emulatable data abort: ISV, SAS [23:22], SF [15], WnR (not SSE, not SRT). */
const ABORT_EMULATABLE = ISV | bits(23, 22) | bit(15) | WNR;
const IL = bit(25);
/** SError: EC, IDS [24], AET [12:10], EA [9], DFSC [5:0]. */
const SERROR_FIELDS = EC | bit(24) | bits(12, 10) | bit(9) | bits(5, 0);

const RSI_SUCCESS = 0n;
const RSI_ACCEPT = 0n;
const RSI_REJECT = 1n;

/** Spec A4.2: completes, inside the REC, what the host's RmiRecEnter answers. */
export function completeEntry(rec: Rec, enter: RecEnter): void {
  // Emulated MMIO (A4.2.3): the access completes; a read loads enter.gprs[0] into the target register.
  if (rec.emulatableAbort && (enter.flags & EnterFlag.EMUL_MMIO) !== 0n && (enter.flags & EnterFlag.INJECT_SEA) === 0n) {
    const esr = rec.lastEsr ?? 0n;
    const srt = Number((esr >> 16n) & 0x1fn);
    if ((esr & WNR) === 0n && srt !== 31) {
      const size = 1n << ((esr >> 22n) & 3n);
      rec.gprs[srt] = enter.gprs[0] & ((1n << (8n * size)) - 1n);
    }
    rec.pc += 4n;
  }
  // A pending RIPAS change (A5.4): the realm learns how far the host got and whether it rejected.
  if (rec.ripasTop !== 0) {
    rec.gprs[0] = RSI_SUCCESS;
    rec.gprs[1] = BigInt(rec.ripasAddr);
    rec.gprs[2] = (enter.flags & EnterFlag.RIPAS_RESPONSE) !== 0n ? RSI_REJECT : RSI_ACCEPT;
  }
  // A host call completes: enter.gprs go to the realm's RsiHostCall page (realm memory is not modelled).
  rec.hostCallPending = false;
}

/** Runs the REC until its next scripted exit; updates REC and realm and returns the exit fields. */
export function runUntilExit(rec: Rec, realm: Realm, enter: RecEnter): RecExit {
  const x: ScriptedExit = rec.exits?.shift() ?? { reason: 'IRQ' };
  // Attributes every exit resets unless the exit sets them (A4.3.4.3, A4.3.7, A4.3.8).
  rec.emulatableAbort = false;
  rec.lastEsr = undefined;
  rec.psciPending = false;
  rec.ripasAddr = 0;
  rec.ripasTop = 0;
  const out = exitFields(rec, realm, x);
  // 1.0 GIC state (absent in 2.0): the LRs come back as the realm left them, here as entered; En reads 0.
  out.gicv3Hcr = enter.gicv3Hcr & GICV3_HCR_HOST_BITS;
  out.gicv3Lrs = enter.gicv3Lrs.slice(0, GICV3_NUM_LRS);
  return out;
}

function exitFields(rec: Rec, realm: Realm, x: ScriptedExit): RecExit {
  switch (x.reason) {
    case 'IRQ': return { reason: ExitReason.IRQ };
    case 'FIQ': return { reason: ExitReason.FIQ };
    case 'SERROR': return { reason: ExitReason.SERROR, esr: (x.esr ?? 0n) & SERROR_FIELDS };
    case 'SYNC': return syncExit(rec, realm, x);
    case 'PSCI': {
      const args = [...(x.args ?? []), 0n, 0n, 0n].slice(0, 3);
      // The realm's X0..X3 stay in the REC: PSCI_COMPLETE reads the request from there.
      rec.gprs[0] = x.fid;
      args.forEach((a, i) => (rec.gprs[i + 1] = a));
      rec.psciPending = needsPsciComplete(x.fid);
      if (x.fid === PsciFid.CPU_OFF) rec.runnable = false;
      if (x.fid === PsciFid.SYSTEM_OFF || x.fid === PsciFid.SYSTEM_RESET) realm.state = RealmState.SYSTEM_OFF;
      // Sanitised: CPU_ON's entry point and context id are the realm's business, not the host's.
      const shown = isCpuOn(x.fid) ? [args[0], 0n, 0n] : args;
      return { reason: ExitReason.PSCI, gprs: [x.fid, ...shown] };
    }
    case 'RIPAS_CHANGE':
      rec.ripasAddr = Number(x.base);
      rec.ripasTop = Number(x.top);
      rec.ripasValue = x.ripas;
      rec.ripasDestroyed = x.changeDestroyed ?? false;
      return { reason: ExitReason.RIPAS_CHANGE, ripasBase: x.base, ripasTop: x.top, ripasValue: BigInt(x.ripas) };
    case 'HOST_CALL':
      rec.hostCallPending = true;
      return { reason: ExitReason.HOST_CALL, imm: BigInt(x.imm & 0xffff), gprs: [...(x.gprs ?? [])].slice(0, 31) };
  }
}

/** A synchronous exception exit, with ESR/FAR sanitised as spec A4.3.4 prescribes. */
function syncExit(rec: Rec, realm: Realm, x: Extract<ScriptedExit, { reason: 'SYNC' }>): RecExit {
  const ec = (x.esr & EC) >> 26n;
  const hpfar = x.hpfar ?? 0n;
  if (ec === EC_DABT_LOWER) {
    // HPFAR_EL2.FIPA [47:4] holds IPA[51:12].
    const ipa = ((hpfar >> 4n) & bits(43, 0)) << 12n;
    const unprotected = !isProtectedIpa(Number(ipa), realm.ipaWidth);
    const emulatable = unprotected && (x.esr & ISV) !== 0n;
    rec.emulatableAbort = emulatable;
    rec.lastEsr = x.esr;
    const keep = ABORT_COMMON | (emulatable ? ABORT_EMULATABLE : 0n) | (unprotected && !emulatable ? IL : 0n);
    const write = emulatable && (x.esr & WNR) !== 0n;
    return {
      reason: ExitReason.SYNC, esr: x.esr & keep, hpfar,
      far: emulatable ? (x.far ?? 0n) & 0xfffn : 0n,
      gprs: write ? [x.data ?? 0n] : undefined,
    };
  }
  if (ec === EC_IABT_LOWER) return { reason: ExitReason.SYNC, esr: x.esr & ABORT_COMMON, hpfar };
  if (ec === EC_WFX) return { reason: ExitReason.SYNC, esr: x.esr & (EC | bits(1, 0)) };
  return { reason: ExitReason.SYNC, esr: x.esr & EC };
}
