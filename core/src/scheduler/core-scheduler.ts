import { parseCrontab } from '../cron/crontab.js';
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
import { type StoredTask, storedTask } from './changes.js';
import { DRAIN_ALL } from './drain.js';
import { DurableState } from './durable-state.js';
import { HostLifecycle } from './host-lifecycle.js';
import { JobOperations } from './job-operations.js';
import { PlacementRound } from './placement-round.js';
import { PreemptionDriver } from './preemption-driver.js';
import { createParts, type SchedulerParts } from './scheduler-parts.js';
import { SchedulerQueries } from './scheduler-queries.js';
import {
  type CoreSnapshot,
  compareIds,
  decodeSnapshot,
  encodeSnapshot,
  jobKeyOfTask,
  snapshotRows,
} from './snapshot-codec.js';
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
    const state = this.durableHeader();
    for (const t of this.parts.store.all()) {
      state.tasks.set(t.id, storedTask(t, undefined, this.parts.health.healthySinceOfSlot(t.slot)));
    }
    return state;
  }

  /** Every durable entity but the tasks. */
  private durableHeader(): DurableState {
    const { ids, quotas, jobs } = this.parts;
    const state = new DurableState();
    state.ids = { next: ids.next, generation: ids.generation };
    for (const h of this.hosts.presentHosts()) state.hosts.set(h.spec.id, h);
    for (const role of quotas.roles()) state.quotas.set(role, quotas.usage(role).quota!);
    for (const [key, job] of jobs) state.jobs.set(key, job);
    for (const job of this.updates.jobsWithUpdates()) state.updates.set(job, this.updates.latestUpdate(job)!);
    return state;
  }

  snapshot(): CoreSnapshot {
    return encodeSnapshot(this.durableHeader(), this.liveRows());
  }

  /** The live tasks as stored tasks, in one reused object (encodeSnapshot reads each at once). */
  private *liveRows(): IterableIterator<StoredTask> {
    const health = this.parts.health;
    const row: { -readonly [K in keyof StoredTask]: StoredTask[K] } = { ...storedTaskShape };
    for (const t of this.parts.store.all()) {
      row.taskId = t.id;
      row.job = t.job;
      row.kind = t.kind;
      row.instance = t.instance;
      row.config = t.config;
      row.state = t.state;
      row.stateSince = t.stateSince;
      row.failures = t.failureCount;
      row.consecutiveFlaps = t.consecutiveFlaps;
      row.host = t.host;
      row.ports = t.ports;
      row.ancestorId = t.ancestorId;
      row.runningSince = t.runningSince;
      row.notBefore = t.notBefore === 0 ? undefined : t.notBefore;
      row.userKill = t.userKill ? true : undefined;
      row.beforePartition = t.beforePartition;
      row.healthySince = health.healthySinceOfSlot(t.slot);
      yield row;
    }
  }

  restore(from: CoreSnapshot | DurableState, options: RestoreOptions = {}): void {
    const { store, inventory, ids, quotas, jobs, cron, clock, recorder } = this.parts;
    if (store.size > 0 || inventory.hostCount > 0 || jobs.size > 0)
      throw new Error('restore needs a fresh core (no hosts, jobs or tasks yet)');
    const state = from instanceof DurableState ? from : decodeSnapshot(from, false);
    const rows = from instanceof DurableState ? from.tasks.values() : snapshotRows(from);
    ids.restoreFrom(state.ids, options.generation);
    for (const h of state.hosts.values()) this.hosts.restoreHost(h.spec, h.up, h.mode);
    for (const [role, quota] of state.quotas) quotas.setQuota(role, quota);
    for (const [key, job] of state.jobs) {
      jobs.set(key, job);
      if (job.kind === 'cron' && job.cron) {
        const tab = parseCrontab(job.cron.schedule);
        if (tab.ok) cron.schedule(key, tab.value, job.cron.collisionPolicy, clock.now());
      }
    }
    for (const u of state.updates.values()) this.updates.restoreLatest(u);
    // PENDING tasks join the queue last, in the order they became pending; the rest in storage order.
    const pending: StoredTask[] = [];
    const keys = new Map<string, JobKey>();
    const put = (t: StoredTask) => {
      let key = keys.get(t.job);
      if (key === undefined) {
        key = jobKeyOfTask(t);
        keys.set(t.job, key);
      }
      this.changes.adopt(store.restore(t, key), t.healthySince);
    };
    for (const t of rows) {
      // Rows of a snapshot share one object: a pending one is copied to be put back later.
      if (t.state === 'PENDING') pending.push({ ...t });
      else put(t);
    }
    pending.sort(pendingOrder);
    for (const t of pending) put(t);
    // What recovery rebuilt is what storage already holds: only the new id generation is news.
    recorder.reset();
    if (recorder.on) recorder.add({ kind: 'ids-advanced', next: ids.next, generation: ids.generation });
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

/** A stored task with every key present, in storedTask's order (for rows reused per task). */
const storedTaskShape: StoredTask = {
  taskId: '',
  job: '',
  kind: 'service',
  instance: 0,
  config: undefined as unknown as StoredTask['config'],
  state: 'PENDING',
  stateSince: 0,
  failures: 0,
  consecutiveFlaps: 0,
  message: undefined,
  host: undefined,
  ports: undefined,
  ancestorId: undefined,
  runningSince: undefined,
  notBefore: undefined,
  userKill: undefined,
  beforePartition: undefined,
  healthySince: undefined,
};

const EMPTY_STEP: StepResult = Object.freeze({ changes: Object.freeze([]), effects: Object.freeze([]) });

/** PENDING tasks by the time they became pending, then in id order. */
function pendingOrder(a: StoredTask, b: StoredTask): number {
  if (a.stateSince !== b.stateSince) return a.stateSince - b.stateSince;
  return compareIds(a.taskId, b.taskId);
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b !== undefined && b < a ? b : a;
}
