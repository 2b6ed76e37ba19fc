// What "Export Granule Map as JSON/PNG" writes (src/extension/map-views/export-document.ts): the
// map state with per-state counts and the run report, and the checks on the webview's PNG.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { captureArrays, fullState } from '../../src/extension/map-state';
import { EXPORT_FORMAT, exportFileName, mapExport, pngBytes, pngSize } from '../../src/extension/map-views/export-document';
import { decodeRuns } from '../../src/protocol/granule-map';
import { report } from '../../src/run';
import { run } from './helpers/c-run';

const SCENARIO = `struct realm_lab_machine machine = { .profile = "1.0", .dram_base = 0x80000000, .dram_size = 0x4000000 };
void scenario(void)
{
	phys_addr_t a = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	phys_addr_t b = virt_to_phys((void *)__get_free_page(GFP_KERNEL));
	rmi_call(RMI_GRANULE_DELEGATE, a);
	rmi_call(RMI_GRANULE_DELEGATE, b);
}
`;

/** The start of a 2 x 1 PNG: signature and IHDR (all the size check reads), base64. */
const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAAAAAAA';

describe('granule map export', () => {
  it('saves the full map with counts per state, and the run report', async () => {
    const r = await run(SCENARIO, { file: 'two.realm.c' });
    const state = fullState(r.rmm, captureArrays(r.rmm), { version: 3, file: 'two.realm.c', at: 'end of run', changed: [] });
    const doc = mapExport(state, report(r, 'two.realm.c'));
    assert.equal(doc.format, EXPORT_FORMAT);
    assert.equal(doc.map.count, 0x4000000 / 4096);
    assert.deepEqual(doc.counts, { UNDELEGATED: doc.map.count - 2, DELEGATED: 2 });
    assert.equal(doc.report?.rmiCalls.length, 2);
    assert.equal(doc.reportMissing, undefined);
    // The saved map decodes back to the emulator's states.
    const states = decodeRuns(doc.map.states, doc.map.count, new Uint8Array(doc.map.count));
    assert.deepEqual(states, r.rmm.st.granules.state);
    // And survives JSON.
    assert.deepEqual(JSON.parse(JSON.stringify(doc)).counts, doc.counts);
  });

  it('says why there is no report (a debug session)', async () => {
    const r = await run(SCENARIO);
    const state = fullState(r.rmm, captureArrays(r.rmm), { version: 1, file: 'x', at: 'stopped at x:3', changed: [] });
    const doc = mapExport(state, undefined, 'a debug session has no finished run');
    assert.equal(doc.report, null);
    assert.equal(doc.reportMissing, 'a debug session has no finished run');
  });

  it('accepts only PNG data URLs from the webview, and reads their size', () => {
    const bytes = pngBytes(`data:image/png;base64,${TINY_PNG}`);
    assert.deepEqual(pngSize(bytes), { width: 2, height: 1 });
    assert.throws(() => pngBytes('data:text/html;base64,PGI+'), /not a PNG data URL/);
    assert.throws(() => pngBytes('data:image/png;base64,aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ='), /does not hold a PNG/);
  });

  it('names the file after the scenario', () => {
    assert.equal(exportFileName('raw-rmi-1.0.realm.c', 'json'), 'raw-rmi-1.0-granule-map.json');
    assert.equal(exportFileName('a b?.realm.c', 'png'), 'a-b-granule-map.png');
  });
});
