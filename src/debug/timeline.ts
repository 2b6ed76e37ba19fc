// Reverse execution made real: checkpoints of the whole run (emulator, machine, allocator,
// records) every INTERVAL statements, and `goTo(step)` = restore the nearest checkpoint at or
// before `step` and replay forward. The run is deterministic, so the replayed state is exactly
// the state the run had at that step, and checkpoints taken earlier stay valid after a restore.
import type { Run, RunCheckpoint, RunImpl } from '../run';

export const INTERVAL = 1000;
/** Above this many checkpoints, every other one is dropped (and the spacing doubles in effect). */
const MAX_CHECKPOINTS = 4096;

export class Timeline {
  private readonly checkpoints = new Map<number, RunCheckpoint>();
  private interval = INTERVAL;

  constructor(readonly run: Run & RunImpl) {
    this.save();
  }

  get steps(): number {
    return this.run.steps;
  }

  /** Executes one statement, checkpointing first when this step is on the grid. */
  advance(): boolean {
    const s = this.run.steps;
    if (s % this.interval === 0 && !this.checkpoints.has(s)) this.save();
    return this.run.step();
  }

  private save(): void {
    const c = this.run.checkpoint();
    if (!c) return;
    this.checkpoints.set(this.run.steps, c);
    if (this.checkpoints.size > MAX_CHECKPOINTS) this.thin();
  }

  private thin(): void {
    this.interval *= 2;
    for (const s of [...this.checkpoints.keys()]) if (s !== 0 && s % this.interval !== 0) this.checkpoints.delete(s);
  }

  /** The latest checkpointed step at or before `step`. */
  checkpointAtOrBefore(step: number): number {
    let best = 0;
    for (const s of this.checkpoints.keys()) if (s <= step && s > best) best = s;
    return best;
  }

  /** Restores the checkpoint at `step` (which must exist: see checkpointAtOrBefore). */
  restoreTo(step: number): void {
    const c = this.checkpoints.get(step);
    if (!c) throw new Error(`internal: no checkpoint at step ${step}`);
    this.run.restore(c);
  }

  /**
   * Puts the run at `target` statements executed: backwards by restore + replay, forwards by
   * replay. Stops early if the run ends first; returns the step reached.
   */
  goTo(target: number): number {
    const t = Math.max(0, Math.floor(target));
    if (t < this.run.steps) this.restoreTo(this.checkpointAtOrBefore(t));
    while (this.run.steps < t && this.advance()) { /* replay */ }
    return this.run.steps;
  }
}
