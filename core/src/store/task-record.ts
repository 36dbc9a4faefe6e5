import type { JobKey } from '../model/job-key.js';
import type { TaskConfig } from '../model/task-config.js';
import type { TaskState } from '../model/task-state.js';
import type { JobKind } from '../model/tier.js';

/**
 * One task (one run of one instance of a job), as the store holds it. Small on purpose: the config
 * and the job key are shared references, so a million tasks of a thousand jobs hold a thousand
 * configs. Read-only to everyone but the store, which changes it only through its mutation API.
 */
export interface TaskRecord {
  readonly id: string;
  /**
   * Dense index of this task in the store (0 ≤ slot < store.capacity), for callers that keep their
   * own per-task typed arrays. Reused after the task is deleted.
   */
  readonly slot: number;
  /** `role/environment/name`, one string shared by all tasks of the job. */
  readonly job: string;
  /** The job's role as `roleOf(job)` reads it, one string shared by all tasks of the job. */
  readonly role: string;
  readonly jobKey: JobKey;
  readonly kind: JobKind;
  readonly instance: number;
  readonly config: TaskConfig;
  readonly state: TaskState;
  /** When the task entered its current state. */
  readonly stateSince: number;
  /** Set when assigned; kept after the task ends, for the record. */
  readonly host: string | undefined;
  readonly ports: Readonly<Record<string, number>> | undefined;
  /** Failures of this instance, carried from ancestor to replacement. */
  readonly failureCount: number;
  /** Flapping runs in a row of this instance, carried from ancestor to replacement. */
  readonly consecutiveFlaps: number;
  /** The task this one replaces (the previous run of the instance). */
  readonly ancestorId: string | undefined;
  /** When the task first became RUNNING. */
  readonly runningSince: number | undefined;
  /** A THROTTLED task may become PENDING at this time; 0 otherwise. */
  readonly notBefore: number;
  /** The task was killed on purpose (it entered KILLING) and must never come back. */
  readonly userKill: boolean;
  /** While PARTITIONED: the state it was in when the partition began. */
  readonly beforePartition: TaskState | undefined;
}

/** The store's own writable view. Every field is set in the constructor so all records share one shape. */
export class MutableTaskRecord implements TaskRecord {
  state: TaskState = 'INIT';
  stateSince: number;
  host: string | undefined = undefined;
  ports: Readonly<Record<string, number>> | undefined = undefined;
  failureCount = 0;
  consecutiveFlaps = 0;
  ancestorId: string | undefined = undefined;
  runningSince: number | undefined = undefined;
  notBefore = 0;
  userKill = false;
  beforePartition: TaskState | undefined = undefined;

  constructor(
    readonly id: string,
    readonly slot: number,
    readonly job: string,
    readonly role: string,
    readonly jobKey: JobKey,
    readonly kind: JobKind,
    readonly instance: number,
    readonly config: TaskConfig,
    now: number,
  ) {
    this.stateSince = now;
  }
}
