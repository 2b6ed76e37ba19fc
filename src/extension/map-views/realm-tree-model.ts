// The realms tree's content, built from the machine a Granule Map view shows: each realm (RD PA,
// realm state, IPA width, VMID, DATA count), its RECs, its RTT tree (level, base IPA, PA, live
// entries, then the entries that say something: TABLE, ASSIGNED, ASSIGNED_NS, or a RIPAS other
// than EMPTY) and its DATA granules. Everything below a realm is built only when the user opens
// it, and long lists are paged (paging.ts), so a realm with 262,144 DATA granules costs one pass
// over the granule table for the counts and nothing more until expanded. Pure: no `vscode`.
import { hexPa } from '../../protocol/granule-map';
import { GranuleState, RIPAS_NAMES, RTT_STATE_NAMES, Ripas, RttState, type Rmm } from '../../rmm';
import { realmStateName, type Realm, type Rec } from '../../rmm/objects';
import { levelSize, type RttTable } from '../../rmm/rtt';
import { paged, type PageOf } from './paging';

export type NodeIcon = 'realm' | 'rec' | 'rtt' | 'entry' | 'data' | 'group' | 'page' | 'aux';

export interface TreeNode {
  /** Stable across refreshes of the same machine (VS Code keeps expansion by id). */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: NodeIcon;
  /** The map granule this node stands for: selecting the node selects it in the map. */
  granule?: number;
  /** That granule's PA as the map writes it ('0x8000_1000'). */
  pa?: string;
  /** Lazy children; undefined for a leaf. */
  children?: () => TreeNode[];
  /** Open when first shown (realms are, their parts are not). */
  expanded?: boolean;
}

/** What the tree is built from: the emulator, and optionally the granule states of another moment. */
export interface MachineSource {
  rmm: Rmm;
  /**
   * Granule states to use instead of the emulator's current ones (the map after the cursor's
   * line). Realms, RECs and RTTs are then the emulator's objects whose granule has the matching
   * state at that moment; their details (realm state, RTT entries) are those of the emulator.
   */
  states?: Uint8Array;
}

const hex = (n: number) => `0x${n.toString(16)}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export class RealmTreeModel {
  private readonly states: Uint8Array;
  /** Per RD granule index: granule indices of its DATA granules, in PA order. */
  private readonly data = new Map<number, number[]>();

  constructor(private readonly src: MachineSource) {
    const g = src.rmm.st.granules;
    this.states = src.states && src.states.length === g.count ? src.states : g.state;
    const owner = g.owner;
    const st = this.states;
    for (const rd of src.rmm.st.realms.keys()) this.data.set(rd, []);
    for (let i = 0; i < st.length; i++) {
      if (st[i] !== GranuleState.DATA) continue;
      const list = this.data.get(owner[i]);
      if (list) list.push(i);
    }
  }

  /** Realms present in the machine, in RD address order. */
  realms(): Realm[] {
    const out: Realm[] = [];
    for (const r of this.src.rmm.st.realms.values()) if (this.states[r.rd] === GranuleState.RD) out.push(r);
    return out.sort((a, b) => a.rd - b.rd);
  }

  dataCount(rd: number): number {
    return this.data.get(rd)?.length ?? 0;
  }

  /** The top level: one node per realm. */
  roots(): TreeNode[] {
    return this.realms().map((r) => this.realmNode(r));
  }

  private pa(gi: number): string {
    return hexPa(BigInt(this.src.rmm.st.granules.pa(gi)));
  }

  private realmNode(r: Realm): TreeNode {
    const id = `realm:${r.rd}`;
    const recs = this.recsOf(r);
    const data = this.dataCount(r.rd);
    const state = realmStateName(r.state);
    return {
      id, icon: 'realm', granule: r.rd, pa: this.pa(r.rd), expanded: true,
      label: `Realm ${this.pa(r.rd)}`,
      description: `${state} · IPA ${r.ipaWidth} bits · VMID ${r.vmid} · ${data} DATA`,
      tooltip: `RD at ${this.pa(r.rd)}\n${state}\nIPA width ${r.ipaWidth} bits, VMID ${r.vmid}\n` +
        `RTT starting level ${r.rttLevelStart}, ${plural(r.roots.length, 'starting-level RTT')}\n` +
        `${plural(recs.length, 'REC')}, ${data} DATA granules`,
      children: () => [
        this.recsGroup(r, recs),
        this.rttsGroup(r),
        this.dataGroup(r),
      ],
    };
  }

  private recsOf(r: Realm): Rec[] {
    const out: Rec[] = [];
    for (const rec of this.src.rmm.st.recs.values()) {
      if (rec.owner === r.rd && this.states[rec.gi] === GranuleState.REC) out.push(rec);
    }
    return out.sort((a, b) => a.index - b.index || a.gi - b.gi);
  }

  private recsGroup(r: Realm, recs: Rec[]): TreeNode {
    const id = `realm:${r.rd}/recs`;
    return {
      id, icon: 'group', label: 'RECs', description: String(recs.length),
      children: recs.length ? () => recs.map((rec) => this.recNode(rec)) : undefined,
    };
  }

  private recNode(rec: Rec): TreeNode {
    const state = rec.running ? 'REC_RUNNING' : 'REC_READY';
    const flow = rec.runnable ? 'RUNNABLE' : 'NOT_RUNNABLE';
    const aux = rec.aux.filter((gi) => this.states[gi] === GranuleState.REC_AUX);
    return {
      id: `rec:${rec.gi}`, icon: 'rec', granule: rec.gi, pa: this.pa(rec.gi),
      label: `REC ${this.pa(rec.gi)}`,
      description: `index ${rec.index} · ${state} · ${flow}${aux.length ? ` · ${aux.length} aux` : ''}`,
      tooltip: `REC at ${this.pa(rec.gi)}\nrec index ${rec.index}, MPIDR 0x${rec.mpidr.toString(16)}\n${state}, ${flow}\nPC 0x${rec.pc.toString(16)}`,
      children: aux.length ? () => aux.map((gi, k) => ({
        id: `rec:${rec.gi}/aux/${gi}`, icon: 'aux' as const, granule: gi, pa: this.pa(gi), label: `REC_AUX ${this.pa(gi)}`, description: `aux ${k}`,
      })) : undefined,
    };
  }

  private rttsGroup(r: Realm): TreeNode {
    const roots = r.roots.map((gi) => this.src.rmm.st.rtts.get(gi)).filter((t): t is RttTable => !!t && this.states[t.gi] === GranuleState.RTT);
    let total = 0;
    for (const t of this.src.rmm.st.rtts.values()) if (t.realm === r.rd && this.states[t.gi] === GranuleState.RTT) total++;
    return {
      id: `realm:${r.rd}/rtts`, icon: 'group', label: 'RTTs', description: `${total} (starting level ${r.rttLevelStart})`,
      children: roots.length ? () => roots.map((t) => this.rttNode(t)) : undefined,
    };
  }

  rttNode(t: RttTable): TreeNode {
    const live = t.liveEntries();
    const interesting = this.interestingEntries(t);
    return {
      id: `rtt:${t.gi}`, icon: 'rtt', granule: t.gi, pa: this.pa(t.gi),
      label: `RTT L${t.level} ${this.pa(t.gi)}`,
      description: `IPA ${hex(t.baseIpa)} · ${live}/${t.entries} live`,
      tooltip: `Level ${t.level} RTT at ${this.pa(t.gi)}\nbase IPA ${hex(t.baseIpa)}, ${hex(levelSize(t.level))} per entry\n` +
        `${live} live entries (TABLE or ASSIGNED) of ${t.entries}; ${interesting.length} entries listed`,
      children: interesting.length ? () => paged(interesting.length, (k) => this.entryNode(t, interesting[k]), (p) => this.entryPage(t, interesting, p)) : undefined,
    };
  }

  /** Entries worth a row: anything but UNASSIGNED(_NS) with RIPAS EMPTY, which is what a fresh table holds. */
  private interestingEntries(t: RttTable): number[] {
    const out: number[] = [];
    for (let i = 0; i < t.entries; i++) {
      const s = t.state[i];
      if ((s === RttState.UNASSIGNED || s === RttState.UNASSIGNED_NS) && t.ripas[i] === Ripas.EMPTY) continue;
      out.push(i);
    }
    return out;
  }

  private entryIpa(t: RttTable, i: number): number {
    return t.baseIpa + i * levelSize(t.level);
  }

  private entryPage(t: RttTable, entries: number[], p: PageOf<TreeNode>): TreeNode {
    return {
      id: `rtt:${t.gi}/entries/${p.from}-${p.to}`, icon: 'page', children: p.children,
      label: `IPA ${hex(this.entryIpa(t, entries[p.from]))} – ${hex(this.entryIpa(t, entries[p.to]))}`,
      description: plural(p.to - p.from + 1, 'entry', 'entries'),
    };
  }

  private entryNode(t: RttTable, i: number): TreeNode {
    const s = t.state[i];
    const ipa = hex(this.entryIpa(t, i));
    const ripas = RIPAS_NAMES[t.ripas[i]] ?? `RIPAS_${t.ripas[i]}`;
    const g = this.src.rmm.st.granules;
    if (s === RttState.TABLE) {
      const child = this.src.rmm.st.rtts.get(g.index(t.addr[i]));
      if (child && this.states[child.gi] === GranuleState.RTT) {
        const node = this.rttNode(child);
        return { ...node, label: `${node.label} (entry ${i})` };
      }
    }
    const target = s === RttState.ASSIGNED || s === RttState.TABLE ? g.index(t.addr[i]) : -1;
    const name = RTT_STATE_NAMES[s] ?? `HIPAS_${s}`;
    const out = s === RttState.ASSIGNED || s === RttState.ASSIGNED_NS || s === RttState.TABLE ? ` → ${hexPa(BigInt(t.addr[i]))}` : '';
    return {
      id: `rtt:${t.gi}/entry/${i}`, icon: 'entry', label: `IPA ${ipa}${out}`,
      description: s === RttState.ASSIGNED_NS || s === RttState.UNASSIGNED_NS ? name : `${name}, RIPAS ${ripas}`,
      tooltip: `Entry ${i} of the level ${t.level} RTT at ${this.pa(t.gi)}\nIPA ${ipa}${out ? `, output address ${out.slice(3)}` : ''}\nHIPAS ${name}, RIPAS ${ripas}`,
      ...(target >= 0 ? { granule: target, pa: this.pa(target) } : {}),
    };
  }

  private dataGroup(r: Realm): TreeNode {
    const list = this.data.get(r.rd) ?? [];
    return {
      id: `realm:${r.rd}/data`, icon: 'group', label: 'DATA granules', description: String(list.length),
      children: list.length ? () => paged(list.length, (k) => this.dataNode(list[k]), (p) => ({
        id: `realm:${r.rd}/data/${p.from}-${p.to}`, icon: 'page', children: p.children,
        label: `${this.pa(list[p.from])} – ${this.pa(list[p.to])}`, description: String(p.to - p.from + 1),
      })) : undefined,
    };
  }

  private dataNode(gi: number): TreeNode {
    return { id: `data:${gi}`, icon: 'data', granule: gi, pa: this.pa(gi), label: `DATA ${this.pa(gi)}`, description: `granule ${gi}` };
  }
}
