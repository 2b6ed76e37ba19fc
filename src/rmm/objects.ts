// Realm and REC objects (reference sections 4.1 and 4.2).
import { RealmState } from './constants';

export interface Realm {
  /** Granule index of the RD. */
  rd: number;
  state: number;
  ipaWidth: number;
  lpa2: boolean;
  hashAlgo: number;
  rttBase: number;
  rttLevelStart: number;
  rttNumStart: number;
  /** Granule indices of the starting-level RTTs, in address order. */
  roots: number[];
  /** 1.0: chosen by the host; 2.0: allocated by the RMM. */
  vmid: number;
  /** Index the next REC must use (spec rec_index). */
  recIndex: number;
  numRecs: number;
  /** RECs inside REC_ENTER right now. */
  runningRecs: number;
  rpv: Uint8Array;
  /** measurements[0] is the RIM, 1..4 the REMs; each 64 bytes, zero-extended. */
  measurements: Uint8Array[];
  /** Feature choices from RmiRealmParams, kept for RTT_READ_ENTRY / attestation views. */
  flags: bigint;
  sveVl: number;
  numBps: number;
  numWps: number;
  pmuNumCtrs: number;
}

export interface Rec {
  /** Granule index of the REC. */
  gi: number;
  /** Granule index of the owning RD. */
  owner: number;
  running: boolean;
  runnable: boolean;
  mpidr: bigint;
  /** REC index derived from the MPIDR. */
  index: number;
  pc: bigint;
  gprs: bigint[];
  /** Granule indices of the auxiliary granules. */
  aux: number[];
  psciPending: boolean;
  ripasAddr: number;
  ripasTop: number;
  ripasValue: number;
  ripasDestroyed: boolean;
  hostCallPending: boolean;
  /** Last exit was an emulatable data abort (REC_ENTER rec_mmio check). */
  emulatableAbort: boolean;
  /** ESR of the last exit, kept to complete an emulated MMIO read on the next entry. */
  lastEsr?: bigint;
  /** Realm behaviour script: exits the next REC_ENTERs take, oldest first (see RmmState.queueRecExit). */
  exits?: ScriptedExit[];
}

/**
 * What the realm does the next time its REC runs. Realm execution is not modelled, so tests and
 * scenarios script it; RMI_REC_ENTER turns each into an RmiRecExit as the spec says (A4.3).
 * Register values are what the realm would produce (ESR_EL2, FAR_EL2, HPFAR_EL2, PSCI X0..X3).
 */
export type ScriptedExit =
  | { reason: 'SYNC'; esr: bigint; far?: bigint; hpfar?: bigint; /** value an emulatable MMIO write stores */ data?: bigint }
  | { reason: 'IRQ' }
  | { reason: 'FIQ' }
  | { reason: 'SERROR'; esr?: bigint }
  | { reason: 'PSCI'; fid: bigint; args?: readonly bigint[] }
  | { reason: 'RIPAS_CHANGE'; base: bigint; top: bigint; ripas: number; /** RSI flag: may change DESTROYED */ changeDestroyed?: boolean }
  | { reason: 'HOST_CALL'; imm: number; gprs?: readonly bigint[] };

export function cloneRealm(r: Realm): Realm {
  return { ...r, roots: [...r.roots], rpv: r.rpv.slice(), measurements: r.measurements.map((m) => m.slice()) };
}

export function cloneRec(r: Rec): Rec {
  const c = { ...r, gprs: [...r.gprs], aux: [...r.aux] };
  // Scripted exits are never mutated, only taken from the queue: copying the queue is enough.
  if (r.exits) c.exits = [...r.exits];
  return c;
}

/**
 * A 2.0 stateful RMI operation (SRO, reference 2.3) between its first call and its end: the
 * SRO command the RMM expects next, and the granules it holds on the operation's behalf. Plain
 * data, so a snapshot copies it with cloneSro. The commands that use it live in commands/v2.
 */
export interface SroContext {
  /** The handle the host passes to RMI_OP_* (X1 of the first RMI_INCOMPLETE). */
  handle: number;
  /** The command that started the operation. */
  command: 'RMI_REC_CREATE' | 'RMI_REC_DESTROY';
  /** The only SRO command accepted next (RMI_OP_CANCEL aside); any other one is RMI_ERROR_INPUT. */
  expect: 'RMI_OP_MEM_DONATE' | 'RMI_OP_MEM_RECLAIM' | 'RMI_OP_CONTINUE';
  /** What RMI_OP_CONTINUE does: the command's remaining work, or ending the operation. */
  next: 'complete' | 'finish';
  canCancel: boolean;
  /** Granule index of the object created or destroyed (PARTIAL while the operation runs). */
  obj: number;
  /** REC_CREATE: rd and params_ptr as the first call passed them (checked on completion). */
  rdPa: number;
  paramsPa: number;
  /** Granules the outstanding donate request still asks for. */
  wanted: number;
  /** Granule indices the operation holds (REC_AUX), in donation order; reclaim hands them back. */
  held: number[];
  /** How the operation ends once its memory is reclaimed (undefined: RMI_SUCCESS). */
  result?: { status: number; index: number; check: string };
}

export function cloneSro(c: SroContext): SroContext {
  return { ...c, held: [...c.held], ...(c.result ? { result: { ...c.result } } : {}) };
}

export function realmStateName(s: number): string {
  return ['REALM_NEW', 'REALM_ACTIVE', 'REALM_SYSTEM_OFF', 'REALM_ZOMBIE'][s] ?? `REALM_STATE_${s}`;
}

export { RealmState };
