// The templates of "New Scenario". Each is a complete scenario that compiles and runs clean
// (the extension-host spec runs every one), so a new user starts from something that works.
// Where an example already is that scenario it is the template (bundled as text, one copy to
// keep right). The others differ from their examples on purpose: the seed example's last
// expectation fails to show the bug while the template's expectations describe it, the sweep
// template checks for leaks itself, and the raw RMI template is a shorter walk-through than
// its example.
import rawRmi10 from './templates/raw-rmi-1.0.c';
import lifecycle10 from '../../../examples/realm-lifecycle-1.0.realm.c';
import lifecycle20 from '../../../examples/realm-lifecycle-2.0.realm.c';
import seedPartialDelegate from './templates/seed-partial-delegate.c';
import sweepTemplate from './templates/sweep.c';

export interface ScenarioTemplate {
  id: string;
  label: string;
  detail: string;
  /** File name offered when the scenario is saved into the workspace. */
  fileName: string;
  text: string;
}

export const SCENARIO_TEMPLATES: readonly ScenarioTemplate[] = [
  { id: 'raw-rmi-1.0', label: 'Raw RMI calls (RMM 1.0)', detail: 'Delegate, RMI_REALM_CREATE, RMI_REALM_DESTROY, undelegate: every call by hand', fileName: 'raw-rmi.realm.c', text: rawRmi10 },
  { id: 'realm-lifecycle-1.0', label: 'Realm lifecycle (RMM 1.0)', detail: 'Create, populate, activate and destroy a realm VM through the embedded KVM host code', fileName: 'realm-lifecycle-1.0.realm.c', text: lifecycle10 },
  { id: 'realm-lifecycle-2.0', label: 'Realm lifecycle (RMM 2.0)', detail: 'The same lifetime on the 2.0 ABI: range delegation, stateful operations', fileName: 'realm-lifecycle-2.0.realm.c', text: lifecycle20 },
  { id: 'seed-partial-delegate', label: 'The seed: partial delegation (RMM 2.0, host v14)', detail: 'RMI_GRANULE_RANGE_DELEGATE fails part-way and v14 loses the PGD', fileName: 'seed-partial-delegate.realm.c', text: seedPartialDelegate },
  { id: 'sweep', label: 'A scenario to sweep', detail: 'Realm creation and teardown with leak checks, ready for "Sweep Faults"', fileName: 'sweep.realm.c', text: sweepTemplate },
];
