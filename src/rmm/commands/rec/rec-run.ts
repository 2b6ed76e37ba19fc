// RmiRecRun, the NS page the host passes to RMI_REC_ENTER (spec B4.4.14-B4.4.16, A4.2, A4.3;
// reference 6.4): RmiRecEnter at 0x000, RmiRecExit at 0x800. The GIC fields exist only in 1.0
// (in 2.0 the host programs the vGIC registers itself).
import type { Profile } from '../../constants';
import type { RmmState } from '../../state';

export const EXIT_OFFSET = 0x800;

/** RmiRecEnterFlags. */
export const EnterFlag = { EMUL_MMIO: 1n << 0n, INJECT_SEA: 1n << 1n, TRAP_WFI: 1n << 2n, TRAP_WFE: 1n << 3n, RIPAS_RESPONSE: 1n << 4n } as const;

/** RmiRecExitReason. */
export const ExitReason = { SYNC: 0, IRQ: 1, FIQ: 2, PSCI: 3, RIPAS_CHANGE: 4, HOST_CALL: 5, SERROR: 6 } as const;

/**
 * GICv3 list registers the RMM offers (RMI_FEATURES register 0 GICV3_NUM_LRS + 1 in 1.0). All 16
 * slots of RmiRecEnter, so the host never has to size its list by the feature register.
 */
export const GICV3_NUM_LRS = 16;

export interface RecEnter {
  flags: bigint;
  gprs: bigint[];
  gicv3Hcr: bigint;
  gicv3Lrs: bigint[];
}

export function readRecEnter(st: RmmState, runPa: number, profile: Profile): RecEnter {
  const b = st.memory.read(runPa, EXIT_OFFSET);
  const v = new DataView(b.buffer);
  const u = (off: number) => v.getBigUint64(off, true);
  return {
    flags: u(0x0),
    gprs: Array.from({ length: 31 }, (_, i) => u(0x200 + 8 * i)),
    gicv3Hcr: profile === '1.0' ? u(0x300) : 0n,
    gicv3Lrs: profile === '1.0' ? Array.from({ length: 16 }, (_, i) => u(0x308 + 8 * i)) : [],
  };
}

/**
 * ICH_HCR_EL2 fields the host may set on entry (spec A6.1): UIE [1], LRENPIE [2], NPIE [3],
 * VGrp0EIE [4], VGrp0DIE [5], VGrp1EIE [6], VGrp1DIE [7], TDIR [14]. Anything else set fails entry.
 */
export const GICV3_HCR_HOST_BITS = 0xfen | (1n << 14n);
const LR_HW = 1n << 61n;
/** ICH_LR<n>_EL2 bits that are RES0: [59:56] and [47:45] (GICv3 architecture). */
const LR_RES0 = (0xfn << 56n) | (0x7n << 45n);

/**
 * Spec Gicv3ConfigIsValid (A6.1): gicv3_hcr sets only host-controlled fields; each list register
 * in use is an architecturally valid ICH_LR<n>_EL2 value with HW == 0 (the RMM cannot check the
 * physical interrupt a hardware-linked LR would name).
 */
export function gicv3ConfigIsValid(e: RecEnter): boolean {
  if ((e.gicv3Hcr & ~GICV3_HCR_HOST_BITS) !== 0n) return false;
  for (let i = 0; i < GICV3_NUM_LRS; i++) {
    const lr = e.gicv3Lrs[i] ?? 0n;
    if ((lr & LR_HW) !== 0n || (lr & LR_RES0) !== 0n) return false;
  }
  return true;
}

/** RmiRecExit fields (offsets relative to 0x800); everything not given is zero (spec A4.3.1). */
export interface RecExit {
  reason: number;
  esr?: bigint;
  far?: bigint;
  hpfar?: bigint;
  gprs?: readonly bigint[];
  gicv3Hcr?: bigint;
  gicv3Lrs?: readonly bigint[];
  ripasBase?: bigint;
  ripasTop?: bigint;
  ripasValue?: bigint;
  imm?: bigint;
}

/** Writes the whole RmiRecExit (zeroing what the exit does not set) into the run page. */
export function writeRecExit(st: RmmState, runPa: number, x: RecExit, profile: Profile): void {
  const b = new Uint8Array(EXIT_OFFSET);
  const v = new DataView(b.buffer);
  const put = (off: number, val: bigint | undefined) => v.setBigUint64(off, BigInt.asUintN(64, val ?? 0n), true);
  b[0] = x.reason;
  put(0x100, x.esr);
  put(0x108, x.far);
  put(0x110, x.hpfar);
  (x.gprs ?? []).slice(0, 31).forEach((g, i) => put(0x200 + 8 * i, g));
  if (profile === '1.0') {
    put(0x300, x.gicv3Hcr);
    (x.gicv3Lrs ?? []).slice(0, 16).forEach((lr, i) => put(0x308 + 8 * i, lr));
    // gicv3_misr @0x388 and gicv3_vmcr @0x390: no maintenance interrupt, default VMCR.
  }
  // Timers (cntp_* @0x400, cntv_* @0x410) are not modelled and read as zero.
  put(0x500, x.ripasBase);
  put(0x508, x.ripasTop);
  put(0x510, x.ripasValue);
  put(0x600, x.imm);
  st.memory.write(runPa + EXIT_OFFSET, b);
}
