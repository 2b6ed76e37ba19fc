// 2.0 RMM bring-up: the RMI_ERROR_GLOBAL gate before RMI_RMM_ACTIVATE, RMM_CONFIG_SET / GET,
// RMM_ACTIVATE, GRANULE_TRACKING_GET (reference 1.2, 6.6, 7.1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fid, Status, createRmm } from '../../src/rmm';
import { OUTSIDE, V2Machine, expectFailure, pa } from './helpers/v2-boot';

const { RMI_ERROR_INPUT: INPUT, RMI_ERROR_GLOBAL: GLOBAL, RMI_SUCCESS: SUCCESS } = Status;
const CFG = pa(8);

function writeConfig(m: V2Machine, at: bigint, tracking = 0n, granule = 0n): void {
  m.rmm.memory.write(at, new Uint8Array(4096));
  m.u64(at, [[0x0, tracking], [0x8, granule]]);
}

describe('2.0 gating before RMI_RMM_ACTIVATE', () => {
  it('answers RMI_ERROR_GLOBAL to every command but the bring-up ones, and changes nothing', () => {
    const m = new V2Machine({ boot: false });
    const gated: (keyof typeof Fid)[] = [
      'RMI_GRANULE_RANGE_DELEGATE', 'RMI_GRANULE_RANGE_UNDELEGATE', 'RMI_REALM_CREATE', 'RMI_REALM_TERMINATE', 'RMI_REC_CREATE',
      'RMI_RTT_DATA_MAP', 'RMI_RTT_UNPROT_MAP', 'RMI_OP_CONTINUE', 'RMI_OP_MEM_DONATE', 'RMI_OP_MEM_RECLAIM', 'RMI_OP_CANCEL',
    ];
    for (const name of gated) {
      const r = m.call(name, pa(100), pa(101));
      expectFailure(r, GLOBAL, 'rmm_state');
    }
    assert.equal(m.state(pa(100)), 'UNDELEGATED');
    // The bring-up commands answer normally.
    assert.equal(m.call('RMI_VERSION', 0x20000n).status, SUCCESS);
    assert.equal(m.call('RMI_FEATURES', 1n).status, SUCCESS);
    assert.equal(m.call('RMI_GRANULE_TRACKING_GET', pa(0), pa(1)).status, SUCCESS);
    assert.equal(m.call('RMI_RMM_CONFIG_GET', CFG).status, SUCCESS);
  });

  it('opens once RMM_CONFIG_SET and RMM_ACTIVATE have run, and shuts the bring-up commands', () => {
    const m = new V2Machine({ boot: false });
    writeConfig(m, CFG);
    m.ok('RMI_RMM_CONFIG_SET', CFG);
    assert.equal(m.call('RMI_GRANULE_RANGE_DELEGATE', pa(100), pa(101)).status, GLOBAL);
    m.ok('RMI_RMM_ACTIVATE');
    assert.equal(m.rmm.st.rmmActive, true);
    m.ok('RMI_GRANULE_RANGE_DELEGATE', pa(100), pa(101));
    assert.equal(m.state(pa(100)), 'DELEGATED');
    expectFailure(m.call('RMI_RMM_ACTIVATE'), GLOBAL, 'rmm_state');
    expectFailure(m.call('RMI_RMM_CONFIG_SET', CFG), GLOBAL, 'rmm_state');
    // CONFIG_GET stays allowed.
    assert.equal(m.call('RMI_RMM_CONFIG_GET', CFG).status, SUCCESS);
  });

  it('needs no RMM_CONFIG_SET before RMM_ACTIVATE (TF-RMM keeps its defaults)', () => {
    const m = new V2Machine({ boot: false });
    m.ok('RMI_RMM_ACTIVATE');
    m.ok('RMI_GRANULE_RANGE_DELEGATE', pa(100), pa(101));
  });

  it('starts activated when options.activated says so, and 1.0 has no gate', () => {
    const rmm = createRmm({ profile: '2.0', options: { activated: true } });
    assert.equal(Number(rmm.smc(BigInt(Fid.RMI_RMM_ACTIVATE))[0] & 0xffn), GLOBAL);
    assert.equal(createRmm({ profile: '1.0' }).smc(BigInt(Fid.RMI_RMM_ACTIVATE))[0], 0xffff_ffff_ffff_ffffn);
  });
});

describe('RMI_RMM_CONFIG_SET', () => {
  const cases: { name: string; ptr: bigint; tracking?: bigint; granule?: bigint; prep?: (m: V2Machine) => void }[] = [
    { name: 'config_align', ptr: CFG + 8n },
    { name: 'config_bound', ptr: OUTSIDE },
    { name: 'config_pas', ptr: CFG, prep: (m) => m.rmm.st.granules.set(m.gi(CFG), 1) },
    { name: 'granule_size', ptr: CFG, granule: 1n },
    { name: 'granule_size', ptr: CFG, granule: 2n },
    { name: 'tracking_size', ptr: CFG, tracking: 1n },
  ];
  for (const c of cases) {
    it(`fails ${c.name} (${c.granule ?? c.tracking ?? c.ptr}) with RMI_ERROR_INPUT and stays in INIT`, () => {
      const m = new V2Machine({ boot: false });
      writeConfig(m, CFG, c.tracking, c.granule);
      c.prep?.(m);
      expectFailure(m.call('RMI_RMM_CONFIG_SET', c.ptr), INPUT, c.name);
      assert.equal(m.rmm.st.rmmActive, false);
    });
  }
});

describe('RMI_RMM_CONFIG_GET', () => {
  it('writes the whole RmiRmmConfig: 1 GB tracking regions (0) and 4 KB granules (0), rest zero', () => {
    const m = new V2Machine({ boot: false });
    m.rmm.memory.write(CFG, new Uint8Array(4096).fill(0xaa));
    m.ok('RMI_RMM_CONFIG_GET', CFG);
    assert.deepEqual(m.rmm.memory.read(CFG, 4096), new Uint8Array(4096));
  });

  for (const [name, ptr] of [['config_align', CFG + 0x10n], ['config_bound', OUTSIDE]] as const) {
    it(`fails ${name} and writes nothing`, () => {
      const m = new V2Machine();
      expectFailure(m.call('RMI_RMM_CONFIG_GET', ptr), INPUT, name);
    });
  }

  it('fails config_pas on a delegated page and leaves its contents alone', () => {
    const m = new V2Machine();
    const p = m.alloc();
    m.rmm.memory.write(p, new Uint8Array(16).fill(7));
    m.delegate(p);
    expectFailure(m.call('RMI_RMM_CONFIG_GET', p), INPUT, 'config_pas');
    assert.equal(m.rmm.st.memory.readU64(Number(p)), 0x0707_0707_0707_0707n);
  });
});

describe('RMI_GRANULE_TRACKING_GET', () => {
  it('reports DRAM as conventional memory tracked per granule, up to the end of DRAM', () => {
    const m = new V2Machine({ boot: false });
    const r = m.ok('RMI_GRANULE_TRACKING_GET', pa(0), 0x1_0000_0000n);
    assert.deepEqual(r.x.slice(1, 4), [0n, 2n, 0xc000_0000n]);
    const inside = m.ok('RMI_GRANULE_TRACKING_GET', pa(4), pa(6));
    assert.deepEqual(inside.x.slice(1, 4), [0n, 2n, pa(6)]);
  });

  it('reports PA space outside DRAM as not tracked, up to where DRAM starts', () => {
    const m = new V2Machine();
    const r = m.ok('RMI_GRANULE_TRACKING_GET', 0x4000_0000n, 0x9000_0000n);
    assert.deepEqual(r.x.slice(1, 4), [0n, 1n, 0x8000_0000n]);
  });

  const bad: [string, bigint, bigint][] = [
    ['addr_bound', 0x1_0000_0000_0000n, 0x1_0000_0000_1000n],
    ['size_valid', pa(4), pa(4)],
    ['size_valid', pa(4), pa(3)],
    ['base_align', pa(4) + 8n, pa(6)],
    ['top_align', pa(4), pa(6) + 8n],
  ];
  for (const [name, base, top] of bad) {
    it(`fails ${name} for [0x${base.toString(16)}, 0x${top.toString(16)})`, () => {
      expectFailure(new V2Machine().call('RMI_GRANULE_TRACKING_GET', base, top), INPUT, name);
    });
  }
});
