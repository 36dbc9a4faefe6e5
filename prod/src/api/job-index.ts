import {
  formatJobKey,
  isTerminal,
  type JobConfig,
  type JobKey,
  type Scheduler,
  type TaskEvent,
  type TaskState,
  type UpdateEvent,
  type UpdateOperation,
  type UpdateStatus,
} from '@borealis/core';

/**
 * What the API remembers beside the core. The core has no list of jobs and prunes ended tasks
 * without keeping their events, so the API layer keeps, in memory and bounded: the jobs created
 * through it (or handed to it by the daemon after recovery, `remember`), each job's recent tasks
 * with their events, and each job's recent updates with per-instance progress. Durable history
 * is a later issue; after a restart the history starts empty.
 */

export interface JobRecord {
  readonly config: JobConfig;
  /** The config before the latest update that rolled forward (what `rollback` goes back to). */
  readonly previous?: JobConfig;
  /** The config an update in flight is moving to. */
  readonly target?: JobConfig;
}

export interface TaskRecord {
  readonly taskId: string;
  readonly job: string;
  readonly instance: number;
  state: TaskState;
  host?: string;
  /** Oldest first, at most `eventsPerTask`. */
  readonly events: TaskEvent[];
}

export interface UpdateRecord {
  readonly updateId: string;
  readonly job: string;
  readonly operation: UpdateOperation;
  status: UpdateStatus;
  readonly startedAt: number;
  endedAt?: number;
  message?: string;
  /** Instance → its latest action (INSTANCE_UPDATING, INSTANCE_UPDATED, ...). */
  readonly instances: Map<number, string>;
}

export interface HistoryLimits {
  readonly tasksPerJob: number;
  readonly eventsPerTask: number;
  readonly updatesPerJob: number;
}

const DEFAULT_LIMITS: HistoryLimits = { tasksPerJob: 500, eventsPerTask: 32, updatesPerJob: 20 };
const TERMINAL_UPDATE: ReadonlySet<UpdateStatus> = new Set([
  'ROLLED_FORWARD',
  'ROLLED_BACK',
  'ABORTED',
  'FAILED',
  'ERROR',
]);

export class JobIndex {
  private readonly limits: HistoryLimits;
  private readonly jobs = new Map<string, JobRecord>();
  /** Job → task id → record, in first-seen order (Maps keep insertion order). */
  private readonly tasksByJob = new Map<string, Map<string, TaskRecord>>();
  private readonly tasksById = new Map<string, TaskRecord>();
  private readonly updatesByJob = new Map<string, UpdateRecord[]>();

  constructor(limits: Partial<HistoryLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Listens to the core's task and update events. Call once per core instance. */
  attach(core: Scheduler): void {
    core.onTaskEvent((e) => this.taskEvent(e));
    core.onUpdateEvent((e) => this.updateEvent(e));
  }

  remember(config: JobConfig): void {
    const key = formatJobKey(config.key);
    const old = this.jobs.get(key);
    this.jobs.set(key, { config, ...(old?.previous && { previous: old.previous }) });
  }

  /** An update to `target` was accepted. */
  updating(target: JobConfig): void {
    const key = formatJobKey(target.key);
    const old = this.jobs.get(key);
    if (old) this.jobs.set(key, { ...old, target });
  }

  forget(key: JobKey): void {
    this.jobs.delete(formatJobKey(key));
  }

  job(key: JobKey): JobRecord | undefined {
    return this.jobs.get(formatJobKey(key));
  }

  /** Jobs, optionally of one role, sorted by key. */
  list(role?: string): JobRecord[] {
    return [...this.jobs.values()]
      .filter((j) => role === undefined || j.config.key.role === role)
      .sort((a, b) => (formatJobKey(a.config.key) < formatJobKey(b.config.key) ? -1 : 1));
  }

  tasksOf(job: string): TaskRecord[] {
    return [...(this.tasksByJob.get(job)?.values() ?? [])];
  }

  allTasks(): TaskRecord[] {
    return [...this.tasksById.values()];
  }

  task(taskId: string): TaskRecord | undefined {
    return this.tasksById.get(taskId);
  }

  updates(job?: string): UpdateRecord[] {
    if (job !== undefined) return [...(this.updatesByJob.get(job) ?? [])];
    return [...this.updatesByJob.values()].flat();
  }

  private taskEvent(e: TaskEvent): void {
    let tasks = this.tasksByJob.get(e.job);
    if (!tasks) {
      tasks = new Map();
      this.tasksByJob.set(e.job, tasks);
    }
    let rec = tasks.get(e.taskId);
    if (!rec) {
      rec = { taskId: e.taskId, job: e.job, instance: e.instance, state: e.state, events: [] };
      tasks.set(e.taskId, rec);
      this.tasksById.set(e.taskId, rec);
      this.trimTasks(tasks);
    }
    rec.state = e.state;
    if (e.host !== undefined) rec.host = e.host;
    rec.events.push(e);
    if (rec.events.length > this.limits.eventsPerTask) rec.events.shift();
  }

  /** Drops the oldest ended tasks of a job beyond the limit; live tasks are never dropped. */
  private trimTasks(tasks: Map<string, TaskRecord>): void {
    if (tasks.size <= this.limits.tasksPerJob) return;
    for (const [id, rec] of tasks) {
      if (tasks.size <= this.limits.tasksPerJob) return;
      if (!isTerminal(rec.state)) continue;
      tasks.delete(id);
      this.tasksById.delete(id);
    }
  }

  private updateEvent(e: UpdateEvent): void {
    let list = this.updatesByJob.get(e.job);
    if (!list) {
      list = [];
      this.updatesByJob.set(e.job, list);
    }
    let rec = list.find((u) => u.updateId === e.updateId);
    if (!rec) {
      rec = {
        updateId: e.updateId,
        job: e.job,
        operation: e.operation,
        status: e.status,
        startedAt: e.time,
        instances: new Map(),
      };
      list.push(rec);
      if (list.length > this.limits.updatesPerJob) list.shift();
    }
    rec.status = e.status;
    if (e.message !== undefined) rec.message = e.message;
    if (e.instance !== undefined && e.action !== undefined) rec.instances.set(e.instance, e.action);
    if (TERMINAL_UPDATE.has(e.status) && rec.endedAt === undefined) {
      rec.endedAt = e.time;
      this.updateEnded(e);
    }
  }

  /** A finished update fixes the job's config: the target if it rolled forward, else the old one. */
  private updateEnded(e: UpdateEvent): void {
    const job = this.jobs.get(e.job);
    if (!job?.target) return;
    if (e.status === 'ROLLED_FORWARD' && e.operation === 'update') {
      this.jobs.set(e.job, { config: job.target, previous: job.config });
    } else {
      this.jobs.set(e.job, { config: job.config, ...(job.previous && { previous: job.previous }) });
    }
  }
}
