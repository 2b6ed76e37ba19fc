// What the intrinsics see of a run: the machine, the emulator, host memory and the allocator,
// and the records they add to (expectations, output, notes).
import type { HostMemory, Machine } from '../lang';
import type { Rmm } from '../rmm';
import type { PageAllocator } from './allocator';
import type { Diagnostic, Expectation, RunOutput, SourceRange } from './api';
import type { PendingFault } from './intrinsics/rmi';

export interface RunContext {
  readonly machine: Machine;
  readonly rmm: Rmm;
  readonly mem: HostMemory;
  readonly alloc: PageAllocator;
  readonly expectations: Expectation[];
  readonly output: RunOutput[];
  /** Non-fatal runtime notes (e.g. a check the emulator cannot make yet). */
  readonly notes: Diagnostic[];
  /** VA of the runtime's `struct rmi_result rmi_last`. */
  readonly rmiLastVA: bigint;
  /** Faults armed by the scenario, waiting for their call (intrinsics/rmi.ts). */
  readonly pendingFaults: PendingFault[];
  /** The statement being executed. */
  stmtRange(): SourceRange;
  /** Source text of a range (for messages quoting the condition). */
  text(range: SourceRange): string;
}
