import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { Fid, Status, type RmmOptions } from '../../src/rmm';
import { rmiMpidrOfIndex } from '../../src/rmm/commands/rec/mpidr';
import { ORDERS, OUTSIDE, RD, REC_PARAMS, RTT, Lab, auxPas, expectFailure, recPa, type RecParamsInit } from './helpers/rmm-setup';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_REALM: REALM, RMI_ERROR_REC: REC } = Status;

describe('RMI_REC_AUX_COUNT (1.0)', () => {
  for (const [name, rd] of [['rd_align', RD + 8n], ['rd_bound', OUTSIDE], ['rd_state', RTT]] as const) {
    it(`fails ${name} alone`, () => {
      const lab = new Lab();
      lab.createRealm();
      expectFailure(lab.call(Fid.RMI_REC_AUX_COUNT, rd), INPUT, name);
    });
  }

  it('returns the number of aux granules a REC needs in X1', () => {
    const lab = new Lab();
    lab.createRealm();
    assert.equal(lab.ok(Fid.RMI_REC_AUX_COUNT, RD).ret[1], 16n);
    const small = new Lab({ options: { recAuxCount: 4 } });
    small.createRealm();
    assert.equal(small.ok(Fid.RMI_REC_AUX_COUNT, RD).ret[1], 4n);
  });

  it('does not exist in 2.0 (aux memory is donated through an SRO)', () => {
    const lab = new Lab({ profile: '2.0' });
    assert.equal(lab.rmm.smc(BigInt(Fid.RMI_REC_AUX_COUNT), RD)[0], 0xffff_ffff_ffff_ffffn);
  });
});

/** A realm ready for REC 0: REC and aux granules delegated, valid params at REC_PARAMS. */
function readyForRec0(options: Partial<RmmOptions> = {}, p: RecParamsInit = {}): Lab {
  const lab = new Lab({ options });
  lab.createRealm();
  lab.delegate(recPa(0), ...auxPas(0));
  lab.writeRecParams(REC_PARAMS, 0, p);
  return lab;
}

const createArgs = (rd = RD, rec = recPa(0), params = REC_PARAMS): bigint[] => [rd, rec, params];
const aux0 = auxPas(0);

describe('RMI_REC_CREATE (1.0)', () => {
  const cases: { name: string; status: number; setup: (lab: Lab) => bigint[]; options?: Partial<RmmOptions> }[] = [
    { name: 'params_align', status: INPUT, setup: () => createArgs(RD, recPa(0), REC_PARAMS + 8n) },
    { name: 'params_bound', status: INPUT, setup: () => createArgs(RD, recPa(0), OUTSIDE) },
    { name: 'params_pas', status: INPUT, setup: (lab) => (lab.delegate(REC_PARAMS), createArgs()) },
    { name: 'rec_align', status: INPUT, setup: () => createArgs(RD, recPa(0) + 8n) },
    { name: 'rec_bound', status: INPUT, setup: () => createArgs(RD, OUTSIDE) },
    { name: 'rec_state', status: INPUT, setup: (lab) => (lab.ok(Fid.RMI_GRANULE_UNDELEGATE, recPa(0)), createArgs()) },
    { name: 'rd_align', status: INPUT, setup: () => createArgs(RD + 8n) },
    { name: 'rd_bound', status: INPUT, setup: () => createArgs(OUTSIDE) },
    { name: 'rd_state', status: INPUT, setup: () => createArgs(RTT) },
    { name: 'realm_state', status: REALM, setup: (lab) => (lab.ok(Fid.RMI_REALM_ACTIVATE, RD), createArgs()) },
    {
      name: 'num_recs', status: REALM, options: { maxRecsOrder: 1 },
      setup: (lab) => {
        lab.ok(Fid.RMI_REC_CREATE, ...createArgs());
        lab.delegate(recPa(1), ...auxPas(1));
        lab.writeRecParams(REC_PARAMS, 1);
        return createArgs(RD, recPa(1));
      },
    },
    { name: 'mpidr_index', status: INPUT, setup: (lab) => (lab.writeRecParams(REC_PARAMS, 0, { mpidr: rmiMpidrOfIndex(1) }), createArgs()) },
    { name: 'num_aux', status: INPUT, setup: (lab) => (lab.writeRecParams(REC_PARAMS, 0, { aux: aux0.slice(0, 15) }), createArgs()) },
    { name: 'aux_align', status: INPUT, setup: (lab) => (lab.writeRecParams(REC_PARAMS, 0, { aux: aux0.map((a, i) => (i === 3 ? a + 8n : a)) }), createArgs()) },
    { name: 'aux_alias', status: INPUT, setup: (lab) => (lab.writeRecParams(REC_PARAMS, 0, { aux: aux0.map((a, i) => (i === 5 ? recPa(0) : a)) }), createArgs()) },
    { name: 'aux_state', status: INPUT, setup: (lab) => (lab.ok(Fid.RMI_GRANULE_UNDELEGATE, aux0[2]), createArgs()) },
  ];
  for (const c of cases) {
    for (const checkOrder of ORDERS) {
      it(`fails ${c.name} alone (check order ${checkOrder}) and changes nothing`, () => {
        const lab = readyForRec0({ ...c.options, checkOrder });
        const args = c.setup(lab);
        const before = lab.fingerprint();
        expectFailure(lab.call(Fid.RMI_REC_CREATE, ...args), c.status, c.name);
        assert.equal(lab.fingerprint(), before);
      });
    }
  }

  for (const checkOrder of ORDERS) {
    it(`[rd_bound, rd_state] < [realm_state, num_recs] with check order ${checkOrder}`, () => {
      // An ACTIVE realm at its REC limit, and the host passes an RTT where the RD belongs.
      const lab = new Lab({ options: { maxRecsOrder: 1, checkOrder } });
      lab.createRealm();
      lab.createRec(0);
      lab.ok(Fid.RMI_REALM_ACTIVATE, RD);
      lab.delegate(recPa(1), ...auxPas(1));
      lab.writeRecParams(REC_PARAMS, 1);
      expectFailure(lab.call(Fid.RMI_REC_CREATE, RTT, recPa(1), REC_PARAMS), INPUT, 'rd_state');
      expectFailure(lab.call(Fid.RMI_REC_CREATE, OUTSIDE, recPa(1), REC_PARAMS), INPUT, 'rd_bound');
      expectFailure(lab.call(Fid.RMI_REC_CREATE, RD, recPa(1), REC_PARAMS), REALM, checkOrder === 'spec' ? 'realm_state' : 'num_recs');
    });
  }

  it('TF-RMM checks the aux granules first: bad aux and an ACTIVE realm give INPUT there, REALM in spec order', () => {
    for (const [checkOrder, status, check] of [['spec', REALM, 'realm_state'], ['tf-rmm', INPUT, 'aux_state']] as const) {
      const lab = readyForRec0({ checkOrder });
      lab.ok(Fid.RMI_GRANULE_UNDELEGATE, aux0[0]);
      lab.ok(Fid.RMI_REALM_ACTIVATE, RD);
      expectFailure(lab.call(Fid.RMI_REC_CREATE, ...createArgs()), status, check);
    }
  });

  it('creates a READY REC owned by the realm, aux granules REC_AUX, and counts it', () => {
    const gprs = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];
    const lab = readyForRec0({}, { pc: 0x8020_0000n, gprs });
    const o = lab.ok(Fid.RMI_REC_CREATE, ...createArgs());
    assert.deepEqual(lab.rmm.granule(recPa(0)), { state: 'REC', realm: RD });
    for (const a of aux0) assert.deepEqual(lab.rmm.granule(a), { state: 'REC_AUX', realm: RD });
    assert.deepEqual(o.event.changes.map((c) => c.pa), [...aux0, recPa(0)].map(Number));
    const rec = lab.rec(recPa(0));
    assert.equal(rec.runnable, true);
    assert.equal(rec.running, false);
    assert.equal(rec.pc, 0x8020_0000n);
    assert.deepEqual(rec.gprs, [...gprs, ...new Array(24).fill(0n)]);
    assert.equal(rec.index, 0);
    assert.equal(rec.psciPending, false);
    const realm = lab.realm();
    assert.equal(realm.recIndex, 1);
    assert.equal(realm.numRecs, 1);
    assert.equal(lab.rmm.st.granules.refcount[lab.gi(RD)], 1, 'RD refcount = number of RECs');
  });

  it('extends the RIM with the REC descriptor for a runnable REC only (spec B4.3.12.4)', () => {
    for (const [hashAlgo, algo] of [[0n, 'sha256'], [1n, 'sha512']] as const) {
      const lab = new Lab();
      lab.createRealm(RD, RTT, { hashAlgo });
      const rim0 = lab.realm().measurements[0].slice();
      lab.createRec(0, RD, { flags: 0n });
      assert.deepEqual(lab.realm().measurements[0], rim0, 'a REC that is not runnable is not measured');
      const gprs = [0x11n, 0x22n, 0n, 0n, 0n, 0n, 0n, 0x88n];
      lab.createRec(1, RD, { pc: 0x8010_0000n, gprs });
      assert.deepEqual(lab.realm().measurements[0], recRim(algo, rim0, 1n, 0x8010_0000n, gprs));
    }
  });

  it('does not measure the MPIDR or the aux addresses', () => {
    const rims = [0, 1].map((k) => {
      const lab = new Lab();
      lab.createRealm();
      lab.delegate(recPa(k), ...auxPas(k));
      lab.writeRecParams(REC_PARAMS, k, { mpidr: rmiMpidrOfIndex(0) });
      lab.ok(Fid.RMI_REC_CREATE, RD, recPa(k), REC_PARAMS);
      return lab.realm().measurements[0];
    });
    assert.deepEqual(rims[0], rims[1]);
  });
});

/** RimExtendRec computed independently with node's hashes, over the spec's layouts (C1.12). */
function recRim(algo: 'sha256' | 'sha512', rim: Uint8Array, flags: bigint, pc: bigint, gprs: bigint[]): Uint8Array {
  const measured = Buffer.alloc(4096);
  measured.writeBigUInt64LE(flags, 0x000);
  measured.writeBigUInt64LE(pc, 0x200);
  gprs.forEach((g, i) => measured.writeBigUInt64LE(g, 0x300 + 8 * i));
  const desc = Buffer.alloc(0x100);
  desc[0] = 1;
  desc.writeBigUInt64LE(0x100n, 0x8);
  Buffer.from(rim).copy(desc, 0x10);
  createHash(algo).update(measured).digest().copy(desc, 0x50);
  const out = new Uint8Array(64);
  out.set(createHash(algo).update(desc).digest());
  return out;
}

describe('RMI_REC_DESTROY (1.0)', () => {
  const cases: { name: string; status: number; rec: (lab: Lab) => bigint }[] = [
    { name: 'rec_align', status: INPUT, rec: () => recPa(0) + 8n },
    { name: 'rec_bound', status: INPUT, rec: () => OUTSIDE },
    { name: 'rec_gran_state', status: INPUT, rec: () => aux0[0] },
    { name: 'rec_state', status: REC, rec: (lab) => (lab.rmm.st.setRecRunning(recPa(0), true), recPa(0)) },
  ];
  for (const c of cases) {
    it(`fails ${c.name} alone and changes nothing`, () => {
      const lab = new Lab();
      lab.createRealm();
      lab.createRec(0);
      const rec = c.rec(lab);
      const before = lab.fingerprint();
      expectFailure(lab.call(Fid.RMI_REC_DESTROY, rec), c.status, c.name);
      assert.equal(lab.fingerprint(), before);
    });
  }

  for (const checkOrder of ORDERS) {
    it(`[rec_bound, rec_gran_state] < [rec_state] with check order ${checkOrder}`, () => {
      // The REC is running, and the host names one of its aux granules instead of the REC.
      const lab = new Lab({ options: { checkOrder } });
      lab.createRealm();
      lab.createRec(0);
      lab.rmm.st.setRecRunning(recPa(0), true);
      expectFailure(lab.call(Fid.RMI_REC_DESTROY, aux0[0]), INPUT, 'rec_gran_state');
      expectFailure(lab.call(Fid.RMI_REC_DESTROY, OUTSIDE), INPUT, 'rec_bound');
    });
  }

  it('returns the REC and its aux granules to DELEGATED in any realm state, keeping rec_index', () => {
    const lab = new Lab();
    lab.createRealm();
    lab.createRec(0);
    lab.ok(Fid.RMI_REALM_ACTIVATE, RD);
    lab.ok(Fid.RMI_REC_DESTROY, recPa(0));
    for (const p of [recPa(0), ...aux0]) assert.equal(lab.state(p), 'DELEGATED');
    assert.equal(lab.rmm.st.recs.size, 0);
    assert.equal(lab.realm().numRecs, 0);
    assert.equal(lab.realm().recIndex, 1);
    assert.equal(lab.rmm.st.granules.refcount[lab.gi(RD)], 0);
    for (const p of [recPa(0), ...aux0]) lab.ok(Fid.RMI_GRANULE_UNDELEGATE, p);
  });
});

describe('classic host bugs around RECs (reference section 8)', () => {
  it('#4 undelegating a REC or a REC_AUX granule in use fails gran_state', () => {
    const lab = new Lab();
    lab.createRealm();
    lab.createRec(0);
    expectFailure(lab.call(Fid.RMI_GRANULE_UNDELEGATE, recPa(0)), INPUT, 'gran_state');
    expectFailure(lab.call(Fid.RMI_GRANULE_UNDELEGATE, aux0[7]), INPUT, 'gran_state');
  });

  it('#10 RECs must be created in MPIDR index order: a gap fails mpidr_index', () => {
    const lab = readyForRec0({}, { mpidr: rmiMpidrOfIndex(1) });
    expectFailure(lab.call(Fid.RMI_REC_CREATE, ...createArgs()), INPUT, 'mpidr_index');
    lab.writeRecParams(REC_PARAMS, 0);
    lab.ok(Fid.RMI_REC_CREATE, ...createArgs());
  });

  it('#10 a REC created after REALM_ACTIVATE fails realm_state', () => {
    const lab = readyForRec0();
    lab.ok(Fid.RMI_REALM_ACTIVATE, RD);
    expectFailure(lab.call(Fid.RMI_REC_CREATE, ...createArgs()), REALM, 'realm_state');
  });

  it('#10 destroying a REC does not free its index', () => {
    const lab = new Lab();
    lab.createRealm();
    lab.createRec(0);
    lab.ok(Fid.RMI_REC_DESTROY, recPa(0));
    lab.writeRecParams(REC_PARAMS, 0);
    expectFailure(lab.call(Fid.RMI_REC_CREATE, ...createArgs()), INPUT, 'mpidr_index');
    lab.createRec(1);
    assert.equal(lab.rec(recPa(1)).index, 1);
  });

  it('#13 aux aliasing: aux == rec, or the same aux granule twice, fails aux_alias', () => {
    const lab = readyForRec0();
    lab.writeRecParams(REC_PARAMS, 0, { aux: aux0.map((a, i) => (i === 0 ? recPa(0) : a)) });
    expectFailure(lab.call(Fid.RMI_REC_CREATE, ...createArgs()), INPUT, 'aux_alias');
    lab.writeRecParams(REC_PARAMS, 0, { aux: aux0.map((a, i) => (i === 9 ? aux0[4] : a)) });
    expectFailure(lab.call(Fid.RMI_REC_CREATE, ...createArgs()), INPUT, 'aux_alias');
    assert.equal(lab.state(recPa(0)), 'DELEGATED');
    assert.equal(lab.state(aux0[4]), 'DELEGATED');
  });

  it('#17 REC_DESTROY while the REC runs on another CPU fails rec_state; once it left, it succeeds', () => {
    const lab = new Lab();
    lab.createRealm();
    lab.createRec(0);
    lab.rmm.st.setRecRunning(recPa(0), true);
    expectFailure(lab.call(Fid.RMI_REC_DESTROY, recPa(0)), REC, 'rec_state');
    lab.rmm.st.setRecRunning(recPa(0), false);
    lab.ok(Fid.RMI_REC_DESTROY, recPa(0));
  });

  it('#26 MPIDR encoding mistakes: Aff0 >= 16, or Aff3 at MPIDR_EL1 bits [39:32], fail mpidr_index', () => {
    // Aff0 = 16 sets SBZ bit 4; a host meaning index 16 must write Aff1 = 1, Aff0 = 0.
    const lab = new Lab();
    lab.createRealm();
    for (let k = 0; k < 16; k++) lab.createRec(k);
    lab.delegate(recPa(16), ...auxPas(16));
    lab.writeRecParams(REC_PARAMS, 16, { mpidr: 16n });
    expectFailure(lab.call(Fid.RMI_REC_CREATE, RD, recPa(16), REC_PARAMS), INPUT, 'mpidr_index');
    lab.writeRecParams(REC_PARAMS, 16, { mpidr: 1n << 8n });
    lab.ok(Fid.RMI_REC_CREATE, RD, recPa(16), REC_PARAMS);
    // Aff3 = 1 in MPIDR_EL1 layout (bit 32) lands in SBZ bits of RmiRecMpidr.
    const other = readyForRec0({}, { mpidr: 1n << 32n });
    expectFailure(other.call(Fid.RMI_REC_CREATE, ...createArgs()), INPUT, 'mpidr_index');
  });
});
