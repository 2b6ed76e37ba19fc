// REC_CREATE and REC_DESTROY as 2.0 stateful operations (reference 5.11, 5.12, 2.3, 3.3):
// RMI_INCOMPLETE with donate / reclaim requests, RMI_OP_MEM_DONATE, RMI_OP_MEM_RECLAIM,
// RMI_OP_CONTINUE, RMI_OP_CANCEL, and the protocol errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RealmState, Status } from '../../src/rmm';
import { SRO_CONTEXTS } from '../../src/rmm/commands/v2/sro';
import { Lab } from './helpers/rmm-setup';
import { GRANULE, MEM_REQ, OUTSIDE, V2Machine, desc, expectFailure, granulesOf, sroWord, type Result } from './helpers/v2-boot';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_REALM: REALM, RMI_ERROR_REC: REC, RMI_INCOMPLETE: INCOMPLETE, RMI_BLOCKED: BLOCKED } = Status;

/** A realm and a REC_CREATE that waits for its memory; `aux` are 16 scattered DELEGATED pages. */
function started(options = {}) {
  const m = new V2Machine({ options });
  const { rd } = m.createRealm();
  const rec = m.delegate(m.alloc());
  const params = m.alloc();
  m.writeRecParams(params, 0);
  const first = m.call('RMI_REC_CREATE', rd, rec, params);
  const aux = m.scatteredDelegated(16);
  const list = m.alloc();
  return { m, rd, rec, params, first, handle: first.x[1], aux, list };
}

function donate(m: V2Machine, handle: bigint, list: bigint, pas: readonly bigint[]): Result {
  m.writeList(list, pas.map((p) => desc(p)));
  return m.call('RMI_OP_MEM_DONATE', handle, list, BigInt(pas.length));
}

describe('RMI_REC_CREATE (2.0): donation', () => {
  it('claims the REC as PARTIAL and asks for 16 single DELEGATED pages, not cancellable', () => {
    const { m, rec, first, handle } = started();
    assert.deepEqual(sroWord(first), { status: INCOMPLETE, memReq: MEM_REQ.DONATE, canCancel: false });
    assert.equal(first.x[2], 16n << 2n, 'block size 4 KB, 16 blocks, not contiguous, state DELEGATED');
    assert.equal(m.state(rec), 'PARTIAL');
    assert.equal(m.rmm.st.sro.get(Number(handle))?.expect, 'RMI_OP_MEM_DONATE');
  });

  it('takes the memory over several OP_MEM_DONATE calls, then OP_CONTINUE creates the REC', () => {
    const { m, rd, rec, handle, aux, list } = started();
    const chunks = [5, 5, 6];
    let given = 0;
    for (const n of chunks) {
      const r = donate(m, handle, list, aux.slice(given, given + n));
      given += n;
      assert.equal(r.x[1], BigInt(n), 'X1 = granules consumed');
      if (given < 16) {
        assert.deepEqual(sroWord(r), { status: INCOMPLETE, memReq: MEM_REQ.DONATE, canCancel: false });
        assert.equal(r.x[2], BigInt(16 - given) << 2n, 'X2 = what is still wanted');
      } else {
        assert.deepEqual(sroWord(r), { status: INCOMPLETE, memReq: MEM_REQ.NONE, canCancel: false });
      }
      assert.deepEqual(aux.slice(0, given).map((p) => m.state(p)), Array(given).fill('REC_AUX'));
    }
    m.ok('RMI_OP_CONTINUE', handle, 0n);
    assert.equal(m.state(rec), 'REC');
    assert.equal(m.rmm.granule(rec).realm, rd);
    assert.ok(aux.every((p) => m.rmm.granule(p).realm === rd), 'aux granules belong to the realm');
    const realm = m.realm(rd);
    assert.deepEqual([realm.numRecs, realm.recIndex, m.rmm.st.granules.refcount[m.gi(rd)]], [1, 1, 1]);
    assert.deepEqual(m.rmm.st.recs.get(m.gi(rec))!.aux, aux.map((p) => m.gi(p)));
    assert.equal(m.rmm.st.sro.size, 0, 'the handle is free again');
    expectFailure(m.call('RMI_OP_CONTINUE', handle, 0n), INPUT, 'handle_valid');
  });

  it('accepts one descriptor covering 16 contiguous granules', () => {
    const { m, handle, list } = started();
    const block = m.delegate(m.alloc(16), 16);
    m.writeList(list, [desc(block, 16)]);
    const r = m.call('RMI_OP_MEM_DONATE', handle, list, 1n);
    assert.equal(r.x[1], 16n);
    assert.equal(sroWord(r).memReq, MEM_REQ.NONE);
    m.ok('RMI_OP_CONTINUE', handle, 0n);
  });

  it('extends the RIM for a runnable REC exactly as 1.0 REC_CREATE does, and not for one that is not runnable', () => {
    const lab = new Lab({ profile: '1.0' });
    lab.createRealm();
    lab.createRec(0);
    const m = new V2Machine();
    const { rd } = m.createRealm();
    const init = m.realm(rd).measurements[0].slice();
    m.createRec(rd, 0, { chunks: [3, 13] });
    assert.deepEqual(m.realm(rd).measurements[0], lab.realm().measurements[0]);
    assert.notDeepEqual(m.realm(rd).measurements[0], init);
    const after = m.realm(rd).measurements[0].slice();
    m.createRec(rd, 1, { runnable: false });
    assert.deepEqual(m.realm(rd).measurements[0], after);
  });

  it('stops a donation at a granule that is not DELEGATED, keeping the ones before it', () => {
    const { m, handle, aux, list } = started();
    const r = donate(m, handle, list, [aux[0], aux[1], m.alloc(), aux[2]]);
    assert.equal(r.x[1], 2n);
    assert.deepEqual(sroWord(r), { status: INCOMPLETE, memReq: MEM_REQ.DONATE, canCancel: false });
    assert.equal(r.x[2], 14n << 2n);
    assert.deepEqual([m.state(aux[1]), m.state(aux[2])], ['REC_AUX', 'DELEGATED']);
  });

  it('fails the whole operation when the first granule of a donation is not DELEGATED (even the REC itself)', () => {
    const { m, rec, handle, aux, list } = started();
    donate(m, handle, list, aux.slice(0, 4));
    const r = donate(m, handle, list, [rec]);
    assert.deepEqual(sroWord(r), { status: INCOMPLETE, memReq: MEM_REQ.RECLAIM, canCancel: false });
    assert.equal(r.check, 'donate_state');
    const back = m.reclaimAll(handle, 16, INPUT);
    assert.deepEqual(back, aux.slice(0, 4));
    assert.deepEqual([rec, ...aux].map((p) => m.state(p)), Array(17).fill('DELEGATED'));
  });
});

describe('RMI_REC_CREATE (2.0): checks deferred to RMI_OP_CONTINUE end in a reclaim', () => {
  const cases: { check: string; status: number; prep: (c: ReturnType<typeof started>) => void; options?: object }[] = [
    { check: 'realm_state', status: REALM, prep: (c) => c.m.ok('RMI_REALM_ACTIVATE', c.rd) },
    { check: 'mpidr_index', status: INPUT, prep: (c) => c.m.writeRecParams(c.params, 3) },
    { check: 'params_pas', status: INPUT, prep: (c) => c.m.delegate(c.params) },
    { check: 'rd_state', status: INPUT, prep: (c) => { c.m.realm(c.rd).state = RealmState.ZOMBIE; c.m.ok('RMI_REALM_DESTROY', c.rd); } },
    { check: 'num_recs', status: REALM, prep: (c) => { c.m.realm(c.rd).numRecs = 1; }, options: { maxRecsOrder: 1 } },
  ];
  for (const c of cases) {
    it(`${c.check}: RMI_INCOMPLETE with a reclaim request, the memory comes back, then ${c.status === REALM ? 'RMI_ERROR_REALM' : 'RMI_ERROR_INPUT'}`, () => {
      const ctx = started(c.options);
      const { m, rec, handle, aux, list } = ctx;
      c.prep(ctx);
      donate(m, handle, list, aux);
      const r = m.call('RMI_OP_CONTINUE', handle, 0n);
      assert.deepEqual(sroWord(r), { status: INCOMPLETE, memReq: MEM_REQ.RECLAIM, canCancel: false });
      assert.equal(r.check, c.check, 'the trace names the failing check');
      assert.equal(m.state(rec), 'PARTIAL');
      const back = m.reclaimAll(handle, 5, c.status);
      assert.deepEqual([...back].sort(), [...aux].sort());
      assert.deepEqual([rec, ...aux].map((p) => m.state(p)), Array(17).fill('DELEGATED'));
      assert.equal(m.rmm.st.recs.size, 0);
      assert.equal(m.rmm.st.sro.size, 0);
    });
  }

  it('reclaims up to `capacity` granules per call, merging contiguous ones into one descriptor', () => {
    const { m, rd, handle, list } = started();
    const block = m.delegate(m.alloc(16), 16);
    m.writeList(list, [desc(block, 16)]);
    m.call('RMI_OP_MEM_DONATE', handle, list, 1n);
    m.ok('RMI_REALM_ACTIVATE', rd);
    assert.equal(sroWord(m.call('RMI_OP_CONTINUE', handle, 0n)).memReq, MEM_REQ.RECLAIM);
    const out = m.alloc();
    const r1 = m.call('RMI_OP_MEM_RECLAIM', handle, out, 10n);
    assert.equal(r1.x[1], 1n, 'one descriptor for 10 contiguous granules');
    assert.deepEqual(m.readList(out, 1), [desc(block, 10)]);
    assert.equal(sroWord(r1).memReq, MEM_REQ.RECLAIM);
    const r2 = m.call('RMI_OP_MEM_RECLAIM', handle, out, 10n);
    assert.deepEqual(m.readList(out, 1), [desc(block + 10n * GRANULE, 6)]);
    assert.equal(sroWord(r2).memReq, MEM_REQ.NONE);
    expectFailure(m.call('RMI_OP_CONTINUE', handle, 0n), REALM, 'realm_state');
  });

  it('a zero-capacity reclaim moves nothing and repeats the request', () => {
    const { m, rd, handle, aux, list } = started();
    donate(m, handle, list, aux);
    m.ok('RMI_REALM_ACTIVATE', rd);
    m.call('RMI_OP_CONTINUE', handle, 0n);
    const before = m.fingerprint();
    const r = m.call('RMI_OP_MEM_RECLAIM', handle, OUTSIDE, 0n);
    assert.deepEqual([sroWord(r).memReq, r.x[1]], [MEM_REQ.RECLAIM, 0n]);
    assert.equal(m.fingerprint(), before);
  });
});

describe('SRO protocol errors change nothing', () => {
  it('the wrong SRO command for the outstanding request is RMI_ERROR_INPUT (sro_expected)', () => {
    const { m, handle, aux, list } = started();
    let before = m.fingerprint();
    expectFailure(m.call('RMI_OP_CONTINUE', handle, 0n), INPUT, 'sro_expected');
    expectFailure(m.call('RMI_OP_MEM_RECLAIM', handle, list, 4n), INPUT, 'sro_expected');
    assert.equal(m.fingerprint(), before);
    donate(m, handle, list, aux);
    before = m.fingerprint();
    expectFailure(donate(m, handle, list, []), INPUT, 'sro_expected');
    expectFailure(m.call('RMI_OP_MEM_RECLAIM', handle, list, 4n), INPUT, 'sro_expected');
    assert.equal(m.fingerprint(), before);
    m.ok('RMI_OP_CONTINUE', handle, 0n);
  });

  it('a handle that names no operation is RMI_ERROR_INPUT (handle_valid) for every SRO command', () => {
    const { m, handle, list } = started();
    for (const h of [handle + 1n, 1n << 40n]) {
      expectFailure(m.call('RMI_OP_CONTINUE', h, 0n), INPUT, 'handle_valid');
      expectFailure(m.call('RMI_OP_MEM_DONATE', h, list, 1n), INPUT, 'handle_valid');
      expectFailure(m.call('RMI_OP_MEM_RECLAIM', h, list, 1n), INPUT, 'handle_valid');
      expectFailure(m.call('RMI_OP_CANCEL', h), INPUT, 'handle_valid');
    }
  });

  const lists: { check: string; prep: (c: ReturnType<typeof started>) => [bigint, bigint] }[] = [
    { check: 'list_align', prep: (c) => [c.list + 4n, 1n] },
    { check: 'list_pas', prep: (c) => [c.m.delegate(c.m.alloc()), 1n] },
    { check: 'list_valid', prep: (c) => (c.m.writeList(c.list, [desc(c.aux[0], 1, 3, true)]), [c.list, 1n]) },
    { check: 'list_valid', prep: (c) => (c.m.writeList(c.list, [desc(c.aux[0], 1, 2)]), [c.list, 1n]) },
    { check: 'list_size', prep: (c) => (c.m.writeList(c.list, [...c.aux, c.m.delegate(c.m.alloc())].map((p) => desc(p))), [c.list, 17n]) },
  ];
  for (const l of lists) {
    it(`OP_MEM_DONATE fails ${l.check} and the operation still waits for memory`, () => {
      const c = started();
      const [listPa, count] = l.prep(c);
      const before = c.m.fingerprint();
      expectFailure(c.m.call('RMI_OP_MEM_DONATE', c.handle, listPa, count), INPUT, l.check);
      assert.equal(c.m.fingerprint(), before);
      assert.equal(donate(c.m, c.handle, c.list, c.aux).x[1], 16n);
    });
  }

  it('OP_MEM_RECLAIM refuses an output list outside NS memory before it hands anything back', () => {
    const { m, rd, handle, aux, list } = started();
    donate(m, handle, list, aux);
    m.ok('RMI_REALM_ACTIVATE', rd);
    m.call('RMI_OP_CONTINUE', handle, 0n);
    const before = m.fingerprint();
    expectFailure(m.call('RMI_OP_MEM_RECLAIM', handle, list + 4n, 4n), INPUT, 'list_align');
    expectFailure(m.call('RMI_OP_MEM_RECLAIM', handle, aux[0], 4n), INPUT, 'list_pas');
    assert.equal(m.fingerprint(), before);
  });
});

describe('RMI_OP_CANCEL', () => {
  it('cannot cancel REC_CREATE (can-cancel clear): RMI_ERROR_INPUT, and the operation goes on', () => {
    const { m, rec, handle, aux, list } = started();
    donate(m, handle, list, aux.slice(0, 8));
    const before = m.fingerprint();
    expectFailure(m.call('RMI_OP_CANCEL', handle), INPUT, 'can_cancel');
    assert.equal(m.fingerprint(), before);
    donate(m, handle, list, aux.slice(8));
    m.ok('RMI_OP_CONTINUE', handle, 0n);
    assert.equal(m.state(rec), 'REC');
  });

  it('cannot cancel REC_DESTROY either', () => {
    const m = new V2Machine();
    const { rd } = m.createRealm();
    const { rec } = m.createRec(rd, 0);
    const r = m.call('RMI_REC_DESTROY', rec);
    assert.equal(sroWord(r).canCancel, false);
    expectFailure(m.call('RMI_OP_CANCEL', r.x[1]), INPUT, 'can_cancel');
  });

  it('engine behaviour for a cancellable operation (none of the modelled commands is): memory back, object DELEGATED', () => {
    const { m, rec, handle, aux, list } = started();
    donate(m, handle, list, aux.slice(0, 6));
    m.rmm.st.sro.get(Number(handle))!.canCancel = true;
    const r = m.call('RMI_OP_CANCEL', handle);
    assert.deepEqual(sroWord(r), { status: INCOMPLETE, memReq: MEM_REQ.RECLAIM, canCancel: true });
    assert.deepEqual(m.reclaimAll(handle, 16, Status.RMI_SUCCESS), aux.slice(0, 6));
    assert.deepEqual([rec, ...aux].map((p) => m.state(p)), Array(17).fill('DELEGATED'));
  });
});

describe('RMI_REC_DESTROY (2.0)', () => {
  it('takes the REC out of service at once, hands the aux granules back by reclaim, then frees the REC', () => {
    const m = new V2Machine();
    const { rd } = m.createRealm();
    const { rec, aux } = m.createRec(rd, 0);
    const r = m.call('RMI_REC_DESTROY', rec);
    assert.deepEqual(sroWord(r), { status: INCOMPLETE, memReq: MEM_REQ.RECLAIM, canCancel: false });
    const handle = r.x[1];
    assert.equal(m.state(rec), 'PARTIAL');
    assert.deepEqual([m.realm(rd).numRecs, m.rmm.st.granules.refcount[m.gi(rd)]], [0, 0]);
    assert.ok(aux.every((p) => m.state(p) === 'REC_AUX'), 'aux stays with the RMM until reclaimed');
    const out = m.alloc();
    const sizes: bigint[] = [];
    for (;;) {
      const rr = m.call('RMI_OP_MEM_RECLAIM', handle, out, 7n);
      sizes.push(rr.x[1]);
      assert.ok(granulesOf(m.readList(out, Number(rr.x[1]))).every((p) => m.state(p) === 'DELEGATED'));
      if (sroWord(rr).memReq === MEM_REQ.NONE) break;
    }
    assert.deepEqual(sizes, [7n, 7n, 2n]);
    m.ok('RMI_OP_CONTINUE', handle, 0n);
    assert.deepEqual([rec, ...aux].map((p) => m.state(p)), Array(17).fill('DELEGATED'));
    assert.equal(m.rmm.st.recs.size, 0);
    // rec_index is not given back: the next REC still needs index 1.
    assert.equal(m.realm(rd).recIndex, 1);
    m.createRec(rd, 1);
  });

  it('fails rec_align, rec_bound, rec_gran_state with RMI_ERROR_INPUT and rec_state with RMI_ERROR_REC, changing nothing', () => {
    const m = new V2Machine();
    const { rd } = m.createRealm();
    const { rec } = m.createRec(rd, 0);
    const before = m.fingerprint();
    expectFailure(m.call('RMI_REC_DESTROY', rec + 8n), INPUT, 'rec_align');
    expectFailure(m.call('RMI_REC_DESTROY', OUTSIDE), INPUT, 'rec_bound');
    expectFailure(m.call('RMI_REC_DESTROY', rd), INPUT, 'rec_gran_state');
    m.rmm.st.setRecRunning(rec, true);
    const running = m.fingerprint();
    expectFailure(m.call('RMI_REC_DESTROY', rec), REC, 'rec_state');
    assert.equal(m.fingerprint(), running);
    m.rmm.st.setRecRunning(rec, false);
    assert.equal(m.fingerprint(), before);
  });

  it('a REC still being created (PARTIAL) is not a REC', () => {
    const { m, rec } = started();
    expectFailure(m.call('RMI_REC_DESTROY', rec), INPUT, 'rec_gran_state');
  });
});

describe('SRO contexts', () => {
  it(`with ${SRO_CONTEXTS} operations open, the next one is RMI_BLOCKED and nothing changes`, () => {
    const m = new V2Machine();
    const { rd } = m.createRealm();
    const params = m.alloc();
    m.writeRecParams(params, 0);
    const handles = new Set<bigint>();
    for (let i = 0; i < SRO_CONTEXTS; i++) handles.add(m.call('RMI_REC_CREATE', rd, m.delegate(m.alloc()), params).x[1]);
    assert.equal(handles.size, SRO_CONTEXTS, 'each operation has its own handle');
    const rec = m.delegate(m.alloc());
    const before = m.fingerprint();
    expectFailure(m.call('RMI_REC_CREATE', rd, rec, params), BLOCKED, 'sro_ctx');
    assert.equal(m.fingerprint(), before);
    assert.equal(m.state(rec), 'DELEGATED');
  });

  it('REC_CREATE checks only its REC granule up front: rec_align, rec_bound, rec_state', () => {
    const m = new V2Machine();
    const { rd, rtts } = m.createRealm();
    const params = m.alloc();
    expectFailure(m.call('RMI_REC_CREATE', rd, m.alloc() + 8n, params), INPUT, 'rec_align');
    expectFailure(m.call('RMI_REC_CREATE', rd, OUTSIDE, params), INPUT, 'rec_bound');
    expectFailure(m.call('RMI_REC_CREATE', rd, rtts[0], params), INPUT, 'rec_state');
    expectFailure(m.call('RMI_REC_CREATE', rd, m.alloc(), params), INPUT, 'rec_state');
    assert.equal(m.rmm.st.sro.size, 0);
  });
});
