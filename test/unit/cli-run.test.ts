// The realm-lab CLI end to end: in-process through runCli, and a few runs of `node dist/cli.js`
// checking exit codes, JSON and one-line errors for bad input files.
import assert from 'node:assert/strict';
import { spawn as spawnChild, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/cli';
import { populateScenario } from '../bench/populate';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const SEED = path.join(ROOT, 'examples/sweep-seed.realm.c');
const RAW = path.join(ROOT, 'examples/raw-rmi-1.0.realm.c');
const LIVE_RD = path.join(ROOT, 'examples/undelegate-live-rd-1.0.realm.c');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'realm-lab-cli-'));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const spawn = (...argv: string[]) => spawnSync(process.execPath, [CLI, ...argv], { encoding: 'utf8', cwd: ROOT, timeout: 30_000 });

describe('realm-lab run (in-process)', () => {
  it('prints one line per RMI call and a summary; exit 0 when everything passes', async () => {
    const r = await cli('run', RAW);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[1], /^#1 RMI_GRANULE_DELEGATE\(0x[0-9a-f]+\) -> RMI_SUCCESS {2}.*raw-rmi-1\.0\.realm\.c:\d+$/);
    assert.match(lines[lines.length - 1], /^ok: 6 RMI calls, \d+\/\d+ expectations passed, no leak$/);
  });

  it('exit 1 with the failed expectations when one fails', async () => {
    const r = await cli('run', LIVE_RD);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /expectation failed: expected granule 0x[0-9a-f]+ to be UNDELEGATED, but it is RD/);
    assert.match(r.stdout, /^FAILED: /m);
  });

  it('--fault reproduces the seed bug: the failed undelegate, the WARN and the leaks; --host and --profile override', async () => {
    const r = await cli('run', SEED, '--json', '--fault', 'RMI_GRANULE_RANGE_DELEGATE,nth=2,after=5');
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.equal(j.ok, false);
    assert.deepEqual(j.rmiCalls.map((c: { name: string; status: string }) => `${c.name} ${c.status}`).slice(4, 6), [
      'RMI_GRANULE_RANGE_DELEGATE RMI_ERROR_INPUT', 'RMI_GRANULE_RANGE_UNDELEGATE RMI_ERROR_INPUT',
    ]);
    assert.equal(j.rmiCalls[5].failingCheck, 'gran_state');
    assert.equal(j.leaks.length, 6);
    assert.equal(j.warnings.length, 1);
    assert.ok(j.granules.every((g: { state: string }) => g.state !== 'UNDELEGATED'));
    const over = JSON.parse((await cli('run', RAW, '--json', '--host', 'fixed')).stdout);
    assert.equal(over.hostVariant, 'fixed');
  });

  it('compile errors print compiler-style and exit 2', async () => {
    const bad = path.join(tmp, 'bad.realm.c');
    fs.writeFileSync(bad, 'void scenario(void)\n{\n\tint x = not_declared;\n}\n');
    const r = await cli('run', bad);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `${bad}:3:10: error: use of undeclared identifier 'not_declared'`);
  });

  it('bad input files give one clear line and exit 2', async () => {
    const bin = path.join(tmp, 'bin.realm.c');
    fs.writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    const big = path.join(tmp, 'big.realm.c');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 100 * 1024 * 1024);
    for (const [file, msg] of [[path.join(tmp, 'missing.realm.c'), /no such file/], [tmp, /is a directory/], [bin, /is a binary file/], [big, /is 100\.0 MiB, larger than a scenario can be/]] as const) {
      const r = await cli('run', file);
      assert.equal(r.code, 2, file);
      assert.match(r.stderr, msg);
      assert.equal(r.stderr.split('\n').length, 1, 'one line');
    }
    const u = await cli('sweep');
    assert.equal(u.code, 2);
    assert.match(u.stderr, /'sweep' needs a scenario FILE\nTry 'realm-lab --help'\./);
  });

  it('trace --out writes every call with its checks; --help and --version print', async () => {
    const out = path.join(tmp, 'trace.json');
    assert.equal((await cli('trace', RAW, '--out', out)).code, 0);
    const t = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(t.format, 'realm-lab-trace');
    assert.equal(t.calls.length, 6);
    assert.ok(t.calls[0].checks.length > 0 && t.calls[0].step > 0);
    assert.match((await cli('--help')).stdout, /^Usage: realm-lab <command> FILE/);
    assert.match((await cli('--version')).stdout, /^realm-lab \d+\.\d+\.\d+$/);
  });
});

describe('node dist/cli.js', () => {
  it('run --json: exit 0 and one JSON object for a passing example', () => {
    const p = spawn('run', 'examples/raw-rmi-1.0.realm.c', '--json');
    assert.equal(p.status, 0, p.stderr);
    const j = JSON.parse(p.stdout);
    assert.equal(j.ok, true);
    assert.deepEqual(Object.keys(j).slice(0, 4), ['ok', 'file', 'profile', 'hostVariant']);
    assert.equal(j.rmiCalls[0].name, 'RMI_GRANULE_DELEGATE');
  });

  it('stops quietly when its reader closes the pipe early (run --json | head)', async () => {
    // Thousands of calls: more JSON than a pipe holds, so the CLI is still writing when the reader goes.
    const file = path.join(tmp, 'populate-16m.realm.c');
    fs.writeFileSync(file, populateScenario(16 << 20));
    const child = spawnChild(process.execPath, [CLI, 'run', file, '--json'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '', 'no EPIPE stack trace');
    assert.equal(code, 0);
  });

  it('sweep: exit 1 on v14 with the seed bug at every k, 0 on one clean shard; usage errors exit 2 without a stack trace', () => {
    const p = spawn('sweep', 'examples/sweep-seed.realm.c', '--json', '--command', 'RMI_GRANULE_RANGE_DELEGATE', '--jobs', '1');
    assert.equal(p.status, 1, p.stderr);
    const j = JSON.parse(p.stdout);
    assert.equal(j.points.filter((x: { ok: boolean }) => !x.ok).length, 16);
    const clean = spawn('sweep', 'examples/sweep-seed.realm.c', '--command', 'RMI_REALM_CREATE', '--jobs', '1');
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /^ok: 2 points, 0 with problems$/m);
    const bad = spawn('sweep', 'examples/sweep-seed.realm.c', '--shard', '5/2');
    assert.equal(bad.status, 2);
    assert.doesNotMatch(bad.stderr, /\bat .*\.js:\d+/);
    const missing = spawn('run', 'no/such.realm.c');
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, 'realm-lab: no/such.realm.c: no such file\n');
  });
});
