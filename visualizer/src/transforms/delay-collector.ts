/**
 * Scheduling delays from a stream of task events: the time from a task's latest PENDING (or
 * THROTTLED) to its ASSIGNED, measured over the full events.jsonl so the CDF covers every task
 * even when the page only gets a sample of jobs. The node side's scanEvents applies this rule
 * over dense task ids (typed arrays, no string per line); this class is its string-keyed
 * statement, which the scan is tested against.
 */
export class DelayCollector {
  private readonly pendingSince = new Map<string, number>();
  private buf = new Float64Array(1024);
  private n = 0;

  onEvent(task: string, state: string, t: number): void {
    if (state === 'PENDING' || state === 'THROTTLED') {
      // THROTTLED then PENDING is one wait; keep the earliest start of the current wait.
      if (!this.pendingSince.has(task)) this.pendingSince.set(task, t);
    } else if (state === 'ASSIGNED') {
      const since = this.pendingSince.get(task);
      if (since !== undefined) {
        this.push(t - since);
        this.pendingSince.delete(task);
      }
    } else {
      this.pendingSince.delete(task);
    }
  }

  delays(): Float64Array {
    return this.buf.subarray(0, this.n);
  }

  private push(d: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = d;
  }
}
