// rmi_call: an SMC into the emulated RMM (X0 = fid, X1.. = arguments). X0 is returned; X0..X4 are
// also written to `rmi_last` so the scenario can read the outputs. fault_inject* arm the
// emulator's fault injection from inside the scenario: "the nth next call" is counted here and
// the fault handed to the emulator just before that call, so it applies to exactly that call.
import { CRuntimeError, K, machineNative, virt_to_phys, type NativeFn, type Value } from '../../lang';
import { Fid, RMI_RTT_DATA_MAP_INIT, validateFault, type FaultSpec } from '../../rmm';
import type { RunContext } from '../context';

const U64_END = 1n << 64n;
/**
 * BigInts of recent non-negative register values, by value: a populate passes the same rd, src,
 * flags and data PA call after call, and BigInt(number) allocates each time. Direct-mapped by
 * page number (most register values are PAs or IPAs); a miss only costs the conversion.
 */
const RECENT = 64;
const recentKey = new Float64Array(RECENT).fill(-1);
const recentBig: bigint[] = new Array<bigint>(RECENT).fill(0n);

/** A register value: the argument as unsigned long (variadic arguments keep their own types). */
const big = (v: Value): bigint => {
  if (typeof v === 'number') {
    if (v < 0) return BigInt.asUintN(64, BigInt(v));
    const slot = (v / 4096) & (RECENT - 1);
    if (recentKey[slot] === v) return recentBig[slot];
    const b = BigInt(v);
    recentKey[slot] = v;
    recentBig[slot] = b;
    return b;
  }
  return v >= 0n && v < U64_END ? v : BigInt.asUintN(64, v);
};

/** A fault waiting for its call: handed to the emulator when `remaining` reaches 0. */
export interface PendingFault {
  fid: number;
  remaining: number;
  spec: FaultSpec;
}

export function fidOf(name: string): number | undefined {
  if (name === 'RMI_RTT_DATA_MAP_INIT') return RMI_RTT_DATA_MAP_INIT;
  return (Fid as Record<string, number>)[name];
}

export function rmiNatives(ctx: RunContext): Record<string, NativeFn> {
  const command = (nameVa: Value, what: string): { fid: number; name: string } => {
    const name = ctx.mem.readCString(BigInt(nameVa), 64);
    const fid = fidOf(name);
    const cmd = fid === undefined ? undefined : ctx.rmm.command(fid);
    if (fid === undefined || !cmd) {
      throw new CRuntimeError(`${what}("${name}"): not an RMI command of the ${ctx.rmm.profile} profile`, 'bad-fault');
    }
    return { fid, name: cmd.name };
  };
  const checked = (spec: FaultSpec, what: string): FaultSpec => {
    const err = validateFault(spec);
    if (err) throw new CRuntimeError(`${what}("${spec.command}"): ${err}`, 'bad-fault');
    return spec;
  };
  /** PA of rmi_last (runtime data in the linear map), found on the first call. */
  let lastPa: number | undefined;
  return {
    // On machine values (machineNative): registers are made from them directly, and X0 goes back
    // as the machine value of the unsigned long result; two calls per page populated.
    rmi_call: machineNative((_m, args) => {
      const n = args.length;
      if (n > 7) throw new CRuntimeError(`rmi_call: an SMC passes at most 6 arguments after the FID (X1..X6), not ${n - 1}`, 'rmi-args');
      const fid = big(args[0]);
      const pending = ctx.pendingFaults;
      if (pending.length) {
        // fid < 2^64 as a double: equal to a (32-bit) FID only when it is that FID.
        const fidNum = Number(fid);
        for (let i = 0; i < pending.length; i++) {
          const p = pending[i];
          if (p.fid !== fidNum || --p.remaining > 0) continue;
          ctx.rmm.faults.add(p.spec);
          pending.splice(i--, 1);
        }
      }
      // Registers one by one, the missing ones zero as the dispatcher would make them: no arrays.
      let ret: bigint[];
      ctx.smcRegs = args; // the run's trace keeps these numbers rather than the BigInts made of them
      try {
        ret = ctx.rmm.smc(fid, n > 1 ? big(args[1]) : 0n, n > 2 ? big(args[2]) : 0n, n > 3 ? big(args[3]) : 0n,
          n > 4 ? big(args[4]) : 0n, n > 5 ? big(args[5]) : 0n, n > 6 ? big(args[6]) : 0n);
      } finally {
        ctx.smcRegs = undefined;
      }
      // rmi_last by PA (runtime data, no VA to translate); the call may have changed memory: resume first.
      lastPa ??= virt_to_phys(ctx.rmiLastVA)!;
      ctx.mem.resume();
      ctx.mem.storeRegsPA(lastPa, ret, 5);
      // X0 as the machine value of an unsigned long, read back from rmi_last.x0: decoding its bytes
      // costs no BigInt operation (comparisons and conversions of BigInts are V8 runtime calls).
      return ctx.mem.loadPA(lastPa, K.U64);
    }),
    fault_inject: (_m, [nameVa, nth, status]) => {
      const c = command(nameVa, 'fault_inject');
      const n = Number(nth);
      if (!(n >= 1)) throw new CRuntimeError(`fault_inject("${c.name}"): nth must be 1 or more (1 = the next call), not ${n}`, 'bad-fault');
      ctx.pendingFaults.push({ fid: c.fid, remaining: n, spec: checked({ command: c.name, status: Number(status) }, 'fault_inject') });
      return undefined;
    },
    fault_inject_after: (_m, [nameVa, granules, status]) => {
      const c = command(nameVa, 'fault_inject_after');
      const spec = checked({ command: c.name, afterGranules: Number(granules), status: Number(status) }, 'fault_inject_after');
      ctx.pendingFaults.push({ fid: c.fid, remaining: 1, spec });
      return undefined;
    },
    fault_inject_granule: (_m, [nameVa, pa, status]) => {
      const c = command(nameVa, 'fault_inject_granule');
      ctx.rmm.faults.add(checked({ command: c.name, granule: big(pa), status: Number(status) }, 'fault_inject_granule'));
      return undefined;
    },
  };
}
