/**
 * The contract between the scheduling core and whatever drives it: the simulator (sim/) and the
 * production scheduler (prod/). The core never acts; it returns effects which the driver carries
 * out (launch a task on a host, kill a task) and it hears back through task status updates.
 * Time comes from an injected clock, randomness from an injected seeded source.
 */
import type { JobConfig } from '../model/job.js';
import type { JobKey } from '../model/job-key.js';
import type { PortRange, Resources } from '../model/resources.js';
import type { Result } from '../model/result.js';
import type { TaskConfig } from '../model/task-config.js';
import type { TaskState } from '../model/task-state.js';

/** A host as the core sees it: its capacity, its port ranges and its attributes. */
export interface HostSpec {
  readonly id: string;
  readonly resources: Resources;
  readonly ports: readonly PortRange[];
  /** e.g. { rack: 'r01', zone: 'a', gpuModel: 'V100', dedicated: 'www/web' }. `host` is implied by id. */
  readonly attributes: Readonly<Record<string, string>>;
}

export type KillReason =
  | 'user'
  | 'preempted'
  | 'drain'
  | 'update'
  | 'restart'
  | 'cron-collision'
  | 'unhealthy'
  | 'host-removed';

export type Effect =
  | {
      readonly kind: 'launch';
      readonly taskId: string;
      readonly job: string;
      readonly instance: number;
      readonly host: string;
      /** Named port → port number chosen from the host's ranges. */
      readonly ports: Readonly<Record<string, number>>;
      readonly config: TaskConfig;
    }
  | {
      readonly kind: 'kill';
      readonly taskId: string;
      readonly host: string;
      readonly reason: KillReason;
      /**
       * For reason 'preempted': the task id of the pending task the victim makes room for. Victims
       * sharing a preemptor form one preemption event (sim's preemptions.jsonl).
       */
      readonly preemptor?: string;
    };

/** One task state transition as recorded; the simulator's events.jsonl is made of these. */
export interface TaskEvent {
  readonly time: number;
  readonly taskId: string;
  readonly job: string;
  readonly instance: number;
  readonly state: TaskState;
  readonly host?: string;
  readonly reason?: string;
}

/** A status report from the agent/executor side (Mesos status update, or the simulated cluster). */
export type ReportedState = 'STARTING' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED' | 'LOST';

export interface Clock {
  now(): number;
}

/** A seeded source of uniform numbers in [0, 1). */
export type RandomSource = () => number;

export interface Scheduler {
  // --- cluster -------------------------------------------------------------------------------
  addHost(spec: HostSpec): void;
  /** The host is gone for good: its tasks become LOST (and are rescheduled per the lifecycle). */
  removeHost(hostId: string): void;
  /** The host is unreachable: its tasks become LOST; the host takes no tasks until hostUp. */
  hostDown(hostId: string): void;
  hostUp(hostId: string): void;

  // --- jobs ----------------------------------------------------------------------------------
  setQuota(role: string, quota: Resources): void;
  /** Creates the job's PENDING tasks, or rejects it (bad config, quota) with problems that say why. */
  submitJob(job: JobConfig): Result<{ readonly taskIds: readonly string[] }>;
  /** Kills all instances, or the listed ones. User kills never come back. */
  killJob(key: JobKey, instances?: readonly number[]): Result<{ readonly killed: number }>;

  // --- agent side ----------------------------------------------------------------------------
  taskStatus(taskId: string, state: ReportedState, message?: string): void;

  // --- time ----------------------------------------------------------------------------------
  /** Handles timers due at clock.now() (backoff, throttling, preemption delay, ...) and runs a scheduling round. */
  tick(): void;
  /** The next time tick() has work to do, if any; the driver wakes the core then. */
  nextWakeup(): number | undefined;
  /** Effects produced since the last call, in the order they were decided. */
  takeEffects(): Effect[];

  // --- observation ---------------------------------------------------------------------------
  onTaskEvent(listener: (event: TaskEvent) => void): void;
}
