/**
 * The contract between the scheduling core and whatever drives it: the simulator (sim/) and the
 * production scheduler (prod/). The core never acts; it returns effects which the driver carries
 * out (launch a task on a host, kill a task) and it hears back through task status updates.
 * Time comes from an injected clock, randomness from an injected seeded source.
 */

import type { CronCounters } from '../cron/cron-runtime.js';
import type { MesosTaskState } from '../lifecycle/mesos-states.js';
import type { Clock, RandomSource } from '../model/clock.js';
import type { HostSpec, MaintenanceMode } from '../model/host-spec.js';
import type { JobConfig } from '../model/job.js';
import type { JobKey } from '../model/job-key.js';
import type { KillReason } from '../model/kill-reason.js';
import type { Resources } from '../model/resources.js';
import type { Result } from '../model/result.js';
import type { TaskConfig } from '../model/task-config.js';
import type { TaskState } from '../model/task-state.js';
import type { Tier } from '../model/tier.js';
import type { UpdateCounters, UpdateEvent, UpdateInfo } from '../update/update-driver.js';
import type { Change } from './changes.js';
import type { DurableState } from './durable-state.js';
import type { CoreSnapshot } from './snapshot-codec.js';

export type { CronCounters } from '../cron/cron-runtime.js';
// Vocabulary types live in model/; re-exported here, where drivers have always found them.
export type { Clock, RandomSource } from '../model/clock.js';
export type { HostSpec, MaintenanceMode } from '../model/host-spec.js';
export type { KillReason } from '../model/kill-reason.js';
export type { UpdateCounters, UpdateEvent, UpdateInfo } from '../update/update-driver.js';
export type { InstanceAction, UpdateOperation, UpdateStatus } from '../update/update-status.js';
export type { Change, StoredTask } from './changes.js';

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
      /** The agent the status came from, for a task the core does not know (`host` is then that id too). */
      readonly agentId?: string;
    }
  | {
      readonly kind: 'reconcile';
      /** Explicit reconciliation: every task the core believes is on a host. Empty: implicit (all tasks). */
      readonly tasks: readonly { readonly taskId: string; readonly host: string }[];
    };

/** A Mesos status update, or one task of a reconciliation reply. */
export interface MesosStatus {
  readonly taskId: string;
  readonly state: MesosTaskState;
  readonly agentId?: string;
  readonly message?: string;
  /** Mesos's health-check verdict, when the task has a Mesos health check. */
  readonly healthy?: boolean;
}

/**
 * What one step of the core yields: the changes of its durable state and the effects to carry out,
 * each in the order decided. A driver that persists makes `changes` durable (one group commit)
 * before it carries out `effects` or acknowledges the status updates that caused them.
 */
export interface StepResult {
  readonly changes: readonly Change[];
  readonly effects: readonly Effect[];
}

export interface RestoreOptions {
  /**
   * The storage generation the restored core issues task ids in; storage picks one above every
   * generation it has recorded, so that even a restore from an older backup never reissues an id.
   * Default: the snapshot's generation + 1.
   */
  readonly generation?: number;
}

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

/**
 * How a drain stops a host's tasks, as Aurora's two admin calls do: `immediate` (drainHosts) stops
 * them all at once; `sla` (slaDrainHosts) stops a task only while its job keeps its SLA, waiting for
 * the rest until the drain timeout forces them.
 */
export type DrainKind = 'immediate' | 'sla';

/** A task as named in preemption records and explanations. */
export interface TaskRef {
  readonly task: string;
  readonly job: string;
  readonly tier: Tier;
  readonly priority: number;
}

/** One preemption: the preemptor takes `host` once the victims are gone (preemptions.jsonl lines). */
export interface PreemptionRecord {
  readonly time: number;
  readonly host: string;
  readonly preemptor: TaskRef;
  readonly victims: readonly TaskRef[];
}

/** Why one pending group (tasks of one job with one config) is not placed, from its latest attempt. */
export interface PendingGroupReasons {
  readonly job: string;
  /** Instances pending in this group (PENDING; THROTTLED tasks are not in a group yet). */
  readonly instances: readonly number[];
  /** Rejection reason → number of hosts it rejected, e.g. { 'insufficient ramMb': 812, 'limit:1 on host': 95 }. */
  readonly reasons: Readonly<Record<string, number>>;
  /** e.g. "insufficient ramMb on 812 hosts, limit:1 on host on 95 hosts"; "not yet tried" before the first attempt. */
  readonly message: string;
  /** When the oldest task of the group became pending. */
  readonly since: number;
  /** Time of the latest placement attempt, if any. */
  readonly lastAttempt?: number;
  /** When the group is next tried (retry backoff). */
  readonly nextAttempt: number;
}

/** What the core knows about one task. */
export interface TaskInfo {
  readonly taskId: string;
  readonly job: string;
  readonly instance: number;
  readonly state: TaskState;
  readonly host?: string;
  readonly tier: Tier;
  readonly priority: number;
  readonly config: TaskConfig;
  /** Failures so far of this instance (carried across reschedules). */
  readonly failures: number;
  /** RUNNING and passing its health check (or RUNNING without one). */
  readonly healthy: boolean;
  /** Named port → the port number it was given on its host (once assigned). */
  readonly ports?: Readonly<Record<string, number>>;
}

/** A host's maintenance mode changed (sim's markers.jsonl drain intervals are made of these). */
export interface MaintenanceEvent {
  readonly time: number;
  readonly host: string;
  readonly mode: MaintenanceMode;
  readonly message?: string;
}

export interface MaintenanceCounters {
  /** Hosts that reached DRAINED. */
  readonly hostsDrained: number;
  /** Tasks whose drain kill waited at least once for their job's SLA. */
  readonly slaDelayedKills: number;
  /** Tasks killed at a drain's deadline although their job's SLA did not allow it. */
  readonly forcedKills: number;
}

/** Cumulative counts of the job lifecycle features, for run summaries. */
export interface LifecycleCounters {
  readonly updates: UpdateCounters;
  readonly cron: CronCounters;
  readonly maintenance: MaintenanceCounters;
}

export interface StartUpdateOptions {
  /** Only these instances (Aurora's instance ranges); default: every instance in the diff. */
  readonly instances?: readonly number[];
}

export interface RestartOptions {
  /** Default: every live instance. */
  readonly instances?: readonly number[];
  /** Instances restarted at a time. Default 1. */
  readonly batchSize?: number;
  /** How long a restarted instance must be healthy before the next one goes. Default: the job's update watchSecs, else 45. */
  readonly watchSecs?: number;
}

/** How a task was placed (policy, host, score), or why it is not placed yet. */
export interface PlacementExplanation {
  readonly taskId: string;
  readonly job: string;
  readonly state: TaskState;
  readonly policy: string;
  readonly host?: string;
  readonly score?: number;
  /** Time of the decision (placed) or of the latest attempt (pending). */
  readonly decidedAt?: number;
  /** Rejection reason → hosts, from the attempt that placed it or the latest failed one. */
  readonly reasons: Readonly<Record<string, number>>;
  readonly message: string;
  /** Set when the task holds a preemption reservation on a host. */
  readonly reservedHost?: string;
}

/** Options for createScheduler (core/src/scheduler/create.ts). Every field has a default. */
export interface SchedulerOptions {
  readonly clock: Clock;
  /** Seeded; used by randomized policies. */
  readonly random?: RandomSource;
  /** Placement policy name (see `borealis policies`); default: placement's default policy. */
  readonly policy?: string;
  /** Order in which pending groups are tried each round. Default 'priority'. */
  readonly queueOrder?: 'fifo' | 'priority' | 'drf';
  readonly preemption?: {
    readonly enabled?: boolean;
    /** How long a task must have been pending before it may preempt. Default 180000 (3 min); 0 allowed. */
    readonly delayMs?: number;
    /** Candidate hosts examined exactly per search (after a cheap capacity filter). Default 256. */
    readonly maxHostsExamined?: number;
    /** A reservation the victims' kills never fulfil is dropped after this. Default 300000. */
    readonly reservationTtlMs?: number;
  };
  /** If true, a production (preferred) job of a role without quota is rejected, as in Aurora. */
  readonly quotasMandatory?: boolean;
  /** Retry backoff of a group that could not be placed: initial, doubling up to max. Default 1 s → 60 s. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** A task that ran less than this comes back THROTTLED. Default 300000 (5 min). */
  readonly flappingThresholdMs?: number;
  /** Per-job instance limit. Default DEFAULT_MAX_INSTANCES (4000). */
  readonly maxInstances?: number;
  /**
   * Record typed changes of durable state for `takeStep` (default false). A driver that persists
   * (prod, the test harness) switches it on and must take every step; one that does not (the
   * simulator) leaves it off and gets steps with effects only, at no cost.
   */
  readonly recordChanges?: boolean;
  /**
   * How long a PARTITIONED task (its agent UNREACHABLE) may stay away before it counts as LOST and
   * is rescheduled. Default 0: at the next tick.
   */
  readonly partitionDelayMs?: number;
  /** If true, placement only uses hosts the driver offered (offer/rescind), as with Mesos offers. */
  readonly offerMode?: boolean;
  /**
   * 'reported' (default): health comes from the driver through taskHealth. 'simulated': the core
   * plays each RUNNING task's health check itself from its config (`simulatedHealth`: healthy after
   * the initial interval and successes, or, for `sim.unhealthy`, restarted when the check gives
   * up), for drivers that simulate executors; `sim.failAfterMs` stays the driver's to report.
   */
  readonly healthChecks?: 'reported' | 'simulated';
  readonly maintenance?: {
    /**
     * Whether SLA-aware drains (DrainKind `sla`) wait for SLAs (default true); false makes them
     * stop every task at once like an immediate drain.
     */
    readonly slaAware?: boolean;
    /**
     * Jobs with fewer instances than this are not held up by an SLA-aware drain (Aurora's
     * -min_required_instances_for_sla_check). Default 20.
     */
    readonly minRequiredInstances?: number;
    /** A drain stops waiting for SLAs after this and kills what is left. Default 3600000 (1 h). */
    readonly drainTimeoutMs?: number;
    /** How often a waiting drain looks at its tasks again. Default 60000. */
    readonly slaCheckIntervalMs?: number;
  };
}

/**
 * What a driver calls: the cluster as it is (hosts, offers, status updates, reconciliation), time,
 * and the steps it takes out and persists. The simulator, the test harness and prod drive this.
 */
export interface SchedulerDriverApi {
  addHost(spec: HostSpec): void;
  /** The host is gone for good: its tasks become LOST (and are rescheduled per the lifecycle). */
  removeHost(hostId: string): void;
  /** The host is unreachable: its tasks become LOST; the host takes no tasks until hostUp. */
  hostDown(hostId: string): void;
  hostUp(hostId: string): void;
  /** offerMode only: the host's resources are offered to the core until rescinded. */
  offer(hostId: string): void;
  rescind(hostId: string): void;
  taskStatus(taskId: string, state: ReportedState, message?: string): void;
  /**
   * The executor's health check verdict for a RUNNING task: true once it passes (the task is then
   * healthy); false when it has failed too often, which restarts the task (kill reason 'unhealthy').
   * Tasks whose config has no health check are healthy as soon as they run and need no report.
   */
  taskHealth(taskId: string, healthy: boolean, message?: string): void;
  /**
   * A status update as Mesos reports it (lifecycle/mesos-states.ts maps it): duplicates and stale
   * updates change nothing; an update that says a task the core does not know (or believes gone)
   * is alive yields a kill (reason 'unknown-task'); UNREACHABLE makes a task PARTITIONED.
   */
  mesosStatus(status: MesosStatus): void;
  /** Asks the driver to reconcile: a `reconcile` effect, explicit (every task on a host) or implicit (empty). */
  requestReconciliation(kind: 'explicit' | 'implicit'): void;
  /**
   * Every task the cluster reports (an implicit reconciliation's complete answer): each is applied as
   * a status update (unknown live ones are killed); tasks the core has on a host that the cluster
   * does not report, and whose launch is not in flight (ASSIGNED), are LOST and rescheduled.
   */
  reconcile(reported: readonly MesosStatus[]): void;
  /** Handles timers due at clock.now() (backoff, throttling, preemption delay, ...) and runs a scheduling round. */
  tick(): void;
  /** The next time tick() has work to do, if any; the driver wakes the core then. */
  nextWakeup(): number | undefined;
  /** Effects produced since the last call, in the order they were decided. */
  takeEffects(): Effect[];
  /**
   * The step since the last call: its changes (empty unless `recordChanges`) and its effects. The
   * driver loop (driver/driver-loop.ts) takes steps; use either this or takeEffects, not both.
   */
  takeStep(): StepResult;
  /** The durable state as storage holds it (tasks, jobs, quotas, hosts, updates, id sequence). */
  durableState(): DurableState;
  /** `durableState()` as a versioned, JSON-compatible snapshot (configs stored once). */
  snapshot(): CoreSnapshot;
  /**
   * Recovery into a fresh core (no hosts, jobs or tasks yet): a snapshot, or a durable state with the
   * change log after its snapshot replayed onto it. Tasks come back at their states, holding their
   * hosts and ports; ids continue in a new storage generation. Not restored: an update in progress
   * is kept as history but not resumed; a drain in progress starts over; retry backoff, preemption
   * reservations and placement explanations start empty.
   */
  restore(from: CoreSnapshot | DurableState, options?: RestoreOptions): void;
}

/** What a user command calls (the API and CLI in prod, the trace in the simulator). */
export interface SchedulerCommandApi {
  setQuota(role: string, quota: Resources): void;
  /**
   * Creates the job's PENDING tasks, or rejects it (bad config, quota) with problems that say why.
   * A cron job (kind 'cron' with cron settings) is only scheduled and returns no tasks: each trigger
   * of its schedule starts a run of `instances` new tasks, per its collision policy.
   */
  submitJob(job: JobConfig): Result<{ readonly taskIds: readonly string[] }>;
  /** Kills all instances, or the listed ones. User kills never come back. Killing a whole cron job also deschedules it. */
  killJob(key: JobKey, instances?: readonly number[]): Result<{ readonly killed: number }>;

  /**
   * Starts a rolling update of a job to `job` (its instances, task and update settings): instances
   * added first, then changed ones replaced, then removed ones killed; unchanged ones untouched.
   * Rejected if the job does not exist, is a cron job, already has an active update, or the update
   * would exceed the role's quota.
   */
  startUpdate(job: JobConfig, options?: StartUpdateOptions): Result<UpdateInfo>;
  pauseUpdate(key: JobKey): Result<UpdateInfo>;
  resumeUpdate(key: JobKey): Result<UpdateInfo>;
  abortUpdate(key: JobKey): Result<UpdateInfo>;
  /** Rolling restart: each instance's task replaced by a new one with the same config, in batches. */
  restartJob(key: JobKey, options?: RestartOptions): Result<UpdateInfo>;
  /** Adds `count` instances (numbered after the highest) with the job's current config; quota checked. */
  addInstances(key: JobKey, count: number): Result<{ readonly taskIds: readonly string[] }>;
  /**
   * NONE: normal. SCHEDULED: still used, ranked last. DRAINING: tasks are killed (reason `drain`) and
   * rescheduled elsewhere; the host becomes DRAINED once empty. DRAINED: takes no tasks. `drain`
   * says how DRAINING stops tasks (default `immediate`; see DrainKind).
   */
  setMaintenance(hostIds: readonly string[], mode: MaintenanceMode, drain?: DrainKind): void;
}

/** What a query reads: no method here changes the core's state. */
export interface SchedulerQueryApi {
  /** The job's active update, else its most recent one. */
  updateInfo(key: JobKey): UpdateInfo | undefined;
  /** Next trigger time of a cron job, if it is scheduled. */
  cronNextFire(key: JobKey): number | undefined;
  maintenance(hostId: string): MaintenanceMode | undefined;
  onTaskEvent(listener: (event: TaskEvent) => void): void;
  onPreemption(listener: (record: PreemptionRecord) => void): void;
  onUpdateEvent(listener: (event: UpdateEvent) => void): void;
  onMaintenanceEvent(listener: (event: MaintenanceEvent) => void): void;
  lifecycleCounters(): LifecycleCounters;
  task(taskId: string): TaskInfo | undefined;
  /** Task ids of a job that are not terminal, by instance. */
  activeTasks(key: JobKey): readonly string[];
  /** Number of tasks in each state (terminal tasks included until pruned). */
  taskCounts(): Readonly<Record<TaskState, number>>;
  /** Resources held by tasks on hosts (ASSIGNED … KILLING), per tier. */
  allocatedByTier(): Readonly<Record<Tier, Resources>>;
  /** Capacity of hosts that are up and not DRAINED. */
  capacity(): Resources;
  /** Resources held on one host, or undefined for an unknown host. */
  hostAllocated(hostId: string): Resources | undefined;
  /** Hosts known, and how many of them can take tasks (up, not DRAINING/DRAINED). */
  hostCounts(): { readonly total: number; readonly usable: number };
  /** Pending groups, all or of one job, in queue order. */
  pendingReasons(key?: JobKey): readonly PendingGroupReasons[];
  /** Reason → number of pending tasks whose latest attempt was rejected for it on at least one host. */
  pendingReasonTotals(): Readonly<Record<string, number>>;
  explain(taskId: string): PlacementExplanation | undefined;
  /** Quota and production consumption of a role. */
  quota(role: string): { readonly quota?: Resources; readonly consumed: Resources };
}

/** The whole facade: createScheduler returns one object that is all three. */
export interface Scheduler extends SchedulerDriverApi, SchedulerCommandApi, SchedulerQueryApi {}
