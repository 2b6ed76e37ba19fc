// The seed bug at the RMM level (reference 7.3, 7.4): realm_create_rd delegates a 16-granule root
// RTT range, the delegation fails at granule k, and the error path undelegates. v14 undelegates
// the whole range and trips over granule k; the fix undelegates only [pgd, top_delegated).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from '../../src/rmm';
import { GRANULE, V2Machine, expectFailure, type Result } from './helpers/v2-boot';

const { RMI_ERROR_INPUT: INPUT, RMI_SUCCESS: SUCCESS } = Status;
const DEL = 'RMI_GRANULE_RANGE_DELEGATE';
const UNDEL = 'RMI_GRANULE_RANGE_UNDELEGATE';
const N = 16;

/** The host's rmi_delegate_range loop: on success go on from out_top; any error ends it. Returns the last result. */
function delegateRange(m: V2Machine, base: bigint, top: bigint): Result {
  let at = base;
  for (;;) {
    const r = m.call(DEL, at, top);
    if (r.status !== SUCCESS || r.x[1] === top) return r;
    at = r.x[1];
  }
}

/** A machine whose RD is delegated (call 1) and whose PGD delegation (from call 2) fails after k granules. */
function setup(k: number, options = {}): { m: V2Machine; pgd: bigint; top: bigint; failed: Result } {
  const m = new V2Machine({ options, faults: [{ command: DEL, nth: 2, afterGranules: k, status: 'RMI_ERROR_INPUT' }] });
  const rd = m.alloc();
  m.ok(DEL, rd, rd + GRANULE);
  const pgd = m.alloc(N, N);
  const top = pgd + BigInt(N) * GRANULE;
  const failed = delegateRange(m, pgd, top);
  return { m, pgd, top, failed };
}

describe('seed bug: partial delegation of a 16-granule root RTT range', () => {
  for (let k = 0; k < N; k++) {
    it(`k = ${k}: delegation stops at granule ${k}; out_top tells the host where`, () => {
      const { m, pgd, failed } = setup(k);
      expectFailure(failed, INPUT, 'fault_injected');
      assert.equal(failed.x[1], pgd + BigInt(k) * GRANULE);
      assert.deepEqual(m.states(pgd, N), [...Array(k).fill('DELEGATED'), ...Array(N - k).fill('UNDELEGATED')]);
    });

    it(`k = ${k}: v14's whole-range undelegate fails at granule ${k}, [0, ${k}) back to UNDELEGATED, the rest never looked at`, () => {
      const { m, pgd, top } = setup(k);
      const r = m.call(UNDEL, pgd, top);
      expectFailure(r, INPUT, 'gran_state');
      assert.equal(r.x[1], pgd + BigInt(k) * GRANULE);
      assert.deepEqual(m.states(pgd, N), Array(N).fill('UNDELEGATED'));
      assert.deepEqual(r.event.changes.map((c) => c.pa), Array.from({ length: k }, (_, i) => Number(pgd) + i * 4096),
        'only the granules before k changed');
    });

    it(`k = ${k}: the fix undelegates [pgd, top_delegated) and succeeds`, () => {
      const { m, pgd, failed } = setup(k);
      const topDelegated = failed.x[1];
      if (k === 0) {
        // Nothing was delegated: the fixed host issues no SMC, since an empty range is an error.
        expectFailure(m.call(UNDEL, pgd, topDelegated), INPUT, 'top_bound');
      } else {
        const r = m.ok(UNDEL, pgd, topDelegated);
        assert.equal(r.x[1], topDelegated);
      }
      assert.deepEqual(m.notUndelegated().length, 1, 'only the RD is left DELEGATED');
    });
  }

  it('TF-RMM main style (one granule per call): same outcome, the fault counting granules across calls', () => {
    const { m, pgd, top, failed } = setup(5, { rangeGranulesPerCall: 1 });
    assert.equal(failed.x[1], pgd + 5n * GRANULE);
    assert.deepEqual(m.states(pgd, 6), [...Array(5).fill('DELEGATED'), 'UNDELEGATED']);
    const r = m.call(UNDEL, pgd, top);
    assert.equal(r.status, SUCCESS, 'one granule per call: the first undelegate succeeds');
    assert.equal(r.x[1], pgd + GRANULE);
  });

  it('without progress on error the host cannot learn how far delegation went: X1 = base, yet 5 granules are DELEGATED', () => {
    const { m, pgd, failed } = setup(5, { reportProgressOnError: false });
    expectFailure(failed, INPUT, 'fault_injected');
    assert.equal(failed.x[1], pgd);
    assert.deepEqual(m.states(pgd, 6), [...Array(5).fill('DELEGATED'), 'UNDELEGATED']);
  });

  it('hazard: with skip semantics, a whole-range undelegate takes back a granule someone else delegated', () => {
    const m = new V2Machine({ options: { rangeUndelegateConflict: 'skip' } });
    const pgd = m.alloc(N, N);
    m.delegate(pgd + 5n * GRANULE); // another user's granule inside the range
    const failed = m.call(DEL, pgd, pgd + BigInt(N) * GRANULE);
    expectFailure(failed, INPUT, 'gran_state');
    assert.equal(failed.x[1], pgd + 5n * GRANULE);
    const r = m.ok(UNDEL, pgd, pgd + BigInt(N) * GRANULE);
    assert.equal(r.x[1], pgd + BigInt(N) * GRANULE);
    assert.equal(m.state(pgd + 5n * GRANULE), 'UNDELEGATED', "the other user's granule went back to the host");
  });
});
