// Check order of the RTT and DATA commands (reference 5.0): every spec ordering holds under both
// check orders, provoked with two conditions at once, and the orders differ where the spec
// leaves a pair unordered and TF-RMM checks the other one first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, orderedChecks, respectsOrderings, type Profile } from '../../src/rmm';
import { RTT_COMMANDS } from '../../src/rmm/commands/rtt';
import { Fixture, L1, L2, L3, type RealmHandle } from './helpers/realm-fixture';

const ORDERS = ['spec', 'tf-rmm'] as const;

describe('RTT command check lists', () => {
  for (const cmd of RTT_COMMANDS) {
    for (const profile of cmd.profiles) {
      it(`${cmd.names?.[profile] ?? cmd.name} (${profile}): unique names, tfRmmOrder a permutation, orderings respected`, () => {
        const names = cmd.checks.map((c) => c.name);
        assert.equal(new Set(names).size, names.length);
        assert.deepEqual([...(cmd.tfRmmOrder ?? [])].sort(), [...names].sort());
        assert.ok(cmd.orderings, 'orderings declared');
        for (const order of ORDERS) assert.equal(respectsOrderings(cmd, orderedChecks(cmd, order)), undefined);
      });
    }
  }
});

interface Env {
  fx: Fixture;
  realm: RealmHandle;
}

interface Case {
  title: string;
  command: Parameters<Fixture['call']>[0];
  profile?: Profile;
  args: (e: Env) => bigint[];
  /** The check reported under each order. */
  spec: string;
  tfRmm?: string;
  /** A later condition that holds at the same time (asserted by evaluating it directly). */
  also?: string;
}

function env(profile: Profile, checkOrder: 'spec' | 'tf-rmm'): Env {
  const fx = new Fixture(profile, { checkOrder });
  const realm = fx.realm();
  realm.tables(0n, 3);
  realm.tables(L1, 2);
  return { fx, realm };
}

// Each case makes both conditions of an ordering hold (where the later one can be evaluated at
// all: a walk needs a realm and an IPA inside it, so rd_* and ipa_bound cases name it anyway).
const ORDERED: Case[] = [
  { title: 'RTT_CREATE [level_bound] < [rtt_walk]', command: 'RMI_RTT_CREATE', args: ({ fx, realm }) => [realm.rd, fx.delegated(), L1 * 3n, 4n], spec: 'level_bound', also: 'rtt_walk' },
  { title: 'RTT_CREATE [rd_state] < [rtt_walk]', command: 'RMI_RTT_CREATE', args: ({ fx }) => [fx.delegated(), fx.delegated(), L1 * 3n, 3n], spec: 'rd_state' },
  { title: 'RTT_CREATE [ipa_bound] < [rtte_state]', command: 'RMI_RTT_CREATE', args: ({ fx, realm }) => [realm.rd, fx.delegated(), 1n << 39n, 2n], spec: 'ipa_bound' },
  { title: 'RTT_DESTROY [level_bound] < [rtt_walk]', command: 'RMI_RTT_DESTROY', args: ({ realm }) => [realm.rd, L1 * 3n, 4n], spec: 'level_bound', also: 'rtt_walk' },
  { title: 'RTT_DESTROY [rd_bound] < [rtt_live]', command: 'RMI_RTT_DESTROY', args: () => [0x1000n, 0n, 2n], spec: 'rd_bound' },
  { title: 'RTT_FOLD [level_bound] < [rtt_walk]', command: 'RMI_RTT_FOLD', args: ({ realm }) => [realm.rd, L1 * 3n, 4n], spec: 'level_bound', also: 'rtt_walk' },
  { title: 'RTT_FOLD [rd_state] < [rtt_homo]', command: 'RMI_RTT_FOLD', args: ({ fx }) => [fx.delegated(), 0n, 3n], spec: 'rd_state' },
  { title: 'INIT_RIPAS [top_gran_align] < [no_progress]', command: 'RMI_RTT_INIT_RIPAS', args: ({ realm }) => [realm.rd, L1, L1 + L3 + 1n], spec: 'top_gran_align', also: 'no_progress' },
  { title: 'INIT_RIPAS [rd_state] < [realm_state, base_align]', command: 'RMI_RTT_INIT_RIPAS', args: ({ fx }) => [fx.delegated(), L1 + L3, L1 + 2n * L3], spec: 'rd_state' },
  {
    title: 'SET_RIPAS [base_bound] < [base_align]', command: 'RMI_RTT_SET_RIPAS',
    args: ({ realm }) => [realm.rd, realm.rec({ addr: 0n, top: L1 + L2, value: 1 }), L1 + L3, L1 + L2], spec: 'base_bound', also: 'base_align',
  },
  {
    title: 'SET_RIPAS [top_gran_align] < [no_progress]', command: 'RMI_RTT_SET_RIPAS',
    args: ({ realm }) => [realm.rd, realm.rec({ addr: L1, top: L1 + L2, value: 1 }), L1, L1 + L3 + 1n], spec: 'top_gran_align', also: 'no_progress',
  },
  { title: 'SET_RIPAS [rec_gran_state] < [rec_owner]', command: 'RMI_RTT_SET_RIPAS', args: ({ fx, realm }) => [realm.rd, fx.delegated(), 0n, L3], spec: 'rec_gran_state' },
  { title: 'DATA_CREATE [ipa_bound] < [rtt_walk]', command: 'RMI_DATA_CREATE', args: ({ fx, realm }) => [realm.rd, fx.delegated(), 1n << 38n, fx.page(), 0n], spec: 'ipa_bound', also: 'rtt_walk' },
  { title: 'DATA_CREATE [rd_state] < [realm_state]', command: 'RMI_DATA_CREATE', args: ({ fx }) => [fx.delegated(), fx.delegated(), 0n, fx.page(), 0n], spec: 'rd_state' },
  { title: 'DATA_CREATE_UNKNOWN [ipa_bound] < [rtt_walk]', command: 'RMI_DATA_CREATE_UNKNOWN', args: ({ fx, realm }) => [realm.rd, fx.delegated(), 1n << 38n], spec: 'ipa_bound', also: 'rtt_walk' },
  { title: 'DATA_DESTROY [ipa_bound] < [rtt_walk]', command: 'RMI_DATA_DESTROY', args: ({ realm }) => [realm.rd, 1n << 38n], spec: 'ipa_bound', also: 'rtt_walk' },
  { title: 'MAP_UNPROTECTED [ipa_bound] < [rtt_walk]', command: 'RMI_RTT_MAP_UNPROTECTED', args: ({ fx, realm }) => [realm.rd, 3n * L1, 3n, fx.page()], spec: 'ipa_bound', also: 'rtt_walk' },
  { title: 'UNMAP_UNPROTECTED [ipa_bound] < [rtte_state]', command: 'RMI_RTT_UNMAP_UNPROTECTED', args: ({ realm }) => [realm.rd, 0n, 3n], spec: 'ipa_bound', also: 'rtte_state' },
];

// Unordered pairs: both answers are allowed; the option picks the spec's listing or TF-RMM's.
const UNORDERED: Case[] = [
  { title: 'RTT_CREATE level_bound vs rtt_state', command: 'RMI_RTT_CREATE', args: ({ fx, realm }) => [realm.rd, fx.page(), 0n, 1n], spec: 'level_bound', tfRmm: 'rtt_state', also: 'rtt_state' },
  { title: 'DATA_CREATE ipa_align vs realm_state', command: 'RMI_DATA_CREATE', args: ({ fx, realm }) => { realm.activate(); return [realm.rd, fx.delegated(), 8n, fx.page(), 0n]; }, spec: 'ipa_align', tfRmm: 'realm_state', also: 'realm_state' },
  {
    title: '2.0 RTT_DATA_MAP_INIT data_state vs realm_state', command: 'RMI_RTT_DATA_MAP_INIT', profile: '2.0',
    args: ({ fx, realm }) => { realm.activate(); return [realm.rd, fx.page(), 0n, fx.page(), 0n]; }, spec: 'data_state', tfRmm: 'realm_state', also: 'realm_state',
  },
  { title: 'MAP_UNPROTECTED attr_valid vs level_bound', command: 'RMI_RTT_MAP_UNPROTECTED', args: ({ realm }) => [realm.rd, 1n << 38n, 4n, 1n], spec: 'attr_valid', tfRmm: 'level_bound', also: 'level_bound' },
  {
    title: '2.0 SET_RIPAS rd_state vs top_gran_align', command: 'RMI_RTT_SET_RIPAS', profile: '2.0',
    args: ({ fx, realm }) => [fx.delegated(), realm.rec({ addr: 0n, top: L2, value: 1 }), 0n, L3 + 1n], spec: 'rd_state', tfRmm: 'top_gran_align', also: 'top_gran_align',
  },
];

describe('RTT command orderings with two conditions at once', () => {
  for (const c of [...ORDERED, ...UNORDERED]) {
    for (const order of ORDERS) {
      it(`${c.title} (${order})`, () => {
        const e = env(c.profile ?? '1.0', order);
        const args = c.args(e);
        if (c.also) {
          // Evaluate both conditions directly on the call's scope: they really hold together.
          const fid = c.command === 'RMI_RTT_DATA_MAP_INIT' ? Fid.RMI_DATA_CREATE : Fid[c.command];
          const { cmd } = e.fx.rmm.command(fid)!;
          const fails = (name: string) => cmd.checks.find((k) => k.name === name)!.fails(cmd.scope(e.fx.rmm.st, [...args, 0n, 0n, 0n, 0n, 0n, 0n].slice(0, 6)));
          assert.ok(fails(c.spec) && fails(c.also), `${c.spec} and ${c.also} both hold`);
        }
        const r = e.fx.call(c.command, ...args);
        assert.equal(r.check, order === 'spec' ? c.spec : c.tfRmm ?? c.spec);
      });
    }
  }
});
