import { coreStateOf, isAliveInMesos } from '../lifecycle/mesos-states.js';
import { DEFAULT_MIN_SLA_INSTANCES, SlaDrainPolicy } from '../maintenance/sla-drain-policy.js';
import type { JobConfig } from '../model/job.js';
import { formatJobKey, type JobKey } from '../model/job-key.js';
import type { Resources } from '../model/resources.js';
import type { Result } from '../model/result.js';
import type { TaskState } from '../model/task-state.js';
import { ACTIVE_ON_HOST_STATES as ON_HOST } from '../model/task-state.js';
import type { Tier } from '../model/tier.js';
import { UpdateDriver, type UpdateEvent, type UpdateInfo } from '../update/update-driver.js';
import type {
  DrainKind,
  Effect,
  HostSpec,
  LifecycleCounters,
  MaintenanceEvent,
  MaintenanceMode,
  MesosStatus,
  PendingGroupReasons,
  PlacementExplanation,
  PreemptionRecord,
  ReportedState,
  RestartOptions,
  RestoreOptions,
  Scheduler,
  SchedulerOptions,
  StartUpdateOptions,
  StepResult,
  TaskEvent,
  TaskInfo,
} from './api.js';
import { DRAIN_ALL } from './drain.js';
import type { DurableState } from './durable-state.js';
import { HostLifecycle } from './host-lifecycle.js';
import { JobOperations } from './job-operations.js';
import { PlacementRound } from './placement-round.js';
import { PreemptionDriver } from './preemption-driver.js';
import { Recovery } from './recovery.js';
import { createParts, type SchedulerParts } from './scheduler-parts.js';
import { SchedulerQueries } from './scheduler-queries.js';
import type { CoreSnapshot } from './snapshot-codec.js';
import { StateChanges } from './state-changes.js';

/**
 * The scheduling core behind the Scheduler facade. It owns the task store, the host inventory and
 * placement engine, the pending queue, preemption and quotas (scheduler-parts.ts), and wires the
 * parts that work on them:
 *
 *   StateChanges      every transition; its store listener keeps the indexes in step
 *   PlacementRound    ready groups → PlacementEngine → ASSIGNED, else preemption and backoff
 *   PreemptionDriver  victims, reservations and stand-ins, the preemptor taking the room
 *   HostLifecycle     hosts added, lost, offered, drained
 *   JobOperations     submit, kill, update, restart, add instances, cron runs
 *   SchedulerQueries  read-only views
 *   Recovery          durable state out (snapshot) and back in (restore)
 *
 * Work per call is proportional to what changed — timers and retry backoff sit in heaps, tasks are
 * indexed by state, job and host — never a scan of all tasks.
 */
export class CoreScheduler implements Scheduler {
  private readonly parts: SchedulerParts;
  private readonly updates: UpdateDriver;
  private readonly changes: StateChanges;
  private readonly preemption: PreemptionDriver;
  private readonly placement: PlacementRound;
  private readonly hosts: HostLifecycle;
  private readonly jobOps: JobOperations;
  private readonly queries: SchedulerQueries;
  private readonly recovery: Recovery;

  constructor(options: SchedulerOptions) {
    const parts = createParts(options);
    this.parts = parts;
    const { clock, health, timers, deferred, jobs, recorder } = parts;
    // The parts call each other through these closures, which look them up when called.
    this.updates = new UpdateDriver({
      now: () => clock.now(),
      liveTasks: (job, instance) => this.jobOps.liveTasks(job, instance),
      addTask: (job, instance, config) => this.jobOps.addTask(job, instance, config, 'added by update'),
      stopTask: (taskId, reason) => {
        this.changes.apply(
          taskId,
          reason === 'restart' ? 'RESTARTING' : 'KILLING',
          { message: `${reason}` },
          reason,
        );
      },
      healthySince: (taskId) => health.healthySince(taskId),
      failedHealthCheck: (taskId) => health.failedHealthCheck(taskId),
      wakeAt: (at, job) => timers.set(at, 'update', job),
      defer: (fn) => deferred.push(fn),
      ended: (_status, job) => {
        if (jobs.has(formatJobKey(job.key))) jobs.set(formatJobKey(job.key), job);
      },
    });
    this.changes = new StateChanges(parts, this.updates, {
      settleReservations: (h) => this.preemption.settleReservations(h),
      finishDrainIfEmpty: (h) => this.hosts.finishDrainIfEmpty(h),
      dropReservation: (r, requeue) => this.preemption.dropReservation(r, requeue),
      startAwaitedCronRun: (job) => this.jobOps.startAwaitedCronRun(job),
    });
    this.preemption = new PreemptionDriver(parts, this.changes);
    this.placement = new PlacementRound(parts, this.changes, this.preemption);
    const drain =
      options.maintenance?.slaAware === false
        ? DRAIN_ALL
        : new SlaDrainPolicy(
            {
              slaOf: (taskId) => this.jobOps.slaOf(taskId),
              healthySince: (taskId) => health.healthySince(taskId),
              healthyTimes: (job) => this.jobOps.healthyTimes(job),
            },
            options.maintenance?.minRequiredInstances ?? DEFAULT_MIN_SLA_INSTANCES,
          );
    this.hosts = new HostLifecycle(parts, this.changes, this.preemption, drain);
    this.jobOps = new JobOperations(parts, this.changes, this.updates);
    this.queries = new SchedulerQueries(parts);
    this.recovery = new Recovery(parts, this.hosts, this.changes, this.updates);
    if (recorder.on) {
      recorder.updateInfo = (job) => this.updates.latestUpdate(job);
      recorder.healthySince = (taskId) => health.healthySince(taskId);
      this.updates.onEvent((e) => recorder.updateChanged(e.job));
    }
  }

  // --- cluster -------------------------------------------------------------------------------

  addHost(spec: HostSpec): void {
    this.hosts.addHost(spec);
  }

  removeHost(hostId: string): void {
    this.hosts.removeHost(hostId);
  }

  hostDown(hostId: string): void {
    this.hosts.hostDown(hostId);
  }

  hostUp(hostId: string): void {
    this.hosts.hostUp(hostId);
  }

  setMaintenance(hostIds: readonly string[], mode: MaintenanceMode, drain: DrainKind = 'immediate'): void {
    this.hosts.setMaintenance(hostIds, mode, drain);
  }

  maintenance(hostId: string): MaintenanceMode | undefined {
    return this.hosts.maintenance(hostId);
  }

  offer(hostId: string): void {
    this.hosts.offer(hostId);
  }

  rescind(hostId: string): void {
    this.hosts.rescind(hostId);
  }

  // --- jobs ----------------------------------------------------------------------------------

  setQuota(role: string, quota: Resources): void {
    this.parts.quotas.setQuota(role, quota);
    if (this.parts.recorder.on) this.parts.recorder.add({ kind: 'quota-set', role, quota });
  }

  submitJob(job: JobConfig): Result<{ readonly taskIds: readonly string[] }> {
    return this.jobOps.submitJob(job);
  }

  killJob(key: JobKey, instances?: readonly number[]): Result<{ readonly killed: number }> {
    return this.jobOps.killJob(key, instances);
  }

  startUpdate(job: JobConfig, options: StartUpdateOptions = {}): Result<UpdateInfo> {
    return this.jobOps.startUpdate(job, options);
  }

  pauseUpdate(key: JobKey): Result<UpdateInfo> {
    return this.jobOps.updateCommand(key, { kind: 'pause' });
  }

  resumeUpdate(key: JobKey): Result<UpdateInfo> {
    return this.jobOps.updateCommand(key, { kind: 'resume' });
  }

  abortUpdate(key: JobKey): Result<UpdateInfo> {
    return this.jobOps.updateCommand(key, { kind: 'abort' });
  }

  updateInfo(key: JobKey): UpdateInfo | undefined {
    return this.updates.latestUpdate(formatJobKey(key));
  }

  restartJob(key: JobKey, options: RestartOptions = {}): Result<UpdateInfo> {
    return this.jobOps.restartJob(key, options);
  }

  addInstances(key: JobKey, count: number): Result<{ readonly taskIds: readonly string[] }> {
    return this.jobOps.addInstances(key, count);
  }

  cronNextFire(key: JobKey): number | undefined {
    return this.parts.cron.nextFireOf(formatJobKey(key));
  }

  // --- agent side ----------------------------------------------------------------------------

  taskStatus(taskId: string, state: ReportedState, message?: string): void {
    this.changes.apply(taskId, state, message === undefined ? undefined : { message }, 'user');
  }

  taskHealth(taskId: string, healthy: boolean, message?: string): void {
    const { store, health, clock } = this.parts;
    const task = store.get(taskId);
    if (task?.state !== 'RUNNING') return;
    if (healthy) {
      if (health.passed(taskId, clock.now())) {
        if (this.parts.recorder.on) this.parts.recorder.touch(task);
        this.updates.taskChanged(task, 'RUNNING');
      }
    } else {
      // As Aurora's executor: a task failing its checks is restarted (it comes back elsewhere).
      health.failed(taskId);
      this.changes.apply(taskId, 'RESTARTING', { message: message ?? 'failed health check' }, 'unhealthy');
    }
    this.changes.runDeferred();
  }

  mesosStatus(status: MesosStatus): void {
    const { store, timers, clock, settings } = this.parts;
    const { taskId, agentId } = status;
    const task = store.get(taskId);
    if (task === undefined) {
      if (isAliveInMesos(status.state)) this.killUnknown(taskId, agentId);
      return;
    }
    const to = coreStateOf(status.state);
    if (to === undefined) return;
    const result = this.changes.apply(
      taskId,
      to,
      status.message === undefined ? undefined : { message: status.message },
    );
    if (result.result === 'success' && to === 'PARTITIONED') {
      timers.set(clock.now() + settings.partitionDelayMs, 'partition', taskId);
    } else if (result.result === 'illegal' && task.host === undefined && isAliveInMesos(status.state)) {
      // Believed not launched (PENDING, THROTTLED) yet running somewhere: the lifecycle's kill has no host to go to.
      this.killUnknown(taskId, agentId);
    }
    if (status.healthy === true && store.get(taskId)?.state === 'RUNNING') this.taskHealth(taskId, true);
  }

  requestReconciliation(kind: 'explicit' | 'implicit'): void {
    const tasks: { taskId: string; host: string }[] = [];
    if (kind === 'explicit') {
      for (const t of this.parts.store.all())
        if (t.host !== undefined && ON_HOST.has(t.state)) tasks.push({ taskId: t.id, host: t.host });
    }
    this.changes.pushEffect({ kind: 'reconcile', tasks });
  }

  reconcile(reported: readonly MesosStatus[]): void {
    const seen = new Set<string>();
    for (const status of reported) {
      seen.add(status.taskId);
      this.mesosStatus(status);
    }
    const missing: string[] = [];
    for (const t of this.parts.store.all()) {
      if (!seen.has(t.id) && t.state !== 'ASSIGNED' && ON_HOST.has(t.state)) missing.push(t.id);
    }
    for (const id of missing)
      this.changes.apply(id, 'LOST', { message: 'not reported by the cluster' }, 'host-removed');
  }

  private killUnknown(taskId: string, agentId: string | undefined): void {
    const host = agentId ?? '';
    this.changes.pushEffect(
      agentId === undefined
        ? { kind: 'kill', taskId, host, reason: 'unknown-task' }
        : { kind: 'kill', taskId, host, reason: 'unknown-task', agentId },
    );
  }

  // --- time ----------------------------------------------------------------------------------

  tick(): void {
    const { clock, timers, store, inventory, reservations, cron, queue, settings, launchedOn } = this.parts;
    const changes = this.changes;
    const now = clock.now();
    for (let t = timers.popDue(now); t; t = timers.popDue(now)) {
      if (t.kind === 'unthrottle') {
        const task = store.get(t.taskId);
        if (task?.state === 'THROTTLED' && task.notBefore <= now) {
          changes.apply(t.taskId, 'PENDING', { message: 'throttle expired' });
        }
      } else if (t.kind === 'healthy' || t.kind === 'unhealthy') {
        this.taskHealth(t.taskId, t.kind === 'healthy');
      } else if (t.kind === 'update') {
        this.updates.wake(t.taskId);
      } else if (t.kind === 'partition') {
        const task = store.get(t.taskId);
        // Only if the partition this timer was set for is still on (not one begun since).
        if (task?.state === 'PARTITIONED' && task.stateSince + settings.partitionDelayMs <= now)
          changes.apply(t.taskId, 'LOST', { message: 'partitioned too long' }, 'host-removed');
      } else if (t.kind === 'drain') {
        const h = this.hosts.hostIndex(t.taskId);
        if (h >= 0) this.hosts.drainPass(h);
      } else {
        const r = reservations.ofHolder(t.taskId);
        if (r && r.expiresAt <= now) this.preemption.dropReservation(r, true);
      }
      changes.runDeferred();
    }
    for (const trigger of cron.popDue(now)) this.jobOps.cronTrigger(trigger.job, trigger.policy);
    changes.runDeferred();
    queue.release(now);
    if (queue.hasReady()) this.placement.run(now);
    if (settings.offerMode) {
      // An accepted offer is used up; the rest of the host comes back in a later offer.
      for (const h of launchedOn) this.rescind(inventory.hostId(h));
    }
    launchedOn.clear();
  }

  nextWakeup(): number | undefined {
    const { clock, timers, queue, cron } = this.parts;
    if (queue.hasReady()) return clock.now();
    // The earliest of three wake-ups, without an array per call (the simulator asks after every step).
    return earliest(earliest(timers.nextAt(), queue.nextReadyAt()), cron.nextAt());
  }

  takeEffects(): Effect[] {
    return this.changes.takeEffects();
  }

  durableState(): DurableState {
    return this.recovery.durableState();
  }

  snapshot(): CoreSnapshot {
    return this.recovery.snapshot();
  }

  restore(from: CoreSnapshot | DurableState, options: RestoreOptions = {}): void {
    this.recovery.restore(from, options);
  }

  takeStep(): StepResult {
    const changes = this.parts.recorder.take();
    const effects = this.changes.takeEffects();
    if (changes.length === 0 && effects.length === 0) return EMPTY_STEP;
    return { changes, effects };
  }

  // --- observation ---------------------------------------------------------------------------

  onTaskEvent(listener: (event: TaskEvent) => void): void {
    this.changes.onTaskEvent(listener);
  }

  onPreemption(listener: (record: PreemptionRecord) => void): void {
    this.preemption.onPreemption(listener);
  }

  onUpdateEvent(listener: (event: UpdateEvent) => void): void {
    this.updates.onEvent(listener);
  }

  onMaintenanceEvent(listener: (event: MaintenanceEvent) => void): void {
    this.hosts.onMaintenanceEvent(listener);
  }

  lifecycleCounters(): LifecycleCounters {
    return {
      updates: this.updates.counters(),
      cron: this.parts.cron.counters(),
      maintenance: { ...this.hosts.maintenanceCounts },
    };
  }

  task(taskId: string): TaskInfo | undefined {
    return this.queries.task(taskId);
  }

  activeTasks(key: JobKey): readonly string[] {
    return this.queries.activeTasks(key);
  }

  taskCounts(): Readonly<Record<TaskState, number>> {
    return this.queries.taskCounts();
  }

  allocatedByTier(): Readonly<Record<Tier, Resources>> {
    return this.queries.allocatedByTier();
  }

  capacity(): Resources {
    return this.queries.capacity();
  }

  hostAllocated(hostId: string): Resources | undefined {
    return this.queries.hostAllocated(hostId);
  }

  hostCounts(): { readonly total: number; readonly usable: number } {
    return this.queries.hostCounts();
  }

  pendingReasons(key?: JobKey): readonly PendingGroupReasons[] {
    return this.queries.pendingReasons(key);
  }

  pendingReasonTotals(): Readonly<Record<string, number>> {
    return this.queries.pendingReasonTotals();
  }

  explain(taskId: string): PlacementExplanation | undefined {
    return this.queries.explain(taskId);
  }

  quota(role: string): { readonly quota?: Resources; readonly consumed: Resources } {
    return this.queries.quota(role);
  }
}

const EMPTY_STEP: StepResult = Object.freeze({ changes: Object.freeze([]), effects: Object.freeze([]) });

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b !== undefined && b < a ? b : a;
}
