// Markdown for an RMI command, status or granule state: our summary, the registers, and the
// failure conditions in the order the emulator evaluates them (taken from its command model).
import { createRmm, Fid, STATUS_NAMES, statusName, type Profile } from '../../rmm';
import { GRANULE_STATE_DOCS, RMI_COMMAND_DOCS, RMI_STATUS_DOCS } from './rmi-commands';

const emulators = new Map<Profile, ReturnType<typeof createRmm>>();
/** A small emulator per profile, only to read its command model. */
function model(profile: Profile) {
  let rmm = emulators.get(profile);
  if (!rmm) emulators.set(profile, (rmm = createRmm({ profile, dram: [{ base: 0x8000_0000n, size: 0x40_0000n }] })));
  return rmm;
}

export const RMI_NAMES = Object.keys(Fid);

export function isRmiName(word: string): boolean {
  return word in Fid || word === 'RMI_RTT_DATA_MAP_INIT' || STATUS_NAMES.includes(word) || /^RMI_GRANULE_[A-Z_]+$/.test(word) && word.slice(12) in GRANULE_STATE_DOCS;
}

/** Failure conditions of a command in one profile, as markdown list lines. */
function checksOf(name: string, fid: number, profile: Profile): string[] {
  const cmd = model(profile).command(fid) as { name: string; checks: readonly { name: string; status: number; doc?: string }[] } | undefined;
  if (!cmd) return [];
  return cmd.checks.map((c, i) => `${i + 1}. \`${c.name}\`: ${statusName(c.status)}${c.doc ? `: ${c.doc}` : ''}`);
}

export function rmiMarkdown(word: string, profile: Profile = '2.0'): string | undefined {
  const name = word === 'RMI_RTT_DATA_MAP_INIT' ? 'RMI_DATA_CREATE' : word;
  const doc = RMI_COMMAND_DOCS[name];
  if (doc && name in Fid) {
    const fid = Fid[name as keyof typeof Fid];
    const inProfile = doc.profiles.includes(profile) ? profile : doc.profiles[0];
    const lines = [
      `**${word}**: FID \`0x${fid.toString(16).toUpperCase()}\` (RMM ${doc.profiles.join(', ')})`,
      '',
      doc.summary,
      '',
      `Inputs: ${doc.inputs.length ? doc.inputs.join('; ') : 'none'}`,
      '',
      `Outputs: X0 status${doc.outputs.length ? '; ' + doc.outputs.join('; ') : ''}`,
    ];
    if (doc.effect) lines.push('', `On success: ${doc.effect}`);
    const checks = checksOf(name, fid, inProfile);
    if (checks.length) lines.push('', `Failure conditions, in the order RMM ${inProfile} checks them:`, '', ...checks);
    return lines.join('\n');
  }
  if (RMI_STATUS_DOCS[word]) return `**${word}** = ${STATUS_NAMES.indexOf(word)}: ${RMI_STATUS_DOCS[word]}`;
  const state = word.startsWith('RMI_GRANULE_') ? word.slice('RMI_GRANULE_'.length) : '';
  if (GRANULE_STATE_DOCS[state]) return `**${word}**: granule state ${state}: ${GRANULE_STATE_DOCS[state]}`;
  return undefined;
}
