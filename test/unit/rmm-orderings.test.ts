import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_COMMANDS, orderedChecks, respectsOrderings } from '../../src/rmm';

describe('every command respects the spec orderings in both check orders', () => {
  for (const cmd of ALL_COMMANDS) {
    it(`${cmd.name} (${cmd.profiles.join(', ')})`, () => {
      const names = cmd.checks.map((c) => c.name);
      assert.equal(new Set(names).size, names.length, 'check names are unique');
      for (const order of ['spec', 'tf-rmm'] as const) {
        const checks = orderedChecks(cmd, order);
        assert.equal(checks.length, cmd.checks.length, `${order} order lists every check once`);
        assert.equal(respectsOrderings(cmd, checks), undefined);
      }
    });
  }

  it('covers the commands of both profiles', () => {
    const names = new Set(ALL_COMMANDS.map((c) => c.name));
    for (const n of ['RMI_VERSION', 'RMI_FEATURES', 'RMI_REALM_ACTIVATE', 'RMI_REALM_DESTROY', 'RMI_REC_CREATE', 'RMI_REC_ENTER', 'RMI_PSCI_COMPLETE']) {
      assert.ok(names.has(n), n);
    }
  });
});
