// dist/cli.js, the `realm-lab` bin: binds runCli to the process. An unexpected internal error is
// reported in one line (with a hint to set REALM_LAB_DEBUG for the stack), never as a raw trace.
import { isMainThread } from 'node:worker_threads';
import { runCli } from './cli';

async function main(): Promise<void> {
  // A reader that stops early (`realm-lab run x --json | head`) closes the pipe: stop writing and
  // finish with the run's exit code, as other command-line tools do, rather than with a stack
  // trace from an unhandled EPIPE.
  let closed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  try {
    process.exitCode = await runCli(process.argv.slice(2), {
      stdout: (t) => {
        if (!closed) process.stdout.write(`${t}\n`);
      },
      stderr: (t) => process.stderr.write(`${t}\n`),
    });
  } catch (e) {
    process.stderr.write(`realm-lab: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.REALM_LAB_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    process.exitCode = 2;
  }
}

if (isMainThread) void main();
