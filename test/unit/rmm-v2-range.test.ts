// RMI_GRANULE_RANGE_DELEGATE / RANGE_UNDELEGATE (2.0; reference 5.5, 3.3): range checks, the
// granule-by-granule processing, the options for the spec's open points, fault injection.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from '../../src/rmm';
import { GRANULE, OUTSIDE, V2Machine, expectFailure, pa } from './helpers/v2-boot';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_REALM: REALM, RMI_SUCCESS: SUCCESS } = Status;
const DEL = 'RMI_GRANULE_RANGE_DELEGATE';
const UNDEL = 'RMI_GRANULE_RANGE_UNDELEGATE';
const BASE = pa(200);
const top = (n: number) => BASE + BigInt(n) * GRANULE;

describe('range checks (both commands)', () => {
  for (const name of [DEL, UNDEL] as const) {
    const cases: [string, bigint, bigint][] = [
      ['base_align', BASE + 8n, top(4)],
      ['top_align', BASE, top(4) - 8n],
      ['top_bound', BASE, BASE],
      ['top_bound', top(4), BASE],
    ];
    for (const [check, base, t] of cases) {
      it(`${name}: ${check} fails with RMI_ERROR_INPUT, X1 = base, nothing changed`, () => {
        const m = new V2Machine();
        if (name === UNDEL) m.delegate(BASE, 4);
        const before = m.fingerprint();
        const r = m.call(name, base, t);
        expectFailure(r, INPUT, check);
        assert.equal(r.x[1], base);
        assert.equal(m.fingerprint(), before);
      });
    }
  }
});

describe('RMI_GRANULE_RANGE_DELEGATE', () => {
  it('delegates the whole range in one call by default, X1 = out_top = top', () => {
    const m = new V2Machine();
    const r = m.ok(DEL, BASE, top(8));
    assert.equal(r.x[1], top(8));
    assert.deepEqual(m.states(BASE, 9), [...Array(8).fill('DELEGATED'), 'UNDELEGATED']);
    assert.deepEqual(r.event.changes.map((c) => c.pa), Array.from({ length: 8 }, (_, i) => Number(BASE) + i * 4096));
  });

  it('stops after rangeGranulesPerCall granules with RMI_SUCCESS and out_top < top (the host loops)', () => {
    const m = new V2Machine({ options: { rangeGranulesPerCall: 3 } });
    const r1 = m.ok(DEL, BASE, top(8));
    assert.equal(r1.x[1], top(3));
    assert.deepEqual(m.states(BASE, 4), ['DELEGATED', 'DELEGATED', 'DELEGATED', 'UNDELEGATED']);
    const r2 = m.ok(DEL, r1.x[1], top(8));
    assert.equal(r2.x[1], top(6));
    assert.equal(m.ok(DEL, r2.x[1], top(8)).x[1], top(8));
  });

  it('TF-RMM main style (one granule per call) needs one call per granule', () => {
    const m = new V2Machine({ options: { rangeGranulesPerCall: 1 } });
    const before = m.events.length;
    m.delegate(BASE, 5);
    assert.equal(m.events.length - before, 5);
  });

  for (const report of [true, false]) {
    it(`stops at a granule in use (gran_state); granules before it stay DELEGATED; X1 ${report ? 'reports progress' : '= base'}`, () => {
      const m = new V2Machine({ options: { reportProgressOnError: report } });
      m.delegate(top(3));
      const before = m.rmm.st.granules.state.slice();
      const r = m.call(DEL, BASE, top(6));
      expectFailure(r, INPUT, 'gran_state');
      assert.equal(r.x[1], report ? top(3) : BASE);
      assert.deepEqual(m.states(BASE, 6), ['DELEGATED', 'DELEGATED', 'DELEGATED', 'DELEGATED', 'UNDELEGATED', 'UNDELEGATED']);
      assert.notDeepEqual(m.rmm.st.granules.state, before, 'a failed range command keeps its partial progress');
    });
  }

  it("with rangeDelegateConflict 'skip' passes over an already-DELEGATED granule", () => {
    const m = new V2Machine({ options: { rangeDelegateConflict: 'skip' } });
    m.delegate(top(2));
    const r = m.ok(DEL, BASE, top(4));
    assert.equal(r.x[1], top(4));
    assert.deepEqual(m.states(BASE, 4), Array(4).fill('DELEGATED'));
    assert.equal(r.event.changes.length, 3, 'the skipped granule does not change');
  });

  it("even with 'skip', a granule used by a realm object stops the range", () => {
    const m = new V2Machine({ options: { rangeDelegateConflict: 'skip' } });
    const { rd } = m.createRealm();
    const r = m.call(DEL, rd, rd + 2n * GRANULE);
    expectFailure(r, INPUT, 'gran_state');
    assert.equal(r.x[1], rd);
    assert.equal(m.state(rd + GRANULE), 'UNDELEGATED');
    assert.equal(m.state(rd), 'RD');
  });

  it('stops with gran_bound where the range leaves DRAM', () => {
    const m = new V2Machine();
    const end = 0xc000_0000n;
    const r = m.call(DEL, end - 2n * GRANULE, end + GRANULE);
    expectFailure(r, INPUT, 'gran_bound');
    assert.equal(r.x[1], end);
    assert.equal(m.state(end - GRANULE), 'DELEGATED');
    expectFailure(m.call(DEL, OUTSIDE, OUTSIDE + GRANULE), INPUT, 'gran_bound');
  });
});

describe('RMI_GRANULE_RANGE_UNDELEGATE', () => {
  it('undelegates and wipes every granule of the range', () => {
    const m = new V2Machine();
    m.delegate(BASE, 4);
    m.rmm.st.memory.write(Number(top(1)), new Uint8Array([1, 2, 3]));
    const r = m.ok(UNDEL, BASE, top(4));
    assert.equal(r.x[1], top(4));
    assert.deepEqual(m.states(BASE, 4), Array(4).fill('UNDELEGATED'));
    assert.deepEqual(m.rmm.memory.read(top(1), 3), new Uint8Array(3));
  });

  for (const report of [true, false]) {
    it(`stops at a never-delegated granule; the ones before it stay UNDELEGATED; X1 ${report ? 'reports progress' : '= base'}`, () => {
      const m = new V2Machine({ options: { reportProgressOnError: report } });
      m.delegate(BASE, 2);
      m.delegate(top(3));
      const r = m.call(UNDEL, BASE, top(4));
      expectFailure(r, INPUT, 'gran_state');
      assert.equal(r.x[1], report ? top(2) : BASE);
      assert.deepEqual(m.states(BASE, 4), ['UNDELEGATED', 'UNDELEGATED', 'UNDELEGATED', 'DELEGATED']);
    });
  }

  it("with rangeUndelegateConflict 'skip' passes over an UNDELEGATED granule", () => {
    const m = new V2Machine({ options: { rangeUndelegateConflict: 'skip' } });
    m.delegate(BASE, 2);
    m.delegate(top(3));
    assert.equal(m.ok(UNDEL, BASE, top(4)).x[1], top(4));
    assert.deepEqual(m.states(BASE, 4), Array(4).fill('UNDELEGATED'));
  });

  it('refuses a granule still used by an RMM object, even with skip', () => {
    const m = new V2Machine({ options: { rangeUndelegateConflict: 'skip' } });
    const { rd, rtts } = m.createRealm();
    expectFailure(m.call(UNDEL, rd, rd + GRANULE), INPUT, 'gran_state');
    expectFailure(m.call(UNDEL, rtts[0], rtts[0] + GRANULE), INPUT, 'gran_state');
    assert.equal(m.state(rd), 'RD');
  });
});

describe('fault injection on range commands', () => {
  for (const reportProgress of [undefined, true, false]) {
    for (const k of [0, 1, 3]) {
      it(`afterGranules ${k}, reportProgress ${String(reportProgress)}: stops before granule ${k} with the chosen status`, () => {
        const m = new V2Machine({ faults: [{ command: DEL, afterGranules: k, status: 'RMI_ERROR_REALM', reportProgress }] });
        const r = m.call(DEL, BASE, top(6));
        expectFailure(r, REALM, 'fault_injected');
        // The 2.0 default reports progress; a fault may say otherwise for its call.
        assert.equal(r.x[1], reportProgress === false ? BASE : top(k));
        assert.deepEqual(m.states(BASE, 6), [...Array(k).fill('DELEGATED'), ...Array(6 - k).fill('UNDELEGATED')]);
        assert.match(r.event.fault ?? '', /forced to fail at granule/);
        // The fault fired once: the host can go on from where it stopped.
        assert.equal(m.ok(DEL, top(k), top(6)).x[1], top(6));
      });
    }
  }

  it('counts afterGranules across calls when the RMM does one granule per call', () => {
    const m = new V2Machine({ options: { rangeGranulesPerCall: 1 }, faults: [{ command: DEL, afterGranules: 3, status: 'RMI_ERROR_INPUT' }] });
    for (let i = 0; i < 3; i++) assert.equal(m.ok(DEL, top(i), top(6)).x[1], top(i + 1));
    const r = m.call(DEL, top(3), top(6));
    expectFailure(r, INPUT, 'fault_injected');
    assert.equal(r.x[1], top(3));
  });

  it('fails at a chosen granule PA, with and without progress', () => {
    for (const reportProgress of [true, false]) {
      const m = new V2Machine({ faults: [{ command: UNDEL, granule: top(2), status: 'RMI_ERROR_INPUT', reportProgress }] });
      m.delegate(BASE, 4);
      const r = m.call(UNDEL, BASE, top(4));
      expectFailure(r, INPUT, 'fault_injected');
      assert.equal(r.x[1], reportProgress ? top(2) : BASE);
      assert.deepEqual(m.states(BASE, 4), ['UNDELEGATED', 'UNDELEGATED', 'DELEGATED', 'DELEGATED']);
    }
  });

  it('a fault armed on the Nth call leaves the earlier calls alone', () => {
    const m = new V2Machine({ faults: [{ command: DEL, nth: 2, afterGranules: 1, status: 'RMI_ERROR_INPUT' }] });
    assert.equal(m.call(DEL, BASE, top(2)).status, SUCCESS);
    const r = m.call(DEL, top(2), top(6));
    expectFailure(r, INPUT, 'fault_injected');
    assert.equal(r.x[1], top(3));
  });
});
