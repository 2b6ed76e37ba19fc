// Reads the scenario's machine declaration, a plain C global evaluated at compile time:
//   struct realm_lab_machine machine = { .profile = "2.0", .host = "v14",
//                                        .dram_base = 0x80000000, .dram_size = SZ_1G };
// Every field is optional; RunOptions override profile and host.
import { findField, type Program } from '../lang';
import type { Profile } from '../rmm';
import type { Diagnostic, HostVariant } from './api';

export interface MachineDecl {
  profile?: Profile;
  host?: HostVariant;
  dramBase?: bigint;
  dramSize?: bigint;
}

export const MACHINE_GLOBAL = 'machine';
const MIN_DRAM = 4n * 1024n * 1024n;

export function readMachineDecl(program: Program, diags: Diagnostic[]): MachineDecl {
  const sym = program.globalScope.get(MACHINE_GLOBAL);
  if (!sym || sym.k !== 'var') return {};
  const g = sym.v;
  const t = g.sym.type;
  const range = g.sym.range;
  if (t.t !== 'struct' || t.s.tag !== 'realm_lab_machine') {
    diags.push({ range, severity: 'error', code: 'machine', message: "the global 'machine' must be a 'struct realm_lab_machine'" });
    return {};
  }
  if (!g.image) return {};
  const { bytes, relocs } = g.image;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u64 = (name: string) => {
    const f = findField(t.s, name);
    return f ? dv.getBigUint64(f.offset, true) : 0n;
  };
  const str = (name: string): string | undefined => {
    const f = findField(t.s, name);
    const r = f && relocs.find((x) => x.offset === f.offset);
    if (!r || r.target.k !== 'str' || r.addend !== 0n) return undefined;
    const b = program.strings[r.target.index].bytes;
    return String.fromCharCode(...b.subarray(0, b.length - 1));
  };
  const out: MachineDecl = {};
  const profile = str('profile');
  if (profile !== undefined) {
    if (profile === '1.0' || profile === '2.0') out.profile = profile;
    else diags.push({ range, severity: 'error', code: 'machine', message: `machine.profile must be "1.0" or "2.0", not "${profile}"` });
  }
  const host = str('host');
  if (host !== undefined) {
    if (host === 'v14' || host === 'fixed') out.host = host;
    else diags.push({ range, severity: 'error', code: 'machine', message: `machine.host must be "v14" or "fixed", not "${host}"` });
  }
  const base = u64('dram_base');
  const size = u64('dram_size');
  if (base || size) {
    if (base % 4096n || size % 4096n) diags.push({ range, severity: 'error', code: 'machine', message: 'machine.dram_base and machine.dram_size must be multiples of 4096' });
    else if (size && size < MIN_DRAM) diags.push({ range, severity: 'error', code: 'machine', message: `machine.dram_size must be at least ${MIN_DRAM} bytes (4 MiB)` });
    else if (base + size > 1n << 47n) diags.push({ range, severity: 'error', code: 'machine', message: 'machine DRAM must lie below 2^47' });
    else {
      if (base) out.dramBase = base;
      if (size) out.dramSize = size;
    }
  }
  return out;
}
