/**
 * Which RUNNING tasks are healthy, and since when. A task without a health check is healthy the
 * moment it runs; a task with one only once the executor reports its check passing
 * (`Scheduler.taskHealth`). Leaving RUNNING forgets the task. Updates watch this (an instance is
 * updated after `watchSecs` healthy) and so does SLA-aware maintenance (instances active).
 *
 * Kept by the task's store slot in typed arrays: the scheduler's store listener reports every
 * task that runs and ends (a million in a google-2011 day), and Map entries keyed by task id cost
 * a hash lookup each and long-lived garbage (0.2 s self in a 4 h 10k-host profile). Queries by
 * task id resolve the slot through `slotOf`, so a task no longer in the store reads as unknown.
 * A slot is reused only after its task is gone, and `gone` clears it.
 */
export class HealthTracker {
  /** Slot → when the task became healthy; NaN when it is not (or not RUNNING). */
  private since = new Float64Array(0);
  /** Slot → 1 when the task was stopped because its health check failed (an update counts that as a failure). */
  private failedCheck = new Uint8Array(0);

  /** `slotOf(taskId)`: the live task's store slot, or -1. */
  constructor(private readonly slotOf: (taskId: string) => number) {}

  /** The task in `slot` is RUNNING; without a health check it counts as healthy from now. */
  running(slot: number, hasCheck: boolean, now: number): void {
    if (hasCheck) return;
    this.ensure(slot);
    if (Number.isNaN(this.since[slot]!)) this.since[slot] = now;
  }

  /** The executor reports the check passing; only meaningful for a RUNNING task (the caller checks). */
  passed(taskId: string, now: number): boolean {
    const slot = this.slotOf(taskId);
    if (slot < 0) return false;
    this.ensure(slot);
    if (!Number.isNaN(this.since[slot]!)) return false;
    this.since[slot] = now;
    return true;
  }

  failed(taskId: string): void {
    const slot = this.slotOf(taskId);
    if (slot < 0) return;
    this.ensure(slot);
    this.since[slot] = Number.NaN;
    this.failedCheck[slot] = 1;
  }

  healthySince(taskId: string): number | undefined {
    const slot = this.slotOf(taskId);
    if (slot < 0 || slot >= this.since.length) return undefined;
    const t = this.since[slot]!;
    return Number.isNaN(t) ? undefined : t;
  }

  /** `healthySince` for the task in `slot`, without looking its id up. */
  healthySinceOfSlot(slot: number): number | undefined {
    if (slot >= this.since.length) return undefined;
    const t = this.since[slot]!;
    return Number.isNaN(t) ? undefined : t;
  }

  failedHealthCheck(taskId: string): boolean {
    const slot = this.slotOf(taskId);
    return slot >= 0 && this.failedCheck[slot] === 1;
  }

  /** The task in `slot` left RUNNING (keeps the failed-check mark until the task is gone). */
  notRunning(slot: number): void {
    if (slot < this.since.length) this.since[slot] = Number.NaN;
  }

  /** The task in `slot` is gone; the slot may be reused. */
  gone(slot: number): void {
    if (slot >= this.since.length) return;
    this.since[slot] = Number.NaN;
    this.failedCheck[slot] = 0;
  }

  private ensure(slot: number): void {
    const length = this.since.length;
    if (slot < length) return;
    let capacity = Math.max(1024, length * 2);
    while (capacity <= slot) capacity *= 2;
    const since = new Float64Array(capacity).fill(Number.NaN);
    since.set(this.since);
    this.since = since;
    const failedCheck = new Uint8Array(capacity);
    failedCheck.set(this.failedCheck);
    this.failedCheck = failedCheck;
  }
}
