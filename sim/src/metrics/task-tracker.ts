import type { TaskEvent, TaskState } from '@borealis/core';
import { TERMINAL_STATES } from '@borealis/core';
import { isLegalTransition } from '../audit/lifecycle-legality.js';
import { GrowableFloat64 } from './growable.js';

/**
 * Follows the core's task events: counts tasks per state, measures scheduling delay
 * (PENDING → ASSIGNED), sorts finished tasks into the end-of-run buckets and, under --audit,
 * checks every transition against the legal table. Only live tasks are remembered (terminal ones
 * are folded into counters), so memory follows the cluster, not the length of the trace.
 */
const STATE_CODE = new Map<TaskState, number>();
const STATES: TaskState[] = [];
function code(s: TaskState): number {
  let c = STATE_CODE.get(s);
  if (c === undefined) {
    c = STATES.length;
    STATES.push(s);
    STATE_CODE.set(s, c);
  }
  return c;
}

interface LiveTask {
  state: TaskState;
  pendingSince: number;
  launched: boolean;
}

export interface IntervalCounters {
  scheduled: number;
  lost: number;
  delays: GrowableFloat64;
}

export class TaskTracker {
  private readonly live = new Map<string, LiveTask>();
  /** Tasks PENDING or THROTTLED per job, for the shapes that decide stranded resources. */
  readonly pendingByJob = new Map<string, number>();
  /** Tasks currently in each state (by code). */
  private readonly counts = new Float64Array(32);
  readonly allDelays = new GrowableFloat64(4096);
  readonly interval: IntervalCounters = { scheduled: 0, lost: 0, delays: new GrowableFloat64(256) };
  created = 0;
  launched = 0;
  finished = 0;
  failed = 0;
  killed = 0;
  killedBeforeLaunch = 0;
  lost = 0;
  events = 0;

  constructor(private readonly onViolation?: (time: number, message: string) => void) {
    for (const s of ['PENDING', 'THROTTLED', 'RUNNING'] as const) code(s);
  }

  count(state: TaskState): number {
    return this.counts[code(state)]!;
  }

  handle(e: TaskEvent): void {
    this.events++;
    let task = this.live.get(e.taskId);
    if (task === undefined) {
      if (e.state === 'DELETED') return;
      if (e.state !== 'PENDING' && e.state !== 'THROTTLED') {
        this.onViolation?.(e.time, `${e.taskId} first seen in ${e.state} (expected PENDING or THROTTLED)`);
      }
      task = { state: 'INIT', pendingSince: e.time, launched: false };
      this.live.set(e.taskId, task);
      this.created++;
    } else {
      this.counts[code(task.state)]!--;
      if (this.onViolation && !isLegalTransition(task.state, e.state)) {
        this.onViolation(e.time, `${e.taskId}: illegal transition ${task.state} → ${e.state}`);
      }
    }
    if (e.state === 'PENDING' && task.state !== 'PENDING') task.pendingSince = e.time;
    const wasWaiting = task.state === 'PENDING' || task.state === 'THROTTLED';
    const isWaiting = e.state === 'PENDING' || e.state === 'THROTTLED';
    if (wasWaiting !== isWaiting) {
      const n = (this.pendingByJob.get(e.job) ?? 0) + (isWaiting ? 1 : -1);
      if (n === 0) this.pendingByJob.delete(e.job);
      else this.pendingByJob.set(e.job, n);
    }
    if (e.state === 'ASSIGNED') {
      if (this.onViolation && e.host === undefined)
        this.onViolation(e.time, `${e.taskId} ASSIGNED without a host`);
      const delay = e.time - task.pendingSince;
      this.allDelays.push(delay);
      this.interval.delays.push(delay);
      this.interval.scheduled++;
      if (!task.launched) this.launched++;
      task.launched = true;
    }
    // A task killed before it was ever placed is simply forgotten (Aurora: PENDING → KILLING →
    // DELETED, and the core reports no event after KILLING): it ends here.
    const forgotten = e.state === 'KILLING' && wasWaiting;
    task.state = e.state;
    if (TERMINAL_STATES.has(e.state) || forgotten) {
      this.live.delete(e.taskId);
      switch (e.state) {
        case 'FINISHED':
          this.finished++;
          break;
        case 'FAILED':
          this.failed++;
          break;
        case 'KILLED':
        case 'KILLING':
        case 'DELETED':
          if (task.launched) this.killed++;
          else this.killedBeforeLaunch++;
          break;
        case 'LOST':
          this.lost++;
          this.interval.lost++;
          break;
      }
      return;
    }
    this.counts[code(e.state)]!++;
  }

  /** Live tasks waiting for a host (PENDING or THROTTLED). */
  pending(): number {
    return this.count('PENDING') + this.count('THROTTLED');
  }

  /** Live tasks at the end of the run that are on a host (every live state but PENDING/THROTTLED). */
  onHost(): number {
    return this.live.size - this.pending();
  }

  resetInterval(): void {
    this.interval.scheduled = 0;
    this.interval.lost = 0;
    this.interval.delays.clear();
  }
}
