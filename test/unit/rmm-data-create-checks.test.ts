// RMI_DATA_CREATE / RTT_DATA_MAP_INIT writes its failure conditions out over its own scope (the
// call hosts make once per page populated): they must be the very list the shared builders give,
// names, statuses and one-line docs alike, in both profiles and both check orders, so the
// debugger's listing and the trace's evaluated checks stay what they were.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check } from '../../src/rmm/checks';
import { orderedChecks, respectsOrderings } from '../../src/rmm';
import { Status } from '../../src/rmm/constants';
import { nsPage, rdArg, INPUT } from '../../src/rmm/commands/common';
import { dataGranuleChecks, dataIpaChecks, dataWalkChecks, type DataScope } from '../../src/rmm/commands/rtt/data-args';
import { DATA_CREATE_1_0, DATA_CREATE_2_0 } from '../../src/rmm/commands/rtt/data-create';

type S = DataScope & { src: number };
const strip = (cs: readonly { name: string; status: number; doc?: string; index?: unknown }[]) =>
  cs.map(({ name, status, doc, index }) => ({ name, status, doc, hasIndex: index !== undefined }));

/** What the builders make for DATA_CREATE (the list data-create.ts had before it was written out). */
function built(profile: '1.0' | '2.0') {
  const list = [
    ...nsPage<S>('src', (s) => s.src, 'src'),
    ...dataGranuleChecks<S>(),
    ...rdArg<S>(),
    ...dataIpaChecks<S>(),
    check<S>('realm_state', Status.RMI_ERROR_REALM, () => false, undefined, 'the realm is not NEW (populate before activation)'),
    ...dataWalkChecks<S>(),
  ];
  if (profile === '2.0') list.unshift(check<S>('flags_valid', INPUT, () => false, undefined, 'flags is neither RMI_NO_MEASURE_CONTENT nor RMI_MEASURE_CONTENT'));
  return list;
}

describe('DATA_CREATE check list', () => {
  for (const [profile, cmd] of [['1.0', DATA_CREATE_1_0], ['2.0', DATA_CREATE_2_0]] as const) {
    it(`${profile}: the written-out checks equal the shared builders' list, and both orders keep the spec's orderings`, () => {
      assert.deepEqual(strip(cmd.checks), strip(built(profile)));
      for (const order of ['spec', 'tf-rmm'] as const) assert.equal(respectsOrderings(cmd, orderedChecks(cmd, order)), undefined, order);
    });
  }
});
