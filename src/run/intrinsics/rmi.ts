// rmi_call: an SMC into the emulated RMM (X0 = fid, X1.. = arguments). X0 is returned; X0..X4 are
// also written to `rmi_last` so the scenario can read the outputs. fault_inject* arm the
// emulator's fault injection from inside the scenario: "the nth next call" is counted here and
// the fault handed to the emulator just before that call, so it applies to exactly that call.
import { CRuntimeError, K, from64, machineNative, virt_to_phys, type NativeFn, type Value } from '../../lang';
import { Fid, RMI_RTT_DATA_MAP_INIT, validateFault, type FaultSpec } from '../../rmm';
import type { RunContext } from '../context';

const U64_END = 1n << 64n;
/** A register value: the argument as unsigned long (variadic arguments keep their own types). */
const big = (v: Value): bigint => {
  if (typeof v === 'number') return v >= 0 ? BigInt(v) : BigInt.asUintN(64, BigInt(v));
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
      if (args.length > 7) throw new CRuntimeError(`rmi_call: an SMC passes at most 6 arguments after the FID (X1..X6), not ${args.length - 1}`, 'rmi-args');
      const fid = big(args[0]);
      const pending = ctx.pendingFaults;
      for (let i = 0; i < pending.length; i++) {
        const p = pending[i];
        if (BigInt(p.fid) !== fid || --p.remaining > 0) continue;
        ctx.rmm.faults.add(p.spec);
        pending.splice(i--, 1);
      }
      const ret = ctx.rmm.smc(fid, ...args.slice(1).map(big));
      // rmi_last by PA (runtime data, no VA to translate); the call may have changed memory: resume first.
      lastPa ??= virt_to_phys(ctx.rmiLastVA)!;
      ctx.mem.resume();
      for (let i = 0; i < 5; i++) ctx.mem.storePA(lastPa + 8 * i, K.U64, ret[i] ?? 0n);
      return from64(ret[0]);
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
