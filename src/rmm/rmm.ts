// The public face of the emulator (DESIGN.md section 4): createRmm, smc, granule, memory.
import { GRANULE_SIZE, granuleStateName, type Profile } from './constants';
import { ALL_COMMANDS } from './commands';
import { Dispatcher } from './dispatch';
import { FaultInjector, type FaultSpec } from './faults';
import type { DramRegion } from './granules';
import { defaultOptions, type RmmOptions } from './options';
import { restoreSnapshot, takeSnapshot, type RmmSnapshot } from './snapshot';
import { RmmState } from './state';
import type { TraceEvent } from './trace';
import { u64Wrap, type Reg } from './u64';

export interface RmmConfig {
  profile?: Profile;
  /** DRAM regions; default 1 GiB at 0x8000_0000. */
  dram?: { base: bigint | number; size: bigint | number }[];
  options?: Partial<RmmOptions>;
  faults?: FaultSpec[];
}

export const DEFAULT_DRAM = [{ base: 0x8000_0000n, size: 0x4000_0000n }];

export interface GranuleInfo {
  state: string;
  /** PA of the owning RD, for granules that belong to a realm. */
  realm?: bigint;
}

export class Rmm {
  readonly profile: Profile;
  readonly st: RmmState;
  readonly faults: FaultInjector;
  private readonly dispatcher: Dispatcher;

  constructor(config: RmmConfig = {}) {
    const profile = config.profile ?? '1.0';
    if (profile !== '1.0' && profile !== '2.0') throw new RangeError(`unknown RMM profile '${String(profile)}' (use '1.0' or '2.0')`);
    this.profile = profile;
    const options = { ...defaultOptions(profile), ...config.options };
    const dram: DramRegion[] = (config.dram ?? DEFAULT_DRAM).map((r) => ({ base: Number(r.base), size: Number(r.size) }));
    this.st = new RmmState(profile, options, dram);
    this.faults = new FaultInjector(config.faults ?? []);
    this.dispatcher = new Dispatcher(this.st, ALL_COMMANDS, this.faults);
  }

  /** An SMC into the RMM: X0 is the FID, args are X1..X6; returns [X0, X1, X2, X3, X4]. */
  smc(fid: bigint, ...args: bigint[]): bigint[] {
    const n = args.length;
    if (n > 6) return this.dispatcher.smc(fid, args);
    // Registers one by one (not the array): lets V8 drop `args` when this is inlined.
    return this.dispatcher.smcRegs(u64Wrap(fid), n > 0 ? args[0] : 0n, n > 1 ? args[1] : 0n, n > 2 ? args[2] : 0n,
      n > 3 ? args[3] : 0n, n > 4 ? args[4] : 0n, n > 5 ? args[5] : 0n);
  }

  /**
   * An SMC with X0 as a number (a FID) and X1..X6 as register values: numbers when they are
   * integers in [0, 2^53), BigInts in [0, 2^64) otherwise (u64.ts Reg). For callers that hold
   * numbers (the C machine's rmi_call): no BigInt is made or converted per register.
   */
  smcValues(fid: number, x1: Reg, x2: Reg, x3: Reg, x4: Reg, x5: Reg, x6: Reg): bigint[] {
    return this.dispatcher.smcRegs(fid, x1, x2, x3, x4, x5, x6);
  }

  /** State of the granule at `pa` (any address inside it). */
  granule(pa: bigint): GranuleInfo {
    const n = Number(pa);
    const gi = this.st.granules.index(n - (n % GRANULE_SIZE));
    if (gi < 0) throw new RangeError(`granule: PA 0x${pa.toString(16)} is outside DRAM`);
    const owner = this.st.granules.owner[gi];
    const info: GranuleInfo = { state: granuleStateName(this.st.granules.state[gi]) };
    if (owner >= 0) info.realm = BigInt(this.st.granules.pa(owner));
    return info;
  }

  readonly memory = {
    read: (pa: bigint, length: number): Uint8Array => this.st.memory.read(Number(pa), length),
    write: (pa: bigint, bytes: Uint8Array): void => this.st.memory.write(Number(pa), bytes),
  };

  /** Receives a trace event per call; setting it turns tracing on. */
  set onTrace(fn: ((e: TraceEvent) => void) | undefined) {
    this.dispatcher.onTrace = fn;
    this.st.options.trace = fn !== undefined;
  }

  /** The command an FID names in this profile, with its checks in evaluation order (for listings). */
  command(fid: bigint | number) {
    return this.dispatcher.command(Number(fid));
  }

  /** The whole emulator state, cheaply (snapshot.ts); later calls do not change it. */
  snapshot(): RmmSnapshot {
    return takeSnapshot(this.st, this.faults, this.dispatcher.callCount);
  }

  /** Puts the emulator back exactly as it was at `s` (any number of times); call numbers continue from there. */
  restore(s: RmmSnapshot): void {
    this.dispatcher.callCount = restoreSnapshot(this.st, this.faults, s);
  }

  /** Number of SMCs made so far. */
  get calls(): number {
    return this.dispatcher.callCount;
  }
}

export function createRmm(config: RmmConfig = {}): Rmm {
  return new Rmm(config);
}
