// A complete, comparable description of an emulator's state (every RmmState field snapshot.ts
// saves, plus memory contents, call count and fault counters), for tests that assert two states
// are identical: snapshot/restore round trips and replays. Written independently of snapshot.ts
// so that a field it forgets shows up as a difference here.
import { createHash } from 'node:crypto';
import type { Rmm } from '../../../src/rmm';

const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (ArrayBuffer.isView(x)) return Array.from(x as Uint8Array);
    if (x instanceof Map) return [...x];
    if (x instanceof Set) return [...x].sort((a, b) => Number(a) - Number(b));
    return x;
  });

export interface StateDigest {
  calls: number;
  /** Every granule that is not UNDELEGATED-and-untouched: index, state, owner, refcount, lastChange. */
  granules: string[];
  realms: string;
  recs: string;
  rtts: string;
  sro: string;
  vmids: string;
  rmmActive: boolean;
  config: string;
  /** SHA-256 of each granule's contents, for the granules that hold a page. */
  memory: string[];
  faults: string;
}

export function digest(rmm: Rmm): StateDigest {
  const st = rmm.st;
  const g = st.granules;
  const granules: string[] = [];
  const memory: string[] = [];
  for (let i = 0; i < g.count; i++) {
    if (g.state[i] !== 0 || g.owner[i] !== -1 || g.refcount[i] !== 0 || g.lastChange[i] !== 0) {
      granules.push(`${i}:${g.state[i]}:${g.owner[i]}:${g.refcount[i]}:${g.lastChange[i]}`);
    }
    const bytes = st.memory.granuleBytes(i);
    if (bytes) memory.push(`${i}:${createHash('sha256').update(bytes).digest('hex')}`);
  }
  return {
    calls: rmm.calls,
    granules,
    realms: json(st.realms),
    recs: json(st.recs),
    rtts: json([...st.rtts].map(([k, t]) => [k, t.level, t.realm, t.baseIpa, t.state, t.ripas, t.addr, t.attr])),
    sro: json(st.sro),
    vmids: json(st.vmids),
    rmmActive: st.rmmActive,
    config: json(st.config),
    memory,
    faults: json(rmm.faults.save()),
  };
}
