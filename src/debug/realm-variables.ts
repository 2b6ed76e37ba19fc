// The Realms scope: the RMM's objects as the RMM holds them (run.rmm.st), read when the client
// asks, so each expansion shows the state of the stop it was asked in (handles expire when the run
// moves). Each realm: its RD, state, IPA width, VMID, hash algorithm, RIM, RECs, and the RTT tree
// by level, each table's 512 entries with HIPAS, RIPAS and output address.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { HashAlgo, RIPAS_NAMES, RTT_STATE_NAMES, RttState, REALM_STATE_NAMES, type Rmm } from '../rmm';
import { GRANULE_PAGE, type VariableHandles } from './variables';

type State = Rmm['st'];
type Realm = NonNullable<ReturnType<State['realms']['get']>>;
type Rec = NonNullable<ReturnType<State['recs']['get']>>;
type Rtt = NonNullable<ReturnType<State['rtts']['get']>>;

const hex = (v: number | bigint) => `0x${BigInt(v).toString(16)}`;

const HASH_NAMES: Record<number, { name: string; bytes: number }> = {
  [HashAlgo.SHA_256]: { name: 'SHA-256', bytes: 32 },
  [HashAlgo.SHA_384]: { name: 'SHA-384', bytes: 48 },
  [HashAlgo.SHA_512]: { name: 'SHA-512', bytes: 64 },
};

const leaf = (name: string, value: string, type?: string, memoryReference?: string): DebugProtocol.Variable => {
  const v: DebugProtocol.Variable = { name, value, variablesReference: 0 };
  if (type) v.type = type;
  if (memoryReference) v.memoryReference = memoryReference;
  return v;
};

/** Items shown directly when few, else in pages of GRANULE_PAGE (the Variables view stays responsive). */
function paged<T>(items: T[], h: VariableHandles, show: (t: T) => DebugProtocol.Variable, label: (t: T) => string): DebugProtocol.Variable[] {
  if (items.length <= GRANULE_PAGE) return items.map(show);
  const pages: DebugProtocol.Variable[] = [];
  for (let i = 0; i < items.length; i += GRANULE_PAGE) {
    const slice = items.slice(i, i + GRANULE_PAGE);
    pages.push({
      name: `[${i}..${i + slice.length - 1}]`, value: `${label(slice[0])} .. ${label(slice[slice.length - 1])}`,
      variablesReference: h.add(() => slice.map(show)), indexedVariables: slice.length,
    });
  }
  return pages;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The RIM as hex: the digest bytes of the realm's hash algorithm. */
export function rimHex(realm: Realm): string {
  const bytes = HASH_NAMES[realm.hashAlgo]?.bytes ?? 64;
  return Buffer.from(realm.measurements[0].subarray(0, bytes)).toString('hex');
}

export function realmsVariables(rmm: Rmm, h: VariableHandles): DebugProtocol.Variable[] {
  const st = rmm.st;
  const rds = [...st.realms.keys()].sort((a, b) => a - b);
  if (rds.length === 0) return [leaf('realms', 'no realm exists')];
  return rds.map((rd) => {
    const r = st.realms.get(rd)!;
    const pa = st.granules.pa(rd);
    return {
      name: `realm ${hex(pa)}`, value: `${REALM_STATE_NAMES[r.state] ?? r.state}, VMID ${r.vmid}, ${plural(r.numRecs, 'REC')}`,
      type: 'realm', memoryReference: hex(pa), variablesReference: h.add(() => realmChildren(rmm, rd, h)),
    };
  });
}

function realmChildren(rmm: Rmm, rd: number, h: VariableHandles): DebugProtocol.Variable[] {
  const st = rmm.st;
  const r = st.realms.get(rd);
  if (!r) return [leaf('realm', 'destroyed')];
  const pa = hex(st.granules.pa(rd));
  const recs = recsOf(st, rd);
  const tables = [...st.rtts.values()].filter((t) => t.realm === rd);
  const levels = [...new Set(tables.map((t) => t.level))].sort((a, b) => a - b);
  return [
    leaf('RD', pa, 'phys_addr_t', pa),
    leaf('state', REALM_STATE_NAMES[r.state] ?? String(r.state), 'realm state'),
    leaf('IPA width', `${r.ipaWidth} bits`, 'ipa_width'),
    leaf('VMID', String(r.vmid), 'vmid'),
    leaf('hash algorithm', HASH_NAMES[r.hashAlgo]?.name ?? `unknown (${r.hashAlgo})`, 'hash_algo'),
    leaf('RIM', rimHex(r), 'measurement'),
    leaf('REC count', String(r.numRecs), 'num_recs'),
    {
      name: 'RECs', value: plural(recs.length, 'REC'), type: 'RECs',
      variablesReference: recs.length ? h.add(() => recsOf(rmm.st, rd).map((rec) => recVariable(rmm.st, rec, h))) : 0,
    },
    {
      name: 'RTT', value: `${plural(tables.length, 'table')}, starting level ${r.rttLevelStart}, ${plural(r.rttNumStart, 'root')}`, type: 'RTT tree',
      variablesReference: tables.length ? h.add(() => levels.map((l) => levelVariable(rmm, rd, l, h))) : 0,
    },
  ];
}

function recsOf(st: State, rd: number): Rec[] {
  return [...st.recs.values()].filter((rec) => rec.owner === rd).sort((a, b) => a.index - b.index);
}

function recVariable(st: State, rec: Rec, h: VariableHandles): DebugProtocol.Variable {
  const pa = hex(st.granules.pa(rec.gi));
  const state = rec.running ? 'REC_RUNNING' : 'REC_READY';
  return {
    name: `REC ${rec.index}`, value: `${pa} ${state}`, type: 'REC', memoryReference: pa,
    variablesReference: h.add(() => [
      leaf('PA', pa, 'phys_addr_t', pa),
      leaf('state', state, 'REC state'),
      leaf('index', String(rec.index), 'rec_index'),
      leaf('MPIDR', hex(rec.mpidr), 'mpidr'),
      leaf('runnable', rec.runnable ? 'RUNNABLE' : 'NOT_RUNNABLE', 'flags.runnable'),
      leaf('PC', hex(rec.pc), 'pc'),
      leaf('aux granules', rec.aux.map((g) => hex(st.granules.pa(g))).join(', ') || 'none', 'REC_AUX'),
    ]),
  };
}

function tablesAt(st: State, rd: number, level: number): Rtt[] {
  return [...st.rtts.values()].filter((t) => t.realm === rd && t.level === level).sort((a, b) => a.baseIpa - b.baseIpa);
}

function levelVariable(rmm: Rmm, rd: number, level: number, h: VariableHandles): DebugProtocol.Variable {
  const n = tablesAt(rmm.st, rd, level).length;
  return {
    name: `level ${level}`, value: plural(n, 'table'), type: 'RTT level',
    variablesReference: h.add(() => {
      const st = rmm.st;
      return paged(tablesAt(st, rd, level), h, (t) => tableVariable(st, t, h), (t) => hex(t.baseIpa));
    }),
  };
}

function tableVariable(st: State, t: Rtt, h: VariableHandles): DebugProtocol.Variable {
  const pa = hex(st.granules.pa(t.gi));
  return {
    name: `IPA ${hex(t.baseIpa)}`, value: `RTT at ${pa}, ${t.liveEntries()} live of ${t.entries}`, type: `level ${t.level} RTT`, memoryReference: pa,
    // Always one table's entries (512, 16 at level -1): the client pages them with start/count.
    variablesReference: h.add(() => {
      const live = st.rtts.get(t.gi) ?? t;
      return Array.from({ length: live.entries }, (_, i) => entryVariable(live, i));
    }),
    indexedVariables: t.entries,
  };
}

/** One RTT entry: the IPA it maps, HIPAS, RIPAS (protected IPAs only) and output address. */
export function entryVariable(t: Rtt, i: number): DebugProtocol.Variable {
  const step = 2 ** ((3 - t.level) * 9 + 12);
  const ipa = t.baseIpa + i * step;
  const s = t.state[i];
  const ns = s === RttState.UNASSIGNED_NS || s === RttState.ASSIGNED_NS;
  const parts = [`HIPAS ${RTT_STATE_NAMES[s] ?? s}`];
  if (!ns) parts.push(`RIPAS ${RIPAS_NAMES[t.ripas[i]] ?? t.ripas[i]}`);
  const hasOa = s === RttState.ASSIGNED || s === RttState.TABLE || s === RttState.ASSIGNED_NS;
  if (hasOa) parts.push(`OA ${hex(t.addr[i])}`);
  const v = leaf(`[${i}]`, `IPA ${hex(ipa)}: ${parts.join(', ')}`, 'RTT entry');
  if (hasOa && !ns) v.memoryReference = hex(t.addr[i]);
  return v;
}
