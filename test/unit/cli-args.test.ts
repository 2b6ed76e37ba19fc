// The realm-lab argument parser (src/cli/args.ts) and text formatting (src/cli/format.ts), in-process.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError, parseArgs, parseFault } from '../../src/cli/args';
import { formatCall } from '../../src/cli/format';

const usage = (argv: string[]) => assert.throws(() => parseArgs(argv), UsageError);

describe('realm-lab arguments', () => {
  it('parses run, sweep and trace with their options', () => {
    assert.deepEqual(parseArgs(['run', 'a.realm.c', '--json', '--profile', '1.0', '--host=fixed']), {
      kind: 'run', file: 'a.realm.c', json: true, profile: '1.0', host: 'fixed', faults: [],
    });
    assert.deepEqual(parseArgs(['sweep', 'a.realm.c', '--shard', '2/4', '--jobs', '3', '--command', 'RMI_REALM_CREATE', '--status', 'RMI_ERROR_RTT', '--max-points', '10']), {
      kind: 'sweep', file: 'a.realm.c', json: false, profile: undefined, host: undefined,
      shard: { index: 2, count: 4 }, jobs: 3, maxPoints: 10, commands: ['RMI_REALM_CREATE'], statuses: ['RMI_ERROR_RTT'],
    });
    assert.deepEqual(parseArgs(['trace', 'a.realm.c', '--out', 't.json']), { kind: 'trace', file: 'a.realm.c', json: false, profile: undefined, host: undefined, faults: [], out: 't.json' });
    assert.deepEqual(parseArgs(['--help']), { kind: 'help' });
    assert.deepEqual(parseArgs(['run', 'x', '-V']), { kind: 'version' });
  });

  it('parses fault specs, short and as JSON', () => {
    assert.deepEqual(parseFault('RMI_GRANULE_RANGE_DELEGATE,nth=2,after=3'), { command: 'RMI_GRANULE_RANGE_DELEGATE', status: 'RMI_ERROR_INPUT', nth: 2, afterGranules: 3 });
    assert.deepEqual(parseFault('RMI_GRANULE_UNDELEGATE,granule=0x80001000,status=RMI_ERROR_GRANULE,times=2'), {
      command: 'RMI_GRANULE_UNDELEGATE', status: 'RMI_ERROR_GRANULE', granule: 0x8000_1000n, times: 2,
    });
    assert.deepEqual(parseFault('{"command":"RMI_REALM_CREATE","status":"RMI_ERROR_REALM","nth":1}'), { command: 'RMI_REALM_CREATE', status: 'RMI_ERROR_REALM', nth: 1 });
    assert.throws(() => parseFault('RMI_REALM_CREATE,nth=0'), /nth must be a whole number from 1/);
    assert.throws(() => parseFault('RMI_REALM_CREATE,status=RMI_ERROR_BOGUS'), /unknown status 'RMI_ERROR_BOGUS'/);
    assert.throws(() => parseFault('RMI_REALM_CREATE,status=RMI_SUCCESS'), /not a failure/);
    assert.throws(() => parseFault('realm_create'), /start with the RMI command's name/);
    assert.throws(() => parseFault('RMI_REALM_CREATE,colour=red'), /unknown key 'colour'/);
    assert.throws(() => parseFault('{"command": '), /not valid JSON/);
  });

  it('refuses what does not make sense with a usage error', () => {
    usage([]);
    usage(['frobnicate', 'a.realm.c']);
    usage(['run']);
    usage(['run', 'a.realm.c', 'b.realm.c']);
    usage(['run', 'a.realm.c', '--profile', '3.0']);
    usage(['run', 'a.realm.c', '--host', 'v13']);
    usage(['run', 'a.realm.c', '--shard', '0/2']);
    usage(['sweep', 'a.realm.c', '--shard', '2/2']);
    usage(['sweep', 'a.realm.c', '--shard', 'x']);
    usage(['sweep', 'a.realm.c', '--jobs', '0']);
    usage(['sweep', 'a.realm.c', '--jobs']);
    usage(['sweep', 'a.realm.c', '--fault', 'RMI_REALM_CREATE']);
    usage(['run', 'a.realm.c', '--bogus']);
    assert.throws(() => parseArgs(['trace', 'a.realm.c', '--json']), /--json does not apply to 'trace'/);
  });

  it('formats one line per RMI call, with why a failing call failed', () => {
    const call = {
      seq: 3, name: 'RMI_GRANULE_DELEGATE', args: ['0x80001000'], ret: ['0x1'], status: 'RMI_ERROR_INPUT', index: 0,
      failingCheck: 'gran_state', fault: null, file: 's.realm.c', line: 12, changes: [], findings: [],
    };
    assert.deepEqual(formatCall(call), ['#3 RMI_GRANULE_DELEGATE(0x80001000) -> RMI_ERROR_INPUT  s.realm.c:12', '    failing check: gran_state']);
    assert.deepEqual(formatCall({ ...call, status: 'RMI_SUCCESS', failingCheck: null }), ['#3 RMI_GRANULE_DELEGATE(0x80001000) -> RMI_SUCCESS  s.realm.c:12']);
  });
});
