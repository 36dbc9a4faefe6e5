import type { TaskConfig } from '../model/task-config.js';

/** One pending task as the queue holds it. */
export interface PendingTask {
  readonly taskId: string;
  readonly instance: number;
  /** When it became PENDING (preemption delay counts from here). */
  readonly since: number;
}

/**
 * Pending tasks of one job sharing one TaskConfig object: interchangeable for placement, so they
 * are tried together — one feasibility pass serves them all — and back off together.
 */
export class TaskGroup {
  /** In the order they became pending, which is the order they are placed. */
  readonly tasks = new Map<string, PendingTask>();
  /** Current retry penalty; 0 before the first failed attempt. */
  penaltyMs = 0;
  /** Not tried before this time. */
  readyAt: number;
  /** When the group became non-empty. */
  since: number;
  lastAttempt: number | undefined;
  /** Rejection reason → number of hosts, from the latest attempt that left tasks pending. */
  reasons: Readonly<Record<string, number>> = {};
  /** Whether the group waits in the backoff heap (else it is ready). */
  waiting = false;

  constructor(
    readonly key: string,
    readonly job: string,
    readonly role: string,
    readonly config: TaskConfig,
    /** Creation order; the last tie-break of every queue order. */
    readonly seq: number,
    now: number,
  ) {
    this.readyAt = now;
    this.since = now;
  }

  get size(): number {
    return this.tasks.size;
  }

  /** The task pending longest. */
  oldest(): PendingTask | undefined {
    for (const t of this.tasks.values()) return t;
    return undefined;
  }

  instances(): number[] {
    return [...this.tasks.values()].map((t) => t.instance).sort((a, b) => a - b);
  }
}
