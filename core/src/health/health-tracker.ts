/**
 * Which RUNNING tasks are healthy, and since when. A task without a health check is healthy the
 * moment it runs; a task with one only once the executor reports its check passing
 * (`Scheduler.taskHealth`). Leaving RUNNING forgets the task. Updates watch this (an instance is
 * updated after `watchSecs` healthy) and so does SLA-aware maintenance (instances active).
 */
export class HealthTracker {
  private readonly since = new Map<string, number>();
  /** Tasks stopped because their health check failed: an update counts that as a failure. */
  private readonly failedCheck = new Set<string>();

  /** The task is RUNNING; without a health check it counts as healthy from now. */
  running(taskId: string, hasCheck: boolean, now: number): void {
    if (!hasCheck && !this.since.has(taskId)) this.since.set(taskId, now);
  }

  /** The executor reports the check passing; only meaningful for a RUNNING task (the caller checks). */
  passed(taskId: string, now: number): boolean {
    if (this.since.has(taskId)) return false;
    this.since.set(taskId, now);
    return true;
  }

  failed(taskId: string): void {
    this.since.delete(taskId);
    this.failedCheck.add(taskId);
  }

  healthySince(taskId: string): number | undefined {
    return this.since.get(taskId);
  }

  failedHealthCheck(taskId: string): boolean {
    return this.failedCheck.has(taskId);
  }

  /** The task left RUNNING (keeps the failed-check mark until the task is gone). */
  notRunning(taskId: string): void {
    this.since.delete(taskId);
  }

  gone(taskId: string): void {
    this.since.delete(taskId);
    // Usually empty: skip the hash lookup for the million tasks that end without failing a check.
    if (this.failedCheck.size > 0) this.failedCheck.delete(taskId);
  }
}
