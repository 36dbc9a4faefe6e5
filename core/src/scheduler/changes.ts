import type { JobConfig } from '../model/job.js';
import type { Resources } from '../model/resources.js';
import type { TaskConfig } from '../model/task-config.js';
import type { TaskState } from '../model/task-state.js';
import type { JobKind } from '../model/tier.js';
import type { TaskIds } from '../store/ids.js';
import type { TaskRecord } from '../store/task-record.js';
import type { TaskStore } from '../store/task-store.js';
import type { UpdateInfo } from '../update/update-driver.js';
import type { HostSpec, MaintenanceMode } from './api.js';

/**
 * One task as durable storage keeps it: everything a new leader needs to carry on with it. The
 * config is the job's shared object (a persister stores it once, by hash, and refers to it).
 */
export interface StoredTask {
  readonly taskId: string;
  readonly job: string;
  /** The job's kind (kept with the task: a killed job's tasks outlive its config). */
  readonly kind: JobKind;
  readonly instance: number;
  readonly config: TaskConfig;
  readonly state: TaskState;
  /** When the task entered `state`. */
  readonly stateSince: number;
  /** The message of the transition into `state`, if it had one (the task's latest event). */
  readonly message?: string;
  readonly host?: string;
  readonly ports?: Readonly<Record<string, number>>;
  readonly failures: number;
  readonly consecutiveFlaps: number;
  readonly ancestorId?: string;
  readonly runningSince?: number;
  /** THROTTLED: when it may become PENDING. */
  readonly notBefore?: number;
  /** Killed on purpose: it must never come back. */
  readonly userKill?: boolean;
  /** PARTITIONED: the state it was in when the partition began. */
  readonly beforePartition?: TaskState;
  /** RUNNING and passing its health check since then. */
  readonly healthySince?: number;
}

/**
 * A typed record of what the core's durable state became. A driver that persists writes a step's
 * changes (one group commit) before it carries out that step's effects.
 */
export type Change =
  | { readonly kind: 'task-saved'; readonly task: StoredTask }
  | { readonly kind: 'task-deleted'; readonly taskId: string }
  /** The job's desired config, its cron schedule (`job.cron`) included. */
  | { readonly kind: 'job-saved'; readonly job: JobConfig }
  | { readonly kind: 'job-removed'; readonly job: string }
  | { readonly kind: 'quota-set'; readonly role: string; readonly quota: Resources }
  /** The job's latest update: settings, status and per-instance progress. */
  | { readonly kind: 'update-saved'; readonly update: UpdateInfo }
  | { readonly kind: 'host-saved'; readonly host: HostSpec; readonly up: boolean }
  | { readonly kind: 'host-removed'; readonly host: string }
  | { readonly kind: 'host-maintenance'; readonly host: string; readonly mode: MaintenanceMode }
  /** The task-id sequence: the next number to issue and the storage generation it issues in. */
  | { readonly kind: 'ids-advanced'; readonly next: number; readonly generation: number };

/** An entry of the step's log: a change, or a task touched this step (materialized at take time). */
type Entry = Change | TaskRecord;

const NO_CHANGES: readonly Change[] = [];

/**
 * Collects the changes of one step, cheaply: a task touched several times in a step is one entry,
 * materialized into a `task-saved` record only when the driver takes the step (its state then is
 * what storage needs). With recording off (a driver that does not persist, e.g. the simulator)
 * every hook is one boolean test.
 */
export class ChangeRecorder {
  /** Whether changes are recorded at all. */
  readonly on: boolean;
  private entries: Entry[] = [];
  /** Slot → 1 while the slot's task has an entry in this step. */
  private dirty = new Uint8Array(0);
  /** Last message of each touched task's latest transition, by slot (only while recording). */
  private messages: (string | undefined)[] = [];
  /** Jobs whose update changed this step (their UpdateInfo is read at take time). */
  private readonly updates = new Set<string>();
  private lastNext = 0;
  private lastGeneration = 0;
  /** Reads a job's latest update (set by the scheduler once its update driver exists). */
  updateInfo: (job: string) => UpdateInfo | undefined = () => undefined;
  /** Reads when a task became healthy (the health tracker). */
  healthySince: (taskId: string) => number | undefined = () => undefined;

  constructor(
    on: boolean,
    private readonly store: TaskStore,
    private readonly ids: TaskIds,
  ) {
    this.on = on;
    this.lastNext = ids.next;
    this.lastGeneration = ids.generation;
  }

  /** The task changed state (or was created). */
  task(task: TaskRecord, message: string | undefined): void {
    this.touch(task);
    this.messages[task.slot] = message;
  }

  /** Something durable about the task changed without a transition (its health). */
  touch(task: TaskRecord): void {
    const slot = task.slot;
    if (slot >= this.dirty.length) this.grow(slot);
    if (this.dirty[slot] === 1) return;
    this.dirty[slot] = 1;
    this.entries.push(task);
  }

  /** The task is gone for good (ended and pruned, or killed before it was placed). */
  taskGone(task: TaskRecord): void {
    const slot = task.slot;
    if (slot < this.dirty.length) this.dirty[slot] = 0;
    this.entries.push({ kind: 'task-deleted', taskId: task.id });
  }

  add(change: Change): void {
    this.entries.push(change);
  }

  updateChanged(job: string): void {
    this.updates.add(job);
  }

  /** Forgets what was recorded so far (after a restore, which is not a change of its own). */
  reset(): void {
    this.take();
    this.lastNext = this.ids.next;
    this.lastGeneration = this.ids.generation;
  }

  /** The changes since the last call, in order; then the step's update and id-sequence records. */
  take(): readonly Change[] {
    if (!this.on) return NO_CHANGES;
    const entries = this.entries;
    const ids = this.ids;
    const idsMoved = ids.next !== this.lastNext || ids.generation !== this.lastGeneration;
    if (entries.length === 0 && this.updates.size === 0 && !idsMoved) return NO_CHANGES;
    this.entries = [];
    const out: Change[] = [];
    for (const entry of entries) {
      if (!('slot' in entry)) {
        out.push(entry);
        continue;
      }
      const slot = entry.slot;
      // Skips a task deleted later in the step, and an old entry of a slot reused since.
      if (this.dirty[slot] !== 1 || this.store.bySlotIndex(slot) !== entry) continue;
      this.dirty[slot] = 0;
      out.push({
        kind: 'task-saved',
        task: storedTask(entry, this.messages[slot], this.healthySince(entry.id)),
      });
      this.messages[slot] = undefined;
    }
    for (const job of this.updates) {
      const update = this.updateInfo(job);
      if (update) out.push({ kind: 'update-saved', update });
    }
    this.updates.clear();
    if (idsMoved) {
      this.lastNext = ids.next;
      this.lastGeneration = ids.generation;
      out.push({ kind: 'ids-advanced', next: ids.next, generation: ids.generation });
    }
    return out;
  }

  private grow(slot: number): void {
    const grown = new Uint8Array(Math.max(1024, (slot + 1) * 2));
    grown.set(this.dirty);
    this.dirty = grown;
  }
}

/** The durable part of a task record, optional fields only when set (so JSON round trips keep it equal). */
export function storedTask(
  t: TaskRecord,
  message: string | undefined,
  healthySince: number | undefined,
): StoredTask {
  const out: {
    -readonly [K in keyof StoredTask]: StoredTask[K];
  } = {
    taskId: t.id,
    job: t.job,
    kind: t.kind,
    instance: t.instance,
    config: t.config,
    state: t.state,
    stateSince: t.stateSince,
    failures: t.failureCount,
    consecutiveFlaps: t.consecutiveFlaps,
  };
  if (message !== undefined) out.message = message;
  if (t.host !== undefined) out.host = t.host;
  if (t.ports !== undefined) out.ports = t.ports;
  if (t.ancestorId !== undefined) out.ancestorId = t.ancestorId;
  if (t.runningSince !== undefined) out.runningSince = t.runningSince;
  if (t.notBefore !== 0) out.notBefore = t.notBefore;
  if (t.userKill) out.userKill = true;
  if (t.beforePartition !== undefined) out.beforePartition = t.beforePartition;
  if (healthySince !== undefined) out.healthySince = healthySince;
  return out;
}

/**
 * The job registry (each job's desired config, cron schedule included): a Map whose writes are
 * recorded as `job-saved` / `job-removed` changes, so no path that changes a job can forget to.
 */
export class JobRegistry extends Map<string, JobConfig> {
  constructor(private readonly recorder: ChangeRecorder) {
    super();
  }

  override set(key: string, job: JobConfig): this {
    super.set(key, job);
    // The constructor's super() runs before `recorder` is assigned; Map() calls no set then.
    if (this.recorder?.on) this.recorder.add({ kind: 'job-saved', job });
    return this;
  }

  override delete(key: string): boolean {
    const had = super.delete(key);
    if (had && this.recorder.on) this.recorder.add({ kind: 'job-removed', job: key });
    return had;
  }
}
