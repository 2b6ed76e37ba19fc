// printk, WARN_ON and BUG_ON as the kernel has them: printk output and WARN_ON hits are recorded
// in the run's output with the statement they came from; BUG_ON stops the run like a panic.
import { CRuntimeError, type NativeFn } from '../../lang';
import type { RunContext } from '../context';
import { formatPrintf } from './printf';

export function kernelNatives(ctx: RunContext): Record<string, NativeFn> {
  const where = () => {
    const r = ctx.stmtRange();
    return `${r.file}:${r.line}`;
  };
  return {
    printk: (_m, args, site) => {
      const fmt = ctx.mem.readCString(BigInt(args[0]));
      const text = formatPrintf(fmt, args.slice(1), site.argTypes.slice(1), ctx.mem).replace(/\n$/, '');
      ctx.output.push({ kind: 'printk', text, range: ctx.stmtRange() });
      return text.length;
    },
    WARN_ON: (_m, args, site) => {
      const hit = args[0] ? 1 : 0;
      if (hit) ctx.output.push({ kind: 'warn', text: `WARNING: ${ctx.text(site.range)} at ${where()}`, range: ctx.stmtRange() });
      return hit;
    },
    BUG_ON: (_m, args, site) => {
      if (args[0]) throw new CRuntimeError(`kernel BUG: ${ctx.text(site.range)} at ${where()}`, 'bug');
      return undefined;
    },
  };
}
