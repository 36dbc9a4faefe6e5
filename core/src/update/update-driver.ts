import type { JobConfig } from '../model/job.js';
import type { TaskConfig } from '../model/task-config.js';
import { STOPPING_STATES, type TaskState } from '../model/task-state.js';
import type { TaskRecord } from '../store/task-record.js';
import { sameTaskConfig } from './config-identity.js';
import {
  type MachineAction,
  type MachineInput,
  type Phase,
  startMachine,
  stepMachine,
  type UpdateMachineState,
} from './update-machine.js';
import type { InstanceAction, InstanceOp, PlanStep, UpdateOperation, UpdateStatus } from './update-status.js';
import { isTerminalUpdate } from './update-status.js';

/** What the driver needs from the scheduler: tasks of an instance, and the means to change them. */
export interface UpdateHost {
  now(): number;
  /** Live (not ended) tasks of one instance of a job. */
  liveTasks(job: string, instance: number): readonly TaskRecord[];
  addTask(job: JobConfig, instance: number, config: TaskConfig): void;
  stopTask(taskId: string, reason: 'update' | 'restart'): void;
  healthySince(taskId: string): number | undefined;
  failedHealthCheck(taskId: string): boolean;
  /** Call `wake(job)` at this time. */
  wakeAt(at: number, job: string): void;
  /** Run after the current store transition has finished. */
  defer(fn: () => void): void;
  /** The update ended: the job's registered config is now `job`. */
  ended(status: UpdateStatus, job: JobConfig): void;
}

/** One update event: a status change of the update, or one step of one instance. */
export interface UpdateEvent {
  readonly time: number;
  readonly updateId: string;
  readonly job: string;
  readonly operation: UpdateOperation;
  readonly kind: 'status' | 'instance';
  /** The update's status after the event. */
  readonly status: UpdateStatus;
  readonly instance?: number;
  readonly action?: InstanceAction;
  readonly message?: string;
}

/** An update as the facade reports it. */
export interface UpdateInfo {
  readonly updateId: string;
  readonly job: string;
  readonly operation: UpdateOperation;
  readonly status: UpdateStatus;
  readonly startedAt: number;
  readonly endedAt?: number;
  /** The plan of the current phase, in order. */
  readonly steps: readonly PlanStep[];
  readonly inFlight: readonly number[];
  readonly failedInstances: readonly number[];
  readonly message?: string;
}

export interface UpdateCounters {
  /** Rolling updates (operation 'update') started. */
  readonly started: number;
  readonly rolledForward: number;
  readonly rolledBack: number;
  /** Ended FAILED or ERROR. */
  readonly failed: number;
  readonly aborted: number;
  /** Mean start-to-end time of updates that ended; 0 if none did. */
  readonly meanDurationMs: number;
  /** Rolling restarts started. */
  readonly restarts: number;
}

interface InstanceWork {
  readonly phase: Phase;
  readonly op: InstanceOp;
  /** The config the instance should run; undefined: the instance should not exist. */
  readonly target: TaskConfig | undefined;
  /** Restart: the tasks that were running when the restart reached the instance. */
  readonly stale: ReadonlySet<string>;
  /** Last state seen of each task of the instance, to tell a failure from an ordered stop. */
  readonly lastState: Map<string, TaskState>;
  finished: boolean;
}

interface UpdateRun {
  readonly id: string;
  readonly job: string;
  readonly operation: UpdateOperation;
  readonly oldJob: JobConfig;
  readonly newJob: JobConfig;
  /** Configs of the live instances when the update started: the rollback target. */
  readonly oldConfigs: ReadonlyMap<number, TaskConfig>;
  machine: UpdateMachineState;
  readonly working: Map<number, InstanceWork>;
  readonly startedAt: number;
  endedAt?: number;
}

const STOPPING = STOPPING_STATES;

/**
 * Carries out update state machines (update-machine.ts) against the live tasks of a job, one
 * active update per job. For each instance the machine begins, the driver moves the instance
 * towards its target — kill a task with the wrong config, then add one with the right config —
 * and reports back: succeeded once the task has been healthy for watchSecs, failed each time a
 * task with the target config fails (FAILED, LOST, failed health check). Everything else (batches,
 * limits, rollback, pause) is the machine's decision.
 */
export class UpdateDriver {
  private readonly active = new Map<string, UpdateRun>();
  private readonly latest = new Map<string, UpdateRun>();
  /** Updates recovered from storage (`restoreLatest`): history only, not driven. */
  private readonly restored = new Map<string, UpdateInfo>();
  private readonly listeners: ((e: UpdateEvent) => void)[] = [];
  private seq = 0;
  private counts = { started: 0, rolledForward: 0, rolledBack: 0, failed: 0, aborted: 0, restarts: 0 };
  private durationSum = 0;
  private durationCount = 0;

  constructor(private readonly host: UpdateHost) {}

  onEvent(listener: (e: UpdateEvent) => void): void {
    this.listeners.push(listener);
  }

  activeUpdate(job: string): UpdateInfo | undefined {
    const run = this.active.get(job);
    return run && info(run);
  }

  /** The job's active update, or else its most recent one. */
  latestUpdate(job: string): UpdateInfo | undefined {
    const run = this.active.get(job) ?? this.latest.get(job);
    return run ? info(run) : this.restored.get(job);
  }

  /** Jobs that have had an update (for snapshots). */
  jobsWithUpdates(): string[] {
    const jobs = new Set(this.restored.keys());
    for (const job of this.latest.keys()) jobs.add(job);
    return [...jobs];
  }

  /**
   * Recovery: the job's latest update as storage recorded it, kept as history for `latestUpdate`.
   * An update that was in progress is not resumed (its machine state is not in the record).
   */
  restoreLatest(update: UpdateInfo): void {
    this.restored.set(update.job, update);
  }

  hasActive(job: string): boolean {
    return this.active.has(job);
  }

  /**
   * Starts an update already validated by the caller (no active update, quota checked). For a
   * restart, `steps` are 'update' steps whose target is each instance's current config.
   */
  start(
    operation: UpdateOperation,
    oldJob: JobConfig,
    newJob: JobConfig,
    oldConfigs: ReadonlyMap<number, TaskConfig>,
    steps: readonly PlanStep[],
  ): UpdateInfo {
    const job = `${newJob.key.role}/${newJob.key.environment}/${newJob.key.name}`;
    if (this.active.has(job)) throw new Error(`job ${job} already has an active update`);
    const settings = newJob.update;
    if (!settings) throw new Error(`job ${job}: update settings missing`);
    const run: UpdateRun = {
      id: `${job}#${++this.seq}`,
      job,
      operation,
      oldJob,
      newJob,
      oldConfigs,
      machine: startMachine([], settings).state,
      working: new Map(),
      startedAt: this.host.now(),
    };
    this.active.set(job, run);
    this.latest.set(job, run);
    if (operation === 'update') this.counts.started++;
    else this.counts.restarts++;
    this.emit(run, { kind: 'status', status: 'ROLLING_FORWARD', message: `${operation} started` });
    const first = startMachine(steps, settings);
    run.machine = first.state;
    this.carryOut(run, first.actions);
    return info(run);
  }

  /** pause / resume / abort from a user; a rejection message if not valid now. */
  command(job: string, input: MachineInput): string | undefined {
    const run = this.active.get(job);
    if (!run) return `job ${job} has no active update`;
    return this.feed(run, input);
  }

  /** A task of the job changed state (called from the store listener: acts later, via defer). */
  taskChanged(task: TaskRecord, state: TaskState): void {
    // Called on every transition of every task; most runs have no update in flight at all.
    if (this.active.size === 0) return;
    const run = this.active.get(task.job);
    const work = run?.working.get(task.instance);
    if (!run || !work) return;
    const prev = work.lastState.get(task.id);
    work.lastState.set(task.id, state);
    if (isFailure(this.host, work, task, state, prev)) {
      this.host.defer(() => {
        if (this.active.get(run.job) === run && run.working.get(task.instance) === work) {
          this.feed(run, { kind: 'instanceFailed', instance: task.instance });
        }
        this.evaluateLater(run, task.instance);
      });
      return;
    }
    if (
      state === 'FINISHED' &&
      task.kind !== 'service' &&
      work.target &&
      sameTaskConfig(task.config, work.target) &&
      !work.stale.has(task.id)
    ) {
      // A batch task with the new config ran to completion: that instance is done.
      work.finished = true;
    }
    this.evaluateLater(run, task.instance);
  }

  /** A watch timer of the job is due. */
  wake(job: string): void {
    const run = this.active.get(job);
    if (!run) return;
    for (const instance of [...run.working.keys()]) this.evaluate(run, instance);
  }

  /** The whole job was killed: its update cannot go on. */
  jobKilled(job: string): void {
    const run = this.active.get(job);
    if (run) this.feed(run, { kind: 'error', message: 'job was killed during the update' });
  }

  counters(): UpdateCounters {
    return {
      ...this.counts,
      meanDurationMs: this.durationCount === 0 ? 0 : this.durationSum / this.durationCount,
    };
  }

  // --- internals -----------------------------------------------------------------------------

  private feed(run: UpdateRun, input: MachineInput): string | undefined {
    const step = stepMachine(run.machine, input);
    if (step.rejected) return step.rejected;
    run.machine = step.state;
    this.carryOut(run, step.actions);
    // Instances in flight were left alone while paused; look at them again.
    if (input.kind === 'resume') this.wake(run.job);
    return undefined;
  }

  private carryOut(run: UpdateRun, actions: readonly MachineAction[]): void {
    const begun: number[] = [];
    for (const a of actions) {
      if (a.kind === 'begin') {
        run.working.set(a.instance, {
          phase: a.phase,
          op: a.op,
          target: this.targetOf(run, a.phase, a.op, a.instance),
          stale:
            run.operation === 'restart' && a.phase === 'forward'
              ? new Set(this.host.liveTasks(run.job, a.instance).map((t) => t.id))
              : new Set(),
          lastState: new Map(),
          finished: false,
        });
        begun.push(a.instance);
      } else if (a.kind === 'stop') {
        run.working.delete(a.instance);
      } else if (a.kind === 'instance') {
        this.emit(run, {
          kind: 'instance',
          status: run.machine.status,
          instance: a.instance,
          action: a.action,
        });
      } else {
        this.emit(run, {
          kind: 'status',
          status: a.to,
          ...(a.message !== undefined && { message: a.message }),
        });
        if (isTerminalUpdate(a.to)) this.finish(run, a.to);
      }
    }
    for (const instance of begun) this.evaluate(run, instance);
  }

  private targetOf(run: UpdateRun, phase: Phase, op: InstanceOp, instance: number): TaskConfig | undefined {
    if (op === 'remove') return undefined;
    if (phase === 'forward' && run.operation === 'update') return run.newJob.task;
    return run.oldConfigs.get(instance) ?? run.oldJob.task;
  }

  private finish(run: UpdateRun, status: UpdateStatus): void {
    if (this.active.get(run.job) !== run) return;
    this.active.delete(run.job);
    run.working.clear();
    run.endedAt = this.host.now();
    if (run.operation === 'update') {
      this.durationSum += run.endedAt - run.startedAt;
      this.durationCount++;
      if (status === 'ROLLED_FORWARD') this.counts.rolledForward++;
      else if (status === 'ROLLED_BACK') this.counts.rolledBack++;
      else if (status === 'ABORTED') this.counts.aborted++;
      else this.counts.failed++;
    }
    // A restart's settings are its own, not the job's: the job keeps its config either way.
    const kept = status === 'ROLLED_FORWARD' && run.operation === 'update' ? run.newJob : run.oldJob;
    this.host.ended(status, kept);
  }

  private evaluateLater(run: UpdateRun, instance: number): void {
    this.host.defer(() => {
      if (this.active.get(run.job) === run) this.evaluate(run, instance);
    });
  }

  /** Moves one instance one step towards its target, or reports it succeeded. Idempotent. */
  private evaluate(run: UpdateRun, instance: number): void {
    const work = run.working.get(instance);
    if (!work || isPausedOrDone(run.machine.status)) return;
    const live = this.host.liveTasks(run.job, instance);
    const target = work.target;
    let waiting = false;
    for (const t of live) {
      const wrong = target === undefined || work.stale.has(t.id) || !sameTaskConfig(t.config, target);
      if (!wrong) continue;
      waiting = true;
      if (!STOPPING.has(t.state)) {
        work.lastState.set(t.id, t.state);
        this.host.stopTask(t.id, work.stale.has(t.id) ? 'restart' : 'update');
      }
    }
    if (waiting) return;
    if (target === undefined || work.finished) {
      this.feed(run, { kind: 'instanceSucceeded', instance });
      return;
    }
    const current = live[0];
    if (current === undefined) {
      // Nothing runs the instance (new, removed earlier, or a batch task that will not come back).
      this.host.addTask(run.newJob, instance, target);
      return;
    }
    const since = this.host.healthySince(current.id);
    if (since === undefined) return;
    const due = since + run.newJob.update!.watchSecs * 1000;
    if (this.host.now() >= due) this.feed(run, { kind: 'instanceSucceeded', instance });
    else this.host.wakeAt(due, run.job);
  }

  private emit(run: UpdateRun, e: Omit<UpdateEvent, 'time' | 'updateId' | 'job' | 'operation'>): void {
    const event: UpdateEvent = {
      time: this.host.now(),
      updateId: run.id,
      job: run.job,
      operation: run.operation,
      ...e,
    };
    for (const l of this.listeners) l(event);
  }
}

function isFailure(
  host: UpdateHost,
  work: InstanceWork,
  task: TaskRecord,
  state: TaskState,
  prev: TaskState | undefined,
): boolean {
  if (!work.target || work.stale.has(task.id) || !sameTaskConfig(task.config, work.target)) return false;
  if (state === 'RESTARTING') return host.failedHealthCheck(task.id);
  if (state !== 'FAILED' && state !== 'LOST') return false;
  return prev === undefined || !STOPPING.has(prev);
}

function isPausedOrDone(s: UpdateStatus): boolean {
  return s !== 'ROLLING_FORWARD' && s !== 'ROLLING_BACK';
}

function info(run: UpdateRun): UpdateInfo {
  const m = run.machine;
  return {
    updateId: run.id,
    job: run.job,
    operation: run.operation,
    status: m.status,
    startedAt: run.startedAt,
    ...(run.endedAt !== undefined && { endedAt: run.endedAt }),
    steps: m.steps,
    inFlight: m.inFlight,
    failedInstances: m.failedInstances,
    ...(m.message !== undefined && { message: m.message }),
  };
}
