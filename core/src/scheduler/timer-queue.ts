import { BinaryHeap } from '../queue/binary-heap.js';

/** `taskId` holds the task, except: the job for 'update', the host id for 'drain'. */
export type TimerKind =
  | 'unthrottle'
  | 'reservation-expiry'
  | 'update'
  | 'drain'
  | 'healthy'
  | 'unhealthy'
  | 'partition';

export interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly kind: TimerKind;
  readonly taskId: string;
}

/**
 * Timers for individual tasks (THROTTLED → PENDING, reservation expiry), in (time, sequence) order
 * so timers due together fire in the order they were set. A timer whose task moved on is simply
 * ignored by the handler when it fires, which is cheaper than cancelling.
 */
export class TimerQueue {
  private readonly heap = new BinaryHeap<Timer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  private seq = 0;

  set(at: number, kind: TimerKind, taskId: string): void {
    this.heap.push({ at, seq: this.seq++, kind, taskId });
  }

  nextAt(): number | undefined {
    return this.heap.peek()?.at;
  }

  /** Removes and returns the earliest timer due at or before `now`. */
  popDue(now: number): Timer | undefined {
    const top = this.heap.peek();
    if (!top || top.at > now) return undefined;
    return this.heap.pop();
  }
}
