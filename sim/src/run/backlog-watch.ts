import { humanDuration } from '@borealis/core';

/**
 * Whether an open-ended run's backlog still drains. Once the trace is exhausted a run without
 * --until goes on while finite work is in flight; if tasks stay pending and their number reaches
 * no new low for `windowMs`, the cluster is not working its backlog off (standing work holds the
 * capacity, preemption churns the same tasks), so the run stops there and says so, instead of
 * running on towards the horizon. Checked on a grid of `stepMs`, so the cost per event is one
 * comparison.
 */
export const BACKLOG_WINDOW_MS = 6 * 3_600_000;
const STEP_MS = 600_000;

export class BacklogWatch {
  private nextCheck = Number.NEGATIVE_INFINITY;
  private lowest = Number.POSITIVE_INFINITY;
  private lowestAt = 0;

  constructor(private readonly windowMs = BACKLOG_WINDOW_MS) {}

  /** Called with the time and the pending count while the trace is exhausted; true: stop now. */
  stalled(t: number, pending: number): boolean {
    if (t < this.nextCheck) return false;
    this.nextCheck = t + STEP_MS;
    if (pending === 0 || pending < this.lowest) {
      this.lowest = pending === 0 ? Number.POSITIVE_INFINITY : pending;
      this.lowestAt = t;
      return false;
    }
    return t - this.lowestAt >= this.windowMs;
  }

  /** The notice for a run stopped by stalled(). */
  static notice(t: number, pending: number, windowMs = BACKLOG_WINDOW_MS): string {
    const hours = windowMs / 3_600_000;
    return (
      `no --until: stopped at ${humanDuration(t)} with ${pending} tasks pending: after the trace ended, ` +
      `their number reached no new low for ${hours}h, so the cluster is not draining its backlog ` +
      '(see "pending because"); pass --until to run longer'
    );
  }
}
