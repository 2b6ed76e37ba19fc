// Expectations: expect(cond), expect_granule(pa, STATE), expect_no_leaks(). A failed expectation
// is recorded (with the values involved) and the scenario goes on, so one run reports them all.
import { hex, type NativeFn, type Value } from '../../lang';
import { findLeaks, granuleStateName } from '../../rmm';
import type { RunContext } from '../context';

const show = (v: Value) => {
  const b = BigInt(v);
  return b >= 4096n || b <= -4096n ? `${hex(b)}` : String(b);
};

export function expectNatives(ctx: RunContext): Record<string, NativeFn> {
  return {
    expect: (_m, args, site) => {
      const text = site.expect ? ctx.text(site.expect.text) : '?';
      let passed: boolean;
      let detail = '';
      const op = site.expect?.op;
      if (op && args.length === 2) {
        const [l, r] = args.map((a) => BigInt(a));
        passed = op === '==' ? l === r : op === '!=' ? l !== r : op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : l >= r;
        if (!passed) detail = `: left side is ${show(args[0])}, right side is ${show(args[1])}`;
      } else {
        passed = BigInt(args[0]) !== 0n;
      }
      ctx.expectations.push({ range: site.range, passed, message: passed ? `expect(${text}) passed` : `expect(${text}) failed${detail}` });
      return undefined;
    },
    expect_granule: (_m, args, site) => {
      const pa = BigInt.asUintN(64, BigInt(args[0]));
      const want = granuleStateName(Number(args[1]));
      let got: string;
      try {
        got = ctx.rmm.granule(pa).state;
      } catch {
        got = 'outside DRAM';
      }
      const passed = got === want;
      ctx.expectations.push({
        range: site.range, passed,
        message: passed ? `granule ${hex(pa)} is ${want}` : `expected granule ${hex(pa)} to be ${want}, but it is ${got}`,
      });
      return undefined;
    },
    expect_no_leaks: (_m, _args, site) => {
      const leaks = findLeaks(ctx.rmm);
      const passed = leaks.length === 0;
      const list = leaks.slice(0, 8).map((l) => (l.pa === undefined ? '?' : hex(l.pa))).join(', ');
      ctx.expectations.push({
        range: site.range, passed,
        message: passed ? 'no granule leaked' : `${leaks.length} granule(s) leaked (DELEGATED, used by no RMM object): ${list}${leaks.length > 8 ? ', ...' : ''}`,
      });
      return undefined;
    },
  };
}

