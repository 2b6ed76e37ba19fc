// rmi_call: an SMC into the emulated RMM (X0 = fid, X1.. = arguments). X0 is returned; X0..X4 are
// also written to `rmi_last` so the scenario can read the outputs. fault_inject* arm the
// emulator's fault injection from inside the scenario: "the nth next call" is counted here and
// the fault handed to the emulator just before that call, so it applies to exactly that call.
import { CRuntimeError, K, machineNative, virt_to_phys, type NativeFn, type Value } from '../../lang';
import { Fid, RMI_RTT_DATA_MAP_INIT, validateFault, type FaultSpec } from '../../rmm';
import { u64Wrap, type Reg } from '../../rmm/u64';
import type { RunContext } from '../context';

const U64_END = 1n << 64n;

/** A machine value as unsigned long, a BigInt (variadic arguments keep their own types). */
const big = (v: Value): bigint => {
  if (typeof v === 'number') return v < 0 ? BigInt.asUintN(64, BigInt(v)) : BigInt(v);
  return v >= 0n && v < U64_END ? v : BigInt.asUintN(64, v);
};

/**
 * A machine value as the emulator's register value (Reg): a non-negative number is one already
 * (machine numbers are below 2^53); a negative one or a BigInt is the unsigned long's BigInt.
 */
const reg = (v: Value): Reg => (typeof v === 'number' && v >= 0 ? v : big(v));

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
      const f = args[0];
      const fid = typeof f === 'number' && f >= 0 ? f : u64Wrap(big(f));
      const pending = ctx.pendingFaults;
      if (pending.length) {
        // fid < 2^64 as a double: equal to a (32-bit) FID only when it is that FID.
        for (let i = 0; i < pending.length; i++) {
          const p = pending[i];
          if (p.fid !== fid || --p.remaining > 0) continue;
          ctx.rmm.faults.add(p.spec);
          pending.splice(i--, 1);
        }
      }
      // Registers one by one as the emulator's register values (numbers, no BigInt made for
      // them), the missing ones zero as the dispatcher would make them: no arrays.
      const ret = ctx.rmm.smcValues(fid, n > 1 ? reg(args[1]) : 0, n > 2 ? reg(args[2]) : 0, n > 3 ? reg(args[3]) : 0,
        n > 4 ? reg(args[4]) : 0, n > 5 ? reg(args[5]) : 0, n > 6 ? reg(args[6]) : 0);
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
