// The Granule Map's data path, extension side: emulator state -> MapState/MapDelta (run-length
// encoded) -> the arrays the webview decodes, and a granule's history for the side panel.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyChanges, decodeRuns, encodeRuns, granuleIndex, granulePa } from '../../src/protocol/granule-map';
import { arraysAfterCalls, callsUpToLine, captureArrays, changedIndices, deltaBetween, fullState, granuleDetails, hoverInfo, ipaOf } from '../../src/extension/map-state';
import { createRmm } from '../../src/rmm';
import { createRealm, PageAllocator, populate } from './helpers/raw-realm';
import { load, run } from './helpers/c-run';

const MACHINE = `struct realm_lab_machine machine = { .profile = "1.0", .dram_base = 0x80000000, .dram_size = 0x4000000 };`;

const SCENARIO = `${MACHINE}
void scenario(void)
{
	phys_addr_t a = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	phys_addr_t b = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	rmi_call(RMI_GRANULE_DELEGATE, a);
	rmi_call(RMI_GRANULE_DELEGATE, b);
	rmi_call(RMI_GRANULE_UNDELEGATE, a);
}
`;

describe('granule map state (extension side)', () => {
  it('run-length codes round-trip and reject malformed input', () => {
    const values = new Uint8Array([0, 0, 0, 1, 1, 6, 0, 0]);
    const runs = encodeRuns(values);
    assert.deepEqual(runs, [0, 3, 1, 2, 6, 1, 0, 2]);
    assert.deepEqual([...decodeRuns(runs, 8, new Uint8Array(8))], [...values]);
    assert.throws(() => decodeRuns([0, 3], 8, new Uint8Array(8)), /covers 3 of 8/);
    assert.throws(() => decodeRuns([0, 9], 8, new Uint8Array(8)), /bad run/);
    assert.throws(() => decodeRuns([0], 8, new Uint8Array(8)), /odd/);
    assert.equal(applyChanges([99, 1, -1], new Uint8Array(8), new Int32Array(8)), false, 'an index out of range is refused');
  });

  it('maps PAs to granule indices and back across regions', () => {
    const regions = [{ base: '0x80000000', count: 4 }, { base: '0x100000000', count: 2 }];
    assert.equal(granuleIndex(regions, 0x8000_3fffn), 3);
    assert.equal(granuleIndex(regions, 0x1_0000_1000n), 5);
    assert.equal(granuleIndex(regions, 0x8000_4000n), -1);
    assert.equal(granulePa(regions, 4), 0x1_0000_0000n);
    assert.equal(granulePa(regions, 6), undefined);
  });

  it('a full state decodes to the emulator\'s granule states, and a delta carries only the changes', async () => {
    const r = await load(SCENARIO);
    assert.deepEqual(r.diagnostics, []);
    const before = captureArrays(r.rmm);
    r.runToEnd();
    assert.equal(r.error, undefined);
    const after = captureArrays(r.rmm);
    const state = fullState(r.rmm, after, { version: 1, file: 'x.realm.c', at: 'end of run', changed: [] });
    assert.equal(state.count, 64 * 256);
    assert.deepEqual(state.regions, [{ base: '0x80000000', count: 16384 }]);
    const states = decodeRuns(state.states, state.count, new Uint8Array(state.count));
    const delegated = [...states.keys()].filter((i) => state.stateNames[states[i]] === 'DELEGATED');
    assert.equal(delegated.length, 1, 'one granule stays DELEGATED');
    const pa = granulePa(state.regions, delegated[0])!;
    assert.equal(r.rmm.granule(pa).state, 'DELEGATED');

    const delta = deltaBetween(before, after, { from: 0, to: 1, at: 'end', changed: [] })!;
    assert.equal(delta.changes.length, 3, 'one changed granule: [index, state, owner]');
    assert.equal(delta.changes[0], delegated[0]);
    const replay = before.states.slice();
    assert.ok(applyChanges(delta.changes, replay, before.owners.slice()));
    assert.deepEqual([...replay], [...after.states]);
    assert.deepEqual(changedIndices(before, after), [delegated[0]]);
  });

  it('a realm\'s granules carry its id, and a granule\'s history lists each transition with its line', async () => {
    const r = await run(`${MACHINE}
struct p { u64 flags, s2sz, sve_vl, num_bps, num_wps, pmu, hash; u8 r0[0x400 - 0x38]; u8 rpv[64]; u8 r1[0x800 - 0x440];
	u64 vmid, rtt_base; s64 level; u64 num; u8 r2[0x1000 - 0x820]; };
void scenario(void)
{
	struct p *params = (void *)get_zeroed_page(GFP_KERNEL);
	phys_addr_t rd = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	phys_addr_t rtt = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	rmi_call(RMI_GRANULE_DELEGATE, rd);
	rmi_call(RMI_GRANULE_DELEGATE, rtt);
	params->s2sz = 39; params->num_bps = 1; params->num_wps = 1; params->vmid = 1;
	params->rtt_base = rtt; params->level = 1; params->num = 1;
	expect(rmi_call(RMI_REALM_CREATE, rd, virt_to_phys(params)) == RMI_SUCCESS);
}
`);
    const arrays = captureArrays(r.rmm);
    assert.equal(arrays.realms.length, 1);
    const rdIndex = r.rmm.st.granules.index(Number(BigInt(arrays.realms[0].rd)));
    assert.equal(arrays.owners[rdIndex], 0, 'the RD belongs to its own realm');
    const rtt = [...arrays.states.keys()].find((i) => arrays.states[i] === 6)!;
    assert.equal(arrays.owners[rtt], 0, 'the root RTT belongs to the realm');
    assert.equal(arrays.realms[0].state, 'REALM_NEW');

    const d = granuleDetails(r.rmm, r.calls, rdIndex)!;
    assert.equal(d.state, 'RD');
    assert.deepEqual(d.history.map((h) => `${h.command}: ${h.from} -> ${h.to} line ${h.line}`), [
      'RMI_GRANULE_DELEGATE: UNDELEGATED -> DELEGATED line 9',
      'RMI_REALM_CREATE: DELEGATED -> RD line 13',
    ]);
    assert.equal(granuleDetails(r.rmm, r.calls, -1), undefined, 'a bad index gives nothing, not an exception');
    assert.equal(granuleDetails(r.rmm, r.calls, 1e9), undefined);
  });

  it('a call made inside a helper function is attributed to the line of scenario() that called it', async () => {
    const r = await run(`${MACHINE}
static void delegate(phys_addr_t pa)
{
	rmi_call(RMI_GRANULE_DELEGATE, pa);
}
void scenario(void)
{
	phys_addr_t a = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	delegate(a);
	delegate(virt_to_phys((void *)__get_free_page(GFP_KERNEL)));
}
`);
    assert.deepEqual(r.calls.map((c) => `${c.range.line}<-${c.entryLine}`), ['4<-9', '4<-10']);
    // The fast loop (runSteps) records the same attribution as single steps do.
    const fast = await load(r.compiled.files.get('test.realm.c')!.text);
    while (fast.runSteps(3)) { /* slices of three statements */ }
    assert.deepEqual(fast.calls.map((c) => c.entryLine), [9, 10]);
    assert.equal(fast.steps, r.steps, 'the same statements ran');
  });

  it('the map at a line replays the calls made up to it, and its details show that moment', async () => {
    const r = await run(SCENARIO);
    // Lines of the scenario's three RMI calls: 6, 7, 8 (the two DELEGATEs, then the UNDELEGATE of a).
    const lines = r.calls.map((c) => c.range.line);
    assert.deepEqual(lines, [6, 7, 8]);
    assert.deepEqual(r.calls.map((c) => c.entryLine), lines, 'calls made by scenario() itself are on their own line');
    assert.equal(callsUpToLine(r.calls, 5), 0);
    assert.equal(callsUpToLine(r.calls, 7), 2);
    assert.equal(callsUpToLine(r.calls, 99), 3);
    const atLine7 = arraysAfterCalls(r.rmm, r.calls, 2);
    const delegated = [...atLine7.states.keys()].filter((i) => atLine7.states[i] === 1);
    assert.equal(delegated.length, 2, 'after line 7 both granules are DELEGATED');
    const end = captureArrays(r.rmm);
    assert.equal(end.states[delegated[0]] + end.states[delegated[1]], 1, 'at the end one of them is back');
    const a = delegated.find((i) => end.states[i] === 0)!;
    assert.equal(granuleDetails(r.rmm, r.calls.slice(0, 2), a, atLine7)!.state, 'DELEGATED', 'details follow the replayed view');
    assert.equal(granuleDetails(r.rmm, r.calls, a)!.state, 'UNDELEGATED', 'and the live view the emulator');
  });

  it('the tooltip\'s extra facts: a DATA granule\'s IPA, and the last transition of a granule', async () => {
    const rmm = createRmm({ profile: '1.0' });
    const pages = new PageAllocator(0x8000_0000n);
    populate(rmm, createRealm(rmm, pages), pages, 8n * 4096n);
    const g = rmm.st.granules;
    const data = [...g.state.keys()].filter((i) => g.state[i] === 5).map((i) => g.pa(i));
    assert.equal(data.length, 8);
    // populate maps IPA 0, 0x1000, ... in the order it takes pages from the allocator.
    assert.deepEqual(data.map((pa) => ipaOf(rmm, pa)).sort((a, b) => a! - b!), [0, 1, 2, 3, 4, 5, 6, 7].map((k) => k * 4096));
    assert.equal(ipaOf(rmm, 0x9000_0000), undefined, 'an unmapped granule has no IPA');

    const r = await run(SCENARIO);
    const a = r.rmm.st.granules.index(Number(r.calls[2].args[0]));
    const info = hoverInfo(r.rmm, r.calls, a, true)!;
    assert.equal(info.lastChange?.command, 'RMI_GRANULE_UNDELEGATE');
    assert.equal(`${info.lastChange?.from} -> ${info.lastChange?.to}`, 'DELEGATED -> UNDELEGATED');
    assert.equal(info.ipa, undefined);
    assert.equal(hoverInfo(r.rmm, r.calls.slice(0, 2), a, false)!.lastChange?.command, 'RMI_GRANULE_DELEGATE', 'the map at a line knows only the calls before it');
    assert.equal(hoverInfo(r.rmm, r.calls, -5, true), undefined);
  });
});
