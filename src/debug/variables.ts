// What the Variables view shows: handles for expandable values (reset whenever the run moves),
// C variables converted to DAP, the SMC registers of the last RMI call, and the granule table.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { granuleStateName, statusName, type Rmm } from '../rmm';
import type { RmiCallEvent, Variable } from '../run';

/** Granules per page of the Granules scope (one level-3 RTT's worth, 2 MiB). */
export const GRANULE_PAGE = 512;

export type Provider = () => DebugProtocol.Variable[];

const hex = (v: bigint | number) => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;

export class VariableHandles {
  private readonly providers = new Map<number, Provider>();
  private next = 1;

  /** Forgets every handle: the values they would show are gone once the run moves. */
  reset(): void {
    this.providers.clear();
  }

  add(p: Provider): number {
    const id = this.next++;
    this.providers.set(id, p);
    return id;
  }

  get(id: number): Provider | undefined {
    return this.providers.get(id);
  }

  /** A C variable of the run as DAP shows it, children behind a handle. */
  fromRun(v: Variable): DebugProtocol.Variable {
    const out: DebugProtocol.Variable = { name: v.name, value: v.value, type: v.type, variablesReference: 0 };
    if (v.children) {
      const children = v.children;
      out.variablesReference = this.add(() => children().map((c) => this.fromRun(c)));
    }
    if (v.memoryReference) out.memoryReference = v.memoryReference;
    return out;
  }
}

/** X0 as the RMM returned it, with the status (and index) decoded. */
export function decodeX0(c: RmiCallEvent): string {
  if (c.status < 0) return `${hex(c.ret[0] ?? 0n)} (SMC_NOT_SUPPORTED)`;
  return `${hex(c.ret[0] ?? 0n)} (${statusName(c.status)}${c.index ? `, index ${c.index}` : ''})`;
}

/** The SMC registers of the last RMI call: X0 (status decoded), inputs X1..X6, outputs X1..X4. */
export function registerVariables(rmm: Rmm, call: RmiCallEvent | undefined): DebugProtocol.Variable[] {
  if (!call) return [{ name: 'X0', value: 'no RMI call made yet', variablesReference: 0 }];
  const inDram = (v: bigint) => {
    try {
      rmm.granule(v);
      return true;
    } catch {
      return false;
    }
  };
  const reg = (name: string, v: bigint, type: string): DebugProtocol.Variable => {
    const out: DebugProtocol.Variable = { name, value: hex(v), type, variablesReference: 0 };
    if (v !== 0n && inDram(v)) out.memoryReference = hex(v);
    return out;
  };
  const vars: DebugProtocol.Variable[] = [
    { name: 'command', value: `${call.name} (FID ${hex(call.fid)}, call #${call.seq})`, type: 'RMI command', variablesReference: 0 },
    { name: 'X0', value: decodeX0(call), type: 'status', variablesReference: 0 },
  ];
  for (let i = 0; i < 6; i++) vars.push(reg(`X${i + 1}`, call.args[i] ?? 0n, 'input'));
  for (let i = 1; i < 5; i++) vars.push(reg(`X${i} (out)`, call.ret[i] ?? 0n, 'output'));
  vars.push({ name: 'checks', value: call.failedCheck ? `${call.failedCheck} failed` : `${call.checks.length} passed`, type: 'checks', variablesReference: 0 });
  return vars;
}

/** Indices of every granule not UNDELEGATED, in address order. */
export function usedGranules(rmm: Rmm): number[] {
  const state = rmm.st.granules.state;
  const out: number[] = [];
  for (let i = 0; i < state.length; i++) if (state[i] !== 0) out.push(i);
  return out;
}

function granuleVariable(rmm: Rmm, gi: number): DebugProtocol.Variable {
  const g = rmm.st.granules;
  const pa = g.pa(gi);
  const owner = g.owner[gi];
  return {
    name: hex(pa), value: granuleStateName(g.state[gi]), type: owner >= 0 ? `granule of realm ${hex(g.pa(owner))}` : 'granule',
    variablesReference: 0, memoryReference: hex(pa),
  };
}

/** The Granules scope: the used granules, directly when few, else in pages of GRANULE_PAGE. */
export function granuleVariables(rmm: Rmm, handles: VariableHandles): DebugProtocol.Variable[] {
  const used = usedGranules(rmm);
  if (used.length === 0) return [{ name: 'granules', value: 'every granule is UNDELEGATED', variablesReference: 0 }];
  if (used.length <= GRANULE_PAGE) return used.map((gi) => granuleVariable(rmm, gi));
  const pages: DebugProtocol.Variable[] = [];
  for (let i = 0; i < used.length; i += GRANULE_PAGE) {
    const slice = used.slice(i, i + GRANULE_PAGE);
    const g = rmm.st.granules;
    pages.push({
      name: `[${i}..${i + slice.length - 1}]`, value: `${hex(g.pa(slice[0]))} .. ${hex(g.pa(slice[slice.length - 1]))}`,
      variablesReference: handles.add(() => slice.map((gi) => granuleVariable(rmm, gi))), indexedVariables: slice.length,
    });
  }
  return pages;
}
