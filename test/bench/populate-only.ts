// Runs only realm.populate_1gib_ms (for profiling the host C path): node out/test/bench/populate-only.js
import { populate1GiB } from './populate';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
populate1GiB((name, value, unit) => console.log(JSON.stringify({ name, value: Math.round(value * 100) / 100, unit })), median, Number(process.env.RUNS ?? 1))
  .catch((e) => { console.error(e); process.exit(1); });
