import type { CronCollisionPolicy } from '../model/job.js';
import { BinaryHeap } from '../queue/binary-heap.js';
import type { Crontab } from './crontab.js';
import { nextFire } from './next-fire.js';

interface Entry {
  readonly job: string;
  readonly tab: Crontab;
  readonly policy: CronCollisionPolicy;
  at: number;
}

/**
 * The message of the PENDING event of every task a cron trigger creates: drivers tell a cron run's
 * new tasks (submitted work) from replacements by it.
 */
export const CRON_RUN_MESSAGE = 'cron run';

export interface CronTrigger {
  readonly job: string;
  /** The fire time reached (the clock may be past it if the core was woken late). */
  readonly at: number;
  readonly policy: CronCollisionPolicy;
}

const NONE_DUE: readonly CronTrigger[] = Object.freeze([]);

export interface CronCounters {
  /** Fire times reached. */
  readonly triggers: number;
  /** Triggers that started a new run (at once, or after KILL_EXISTING's kills). */
  readonly runs: number;
  /** Triggers that found the previous run still active. */
  readonly collisions: number;
}

/**
 * Cron schedules and when each fires next (UTC, epoch milliseconds from the injected clock).
 * A heap orders the next fire times; rescheduling or descheduling a job replaces or drops its entry and the
 * stale heap entry is skipped when it surfaces. A core woken late fires a job once and moves on
 * to the first fire time after now, as cron does: missed runs are not replayed.
 */
export class CronRuntime {
  private readonly entries = new Map<string, Entry>();
  private readonly heap = new BinaryHeap<Entry>((a, b) => a.at < b.at || (a.at === b.at && a.job < b.job));
  private counts = { triggers: 0, runs: 0, collisions: 0 };

  schedule(job: string, tab: Crontab, policy: CronCollisionPolicy, now: number): number {
    const entry: Entry = { job, tab, policy, at: nextFire(tab, now) };
    this.entries.set(job, entry);
    this.heap.push(entry);
    return entry.at;
  }

  deschedule(job: string): boolean {
    return this.entries.delete(job);
  }

  has(job: string): boolean {
    return this.entries.has(job);
  }

  nextFireOf(job: string): number | undefined {
    return this.entries.get(job)?.at;
  }

  nextAt(): number | undefined {
    this.dropStale();
    return this.heap.peek()?.at;
  }

  /**
   * Every job due at `now`, each advanced to its next fire time; counted as triggers. It runs on
   * every scheduler tick and is nearly always empty, so the empty answer is one shared array.
   */
  popDue(now: number): readonly CronTrigger[] {
    let due: CronTrigger[] | undefined;
    for (;;) {
      this.dropStale();
      const top = this.heap.peek();
      if (!top || top.at > now) break;
      this.heap.pop();
      due ??= [];
      due.push({ job: top.job, at: top.at, policy: top.policy });
      top.at = nextFire(top.tab, Math.max(now, top.at));
      this.heap.push(top);
    }
    if (!due) return NONE_DUE;
    this.counts.triggers += due.length;
    return due;
  }

  countRun(): void {
    this.counts.runs++;
  }

  countCollision(): void {
    this.counts.collisions++;
  }

  counters(): CronCounters {
    return { ...this.counts };
  }

  private dropStale(): void {
    for (let top = this.heap.peek(); top && this.entries.get(top.job) !== top; top = this.heap.peek()) {
      this.heap.pop();
    }
  }
}
