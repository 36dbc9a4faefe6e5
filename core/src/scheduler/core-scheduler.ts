import { AURORA_DEFAULTS } from '../config/defaults.js';
import { CronRuntime } from '../cron/cron-runtime.js';
import { parseCrontab } from '../cron/crontab.js';
import { simulatedHealth } from '../health/health-timeline.js';
import { HealthTracker } from '../health/health-tracker.js';
import { DEFAULT_THROTTLE } from '../lifecycle/throttle.js';
import type { LifecycleEvent } from '../lifecycle/transition.js';
import { LEGAL_TRANSITIONS, STATE_COUNT, STATE_INDEX } from '../lifecycle/transitions.js';
import { effectiveSla } from '../maintenance/sla.js';
import { SlaDrainPolicy } from '../maintenance/sla-drain-policy.js';
import { DEFAULT_MAX_INSTANCES, type JobConfig, type UpdateSettings } from '../model/job.js';
import { formatJobKey, type JobKey } from '../model/job-key.js';
import { mulberry32 } from '../model/mulberry32.js';
import { RESOURCE_NAMES, type Resources, scaleResources } from '../model/resources.js';
import { fail, ok, type Result } from '../model/result.js';
import type { TaskConfig } from '../model/task-config.js';
import { ACTIVE_ON_HOST_STATES, TASK_STATES, type TaskState, TERMINAL_STATES } from '../model/task-state.js';
import { isProductionTier, type Tier } from '../model/tier.js';
import { PlacementEngine } from '../placement/engine/placement-engine.js';
import { demandOf, type PlacementSuccess } from '../placement/engine/placement-types.js';
import { CompiledChain, DEFAULT_FILTERS } from '../placement/filters/chain.js';
import { HostInventory } from '../placement/inventory/host-inventory.js';
import { createPolicy, DEFAULT_POLICY } from '../placement/policies/registry.js';
import { DIMS, demandVector, PreemptionIndex } from '../preemption/preemption-index.js';
import { VictimSearch } from '../preemption/victim-search.js';
import { DEFAULT_BACKOFF } from '../queue/backoff.js';
import { PendingQueue } from '../queue/pending-queue.js';
import { type QueueOrder, queueOrder } from '../queue/queue-order.js';
import { formatReasons } from '../queue/reasons.js';
import type { TaskGroup } from '../queue/task-group.js';
import { QuotaLedger } from '../quota/quota-ledger.js';
import type { TaskRecord } from '../store/task-record.js';
import { type StoreTransition, TaskStore, type TransitionUpdate } from '../store/task-store.js';
import { diffInstances } from '../update/instance-diff.js';
import { UpdateDriver, type UpdateEvent, type UpdateInfo } from '../update/update-driver.js';
import type { MachineInput } from '../update/update-machine.js';
import { isZero, updateQuotaRequest } from '../update/update-quota.js';
import type { PlanStep } from '../update/update-status.js';
import { AllocationLedger } from './allocation-ledger.js';
import type {
  Effect,
  HostSpec,
  KillReason,
  LifecycleCounters,
  MaintenanceEvent,
  MaintenanceMode,
  PendingGroupReasons,
  PlacementExplanation,
  PreemptionRecord,
  RandomSource,
  ReportedState,
  RestartOptions,
  Scheduler,
  SchedulerOptions,
  StartUpdateOptions,
  TaskEvent,
  TaskInfo,
  TaskRef,
} from './api.js';
import { DRAIN_ALL, type DrainPolicy } from './drain.js';
import { InstanceIndex } from './instance-index.js';
import { type Reservation, Reservations } from './reservations.js';
import { TaskColumns } from './task-columns.js';
import { TimerQueue } from './timer-queue.js';

/** Aurora's update defaults, for jobs submitted without update settings. */
const DEFAULT_UPDATE_SETTINGS: UpdateSettings = {
  strategy: { kind: 'queue', groupSize: AURORA_DEFAULTS.update.batchSize },
  watchSecs: AURORA_DEFAULTS.update.watchSecs,
  maxPerInstanceFailures: AURORA_DEFAULTS.update.maxPerInstanceFailures,
  maxTotalFailures: AURORA_DEFAULTS.update.maxTotalFailures,
  rollbackOnFailure: AURORA_DEFAULTS.update.rollbackOnFailure,
};
/** The scheduler asked these tasks to stop; they are on their way out. */
const STOPPING_STATES: ReadonlySet<TaskState> = new Set(['KILLING', 'PREEMPTING', 'RESTARTING', 'DRAINING']);
/** A set of states as a table by STATE_INDEX: one array read per transition instead of a Set lookup. */
function stateTable(states: Iterable<TaskState>): Uint8Array {
  const table = new Uint8Array(STATE_COUNT);
  for (const s of states) table[STATE_INDEX[s]] = 1;
  return table;
}
const TERMINAL = stateTable(TERMINAL_STATES);
const ON_HOST = stateTable(ACTIVE_ON_HOST_STATES);
/** Where a RUNNING task can go: only these can leave a task marked healthy behind. */
const AFTER_RUNNING = stateTable(LEGAL_TRANSITIONS.RUNNING);
const isTerminal = (s: TaskState): boolean => TERMINAL[STATE_INDEX[s]] === 1;
/** Filters preemption skips: room is what the victims free. */
const ROOM_FILTERS = ['resources', 'ports'] as const;
/** Filter chains compiled for preemptors, kept across rounds; a bound keeps long runs flat. */
const MAX_CACHED_CHAINS = 1024;

interface Settings {
  readonly preemption: boolean;
  readonly preemptionDelayMs: number;
  readonly reservationTtlMs: number;
  readonly maxInstances: number;
  readonly offerMode: boolean;
  readonly drainTimeoutMs: number;
  readonly slaCheckIntervalMs: number;
  readonly simulatedHealth: boolean;
}

interface DrainRun {
  readonly startedAt: number;
  readonly deadline: number;
}

/**
 * The scheduling core behind the Scheduler facade. It owns the task store, the host inventory and
 * placement engine, the pending queue, preemption and quotas, and keeps them in step: every task
 * state change goes through the store, whose event listener (`onStoreEvent`) updates the queue,
 * quota, host room and reservations, so no path can forget one of them. Work per call is
 * proportional to what changed — timers and retry backoff sit in heaps, tasks are indexed by
 * state, job and host — never a scan of all tasks.
 */
export class CoreScheduler implements Scheduler {
  private readonly clock: SchedulerOptions['clock'];
  private readonly settings: Settings;
  private readonly store: TaskStore;
  private readonly inventory = new HostInventory();
  private readonly engine: PlacementEngine;
  private readonly room = new PreemptionIndex();
  private readonly search: VictimSearch;
  private readonly queue: PendingQueue;
  private readonly order: QueueOrder;
  private readonly quotas: QuotaLedger;
  private readonly allocation = new AllocationLedger();
  private readonly reservations = new Reservations();
  private readonly timers = new TimerQueue();
  private readonly drain: DrainPolicy;
  /** Desired config of every job (kept after its tasks end; dropped when the whole job is killed). */
  private readonly jobs = new Map<string, JobConfig>();
  private readonly instances = new InstanceIndex();
  private readonly health = new HealthTracker();
  private readonly updates: UpdateDriver;
  private readonly cron = new CronRuntime();
  /** Cron jobs whose KILL_EXISTING trigger waits for the previous run to end before starting. */
  private readonly cronAwaiting = new Set<string>();
  /** Host index → the drain in progress on it. */
  private readonly drains = new Map<number, DrainRun>();
  /** Tasks whose drain kill has already been counted as SLA-delayed. */
  private readonly slaDelayed = new Set<string>();
  private readonly maintenanceCounts = { hostsDrained: 0, slaDelayedKills: 0, forcedKills: 0 };
  private readonly maintenanceListeners: ((e: MaintenanceEvent) => void)[] = [];
  private readonly specs: HostSpec[] = [];
  /** Host index → its capacity counts in capacity(). */
  private counted = new Uint8Array(0);
  /** Per task: its host, whether it holds quota, its placement decision. */
  private readonly columns = new TaskColumns();
  private readonly chains = new Map<string, CompiledChain>();
  private readonly demands = new WeakMap<TaskConfig, Float64Array>();
  /** The last config demandOf answered for: a group's tasks are placed one after another. */
  private lastDemandConfig: TaskConfig | undefined;
  private lastDemand: Float64Array | undefined;
  private readonly ended: Record<TaskState, number>;
  private effects: Effect[] = [];
  private readonly deferred: (() => void)[] = [];
  private readonly taskListeners: ((e: TaskEvent) => void)[] = [];
  private readonly preemptionListeners: ((r: PreemptionRecord) => void)[] = [];
  /** Hosts launched on this tick (offer mode consumes their offers). */
  private readonly launchedOn = new Set<number>();
  private pruning = false;

  constructor(options: SchedulerOptions) {
    this.clock = options.clock;
    const random = options.random ?? fixedSeedRandom();
    this.settings = {
      preemption: options.preemption?.enabled ?? true,
      preemptionDelayMs: options.preemption?.delayMs ?? 180_000,
      reservationTtlMs: options.preemption?.reservationTtlMs ?? 300_000,
      maxInstances: options.maxInstances ?? DEFAULT_MAX_INSTANCES,
      offerMode: options.offerMode ?? false,
      drainTimeoutMs: options.maintenance?.drainTimeoutMs ?? 3_600_000,
      slaCheckIntervalMs: options.maintenance?.slaCheckIntervalMs ?? 60_000,
      simulatedHealth: options.healthChecks === 'simulated',
    };
    this.drain =
      options.maintenance?.slaAware === false
        ? DRAIN_ALL
        : new SlaDrainPolicy({
            slaOf: (taskId) => this.slaOf(taskId),
            healthySince: (taskId) => this.health.healthySince(taskId),
            healthyTimes: (job) => this.healthyTimes(job),
          });
    this.updates = new UpdateDriver({
      now: () => this.clock.now(),
      liveTasks: (job, instance) => this.liveTasks(job, instance),
      addTask: (job, instance, config) => this.addTask(job, instance, config, 'added by update'),
      stopTask: (taskId, reason) => {
        this.apply(taskId, reason === 'restart' ? 'RESTARTING' : 'KILLING', { message: `${reason}` }, reason);
      },
      healthySince: (taskId) => this.health.healthySince(taskId),
      failedHealthCheck: (taskId) => this.health.failedHealthCheck(taskId),
      wakeAt: (at, job) => this.timers.set(at, 'update', job),
      defer: (fn) => this.deferred.push(fn),
      ended: (_status, job) => {
        if (this.jobs.has(formatJobKey(job.key))) this.jobs.set(formatJobKey(job.key), job);
      },
    });
    this.store = new TaskStore({
      clock: options.clock,
      random,
      keepEvents: false,
      throttle: { ...DEFAULT_THROTTLE, flappingThresholdMs: options.flappingThresholdMs ?? 300_000 },
    });
    this.store.onEvent((task, event) => this.onStoreEvent(task, event));
    this.inventory.offerMode = this.settings.offerMode;
    this.engine = new PlacementEngine(this.inventory, {
      policy: createPolicy(options.policy ?? DEFAULT_POLICY, { random }),
    });
    this.search = new VictimSearch(this.room, {
      maxHostsExamined: options.preemption?.maxHostsExamined ?? 256,
    });
    this.queue = new PendingQueue({
      initialMs: options.backoff?.initialMs ?? DEFAULT_BACKOFF.initialMs,
      maxMs: options.backoff?.maxMs ?? DEFAULT_BACKOFF.maxMs,
    });
    this.order = queueOrder(options.queueOrder ?? 'priority');
    this.quotas = new QuotaLedger(options.quotasMandatory ?? false);
    this.ended = Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<TaskState, number>;
  }

  // --- cluster -------------------------------------------------------------------------------

  addHost(spec: HostSpec): void {
    const h = this.inventory.addHost(spec);
    this.specs[h] = spec;
    if (this.counted.length <= h) {
      const grown = new Uint8Array(Math.max(16, (h + 1) * 2));
      grown.set(this.counted);
      this.counted = grown;
    }
    this.room.setHost(h, spec.resources, this.inventory.ports.free(h), false);
    // Compiled filters may hold the inventory's columns, which addHost replaces when they grow.
    this.chains.clear();
    this.refreshHost(h);
  }

  removeHost(hostId: string): void {
    const h = this.hostIndex(hostId);
    if (h < 0) return;
    this.loseTasksOn(h, 'host removed');
    this.inventory.removeHost(h);
    this.refreshHost(h);
  }

  hostDown(hostId: string): void {
    const h = this.hostIndex(hostId);
    if (h < 0 || this.inventory.up[h] === 0) return;
    this.inventory.setUp(h, false);
    this.loseTasksOn(h, 'host down');
    this.refreshHost(h);
  }

  hostUp(hostId: string): void {
    const h = this.hostIndex(hostId);
    if (h < 0) return;
    this.inventory.setUp(h, true);
    this.refreshHost(h);
  }

  setMaintenance(hostIds: readonly string[], mode: MaintenanceMode): void {
    for (const id of hostIds) {
      const h = this.hostIndex(id);
      if (h < 0) continue;
      const before = this.inventory.maintenanceOf(h);
      if (mode !== 'DRAINING' && mode !== 'DRAINED') {
        // Activating a draining host ends the drain; tasks already stopping still move elsewhere.
        this.drains.delete(h);
        this.inventory.setMaintenance(h, mode);
        this.refreshHost(h);
        if (before !== mode) this.emitMaintenance(id, mode);
        continue;
      }
      if (before === 'DRAINING' || before === 'DRAINED') continue;
      // DRAINED is where a drain ends; asking for it on a busy host drains it first.
      this.inventory.setMaintenance(h, 'DRAINING');
      this.refreshHost(h);
      this.emitMaintenance(id, 'DRAINING');
      for (const r of this.reservations.onHost(h)) this.dropReservation(r, true);
      const now = this.clock.now();
      this.drains.set(h, { startedAt: now, deadline: now + this.settings.drainTimeoutMs });
      this.drainPass(h);
    }
  }

  /**
   * Stops what the drain policy allows on a draining host now; what has to wait for its job's SLA
   * is looked at again after the check interval, and forced at the drain's deadline.
   */
  private drainPass(h: number): void {
    const run = this.drains.get(h);
    if (!run || this.inventory.maintenanceOf(h) !== 'DRAINING') return;
    const now = this.clock.now();
    const live: string[] = [];
    for (const t of this.room.tasksOn[h]!) {
      if (t.preempting) continue;
      const state = this.store.get(t.taskId)?.state;
      if (state !== undefined && !STOPPING_STATES.has(state)) live.push(t.taskId);
    }
    const decision = this.drain.decide(live, now, run.deadline);
    const counts = this.maintenanceCounts;
    for (const taskId of decision.delayed) {
      if (this.slaDelayed.has(taskId)) continue;
      this.slaDelayed.add(taskId);
      counts.slaDelayedKills++;
    }
    counts.forcedKills += decision.forced.length;
    const forced = new Set(decision.forced);
    for (const taskId of decision.stop) {
      const message = forced.has(taskId) ? 'host draining: SLA wait timed out' : 'host draining';
      this.apply(taskId, 'DRAINING', { message }, 'drain');
    }
    if (decision.delayed.length > 0) {
      const next = Math.min(now + this.settings.slaCheckIntervalMs, run.deadline);
      this.timers.set(next, 'drain', this.inventory.hostId(h));
    }
    this.finishDrainIfEmpty(h);
  }

  private emitMaintenance(host: string, mode: MaintenanceMode): void {
    const event: MaintenanceEvent = { time: this.clock.now(), host, mode };
    for (const l of this.maintenanceListeners) l(event);
  }

  maintenance(hostId: string): MaintenanceMode | undefined {
    const h = this.hostIndex(hostId);
    return h < 0 ? undefined : this.inventory.maintenanceOf(h);
  }

  offer(hostId: string): void {
    const h = this.hostIndex(hostId);
    if (h < 0) return;
    this.inventory.setOffered(h, true);
    this.refreshHost(h);
  }

  rescind(hostId: string): void {
    const h = this.hostIndex(hostId);
    if (h < 0 || this.inventory.offered[h] === 0) return;
    this.inventory.setOffered(h, false);
    this.refreshHost(h);
  }

  // --- jobs ----------------------------------------------------------------------------------

  setQuota(role: string, quota: Resources): void {
    this.quotas.setQuota(role, quota);
  }

  submitJob(job: JobConfig): Result<{ readonly taskIds: readonly string[] }> {
    const key = formatJobKey(job.key);
    const { instances, task } = job;
    const shape = this.checkShape(job);
    if (!shape.ok) return shape;
    const replacingCron = job.kind === 'cron' && this.cron.has(key);
    if (!replacingCron && (this.instances.hasLive(key) || this.cron.has(key))) {
      return fail('job', `job ${key} already exists`);
    }
    if (isProductionTier(task.tier)) {
      const check = this.quotas.check(job.key.role, scaleResources(task.resources, instances), `job ${key}`);
      if (!check.ok) return check;
    }
    if (job.kind === 'cron') {
      // Scheduled, not started: each trigger of the schedule starts a run (cronTrigger).
      if (!job.cron) return fail('cron', `job ${key}: a cron job needs a cron schedule`);
      const tab = parseCrontab(job.cron.schedule);
      if (!tab.ok) return tab;
      this.jobs.set(key, job);
      this.cron.schedule(key, tab.value, job.cron.collisionPolicy, this.clock.now());
      return ok({ taskIds: [] });
    }
    this.jobs.set(key, job);
    const records = this.store.addJob(job);
    this.runDeferred();
    return ok({ taskIds: records.map((r) => r.id) });
  }

  killJob(key: JobKey, instances?: readonly number[]): Result<{ readonly killed: number }> {
    const job = formatJobKey(key);
    const all = this.store.ofJob(job);
    if (all.length === 0 && !this.jobs.has(job)) return fail('job', `job ${job} not found`);
    if (instances) {
      const bad = instances.find((i) => !Number.isInteger(i) || i < 0);
      if (bad !== undefined)
        return fail('instances', `job ${job}: instance ${bad} is not an instance number`);
    } else {
      // The whole job goes: its update cannot go on, its cron schedule ends, its config is forgotten.
      this.updates.jobKilled(job);
      this.cron.deschedule(job);
      this.cronAwaiting.delete(job);
      this.jobs.delete(job);
      this.runDeferred();
    }
    const wanted = instances ? new Set(instances) : undefined;
    let killed = 0;
    for (const t of all) {
      if (isTerminal(t.state) || t.state === 'KILLING') continue;
      if (wanted && !wanted.has(t.instance)) continue;
      const r = this.apply(t.id, 'KILLING', { message: 'killed by user' }, 'user');
      if (r.result === 'success') killed++;
    }
    return ok({ killed });
  }

  startUpdate(job: JobConfig, options: StartUpdateOptions = {}): Result<UpdateInfo> {
    const key = formatJobKey(job.key);
    const existing = this.jobs.get(key);
    if (!existing) return fail('job', `job ${key} not found`);
    if (existing.kind === 'cron' || job.kind === 'cron') {
      return fail('kind', `job ${key} is a cron job: submit it again to replace its schedule and config`);
    }
    if (job.kind !== existing.kind) {
      return fail('kind', `job ${key} is a ${existing.kind} job; an update cannot make it ${job.kind}`);
    }
    const shape = this.checkShape(job);
    if (!shape.ok) return shape;
    const busy = this.busyWithUpdate(key);
    if (busy) return busy;
    const only = options.instances ? new Set(options.instances) : undefined;
    if (options.instances) {
      const bad = options.instances.find((i) => !Number.isInteger(i) || i < 0);
      if (bad !== undefined)
        return fail('instances', `job ${key}: instance ${bad} is not an instance number`);
    }
    const current = this.currentConfigs(key);
    const request = updateQuotaRequest(current, job.task, job.instances);
    if (!isZero(request)) {
      const what = `update of ${key} to ${job.instances} instances`;
      const check = this.quotas.check(job.key.role, request, what);
      if (!check.ok) return check;
    }
    const { steps } = diffInstances(current, job.task, job.instances, only);
    const target: JobConfig = job.update
      ? job
      : { ...job, update: existing.update ?? DEFAULT_UPDATE_SETTINGS };
    this.updates.start('update', existing, target, current, steps);
    this.runDeferred();
    return ok(this.updates.latestUpdate(key)!);
  }

  pauseUpdate(key: JobKey): Result<UpdateInfo> {
    return this.updateCommand(key, { kind: 'pause' });
  }

  resumeUpdate(key: JobKey): Result<UpdateInfo> {
    return this.updateCommand(key, { kind: 'resume' });
  }

  abortUpdate(key: JobKey): Result<UpdateInfo> {
    return this.updateCommand(key, { kind: 'abort' });
  }

  updateInfo(key: JobKey): UpdateInfo | undefined {
    return this.updates.latestUpdate(formatJobKey(key));
  }

  restartJob(key: JobKey, options: RestartOptions = {}): Result<UpdateInfo> {
    const job = formatJobKey(key);
    const existing = this.jobs.get(job);
    if (!existing) return fail('job', `job ${job} not found`);
    const busy = this.busyWithUpdate(job);
    if (busy) return busy;
    const batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      return fail('batchSize', `restart of ${job}: batch size must be a whole number ≥ 1, got ${batchSize}`);
    }
    const watchSecs = options.watchSecs ?? existing.update?.watchSecs ?? DEFAULT_UPDATE_SETTINGS.watchSecs;
    if (!(watchSecs >= 0))
      return fail('watchSecs', `restart of ${job}: watchSecs must be ≥ 0, got ${watchSecs}`);
    const live = this.instances.instancesOf(job);
    const listed = options.instances ?? live;
    const missing = listed.find((i) => !live.includes(i));
    if (missing !== undefined) return fail('instances', `job ${job} has no live instance ${missing}`);
    if (listed.length === 0) return fail('instances', `job ${job} has no live instances to restart`);
    const settings = {
      strategy: { kind: 'queue', groupSize: batchSize },
      watchSecs,
      maxPerInstanceFailures: existing.update?.maxPerInstanceFailures ?? 0,
      maxTotalFailures: existing.update?.maxTotalFailures ?? 0,
      // There is nothing to roll back to: the config does not change.
      rollbackOnFailure: false,
    } as const;
    const steps: PlanStep[] = [...listed]
      .sort((a, b) => a - b)
      .map((instance) => ({ instance, op: 'update' }));
    this.updates.start(
      'restart',
      existing,
      { ...existing, update: settings },
      this.currentConfigs(job),
      steps,
    );
    this.runDeferred();
    return ok(this.updates.latestUpdate(job)!);
  }

  addInstances(key: JobKey, count: number): Result<{ readonly taskIds: readonly string[] }> {
    const job = formatJobKey(key);
    const existing = this.jobs.get(job);
    if (!existing) return fail('job', `job ${job} not found`);
    if (existing.kind === 'cron') return fail('kind', `job ${job} is a cron job: its runs have a fixed size`);
    if (!Number.isInteger(count) || count < 1) {
      return fail('count', `job ${job}: instances to add must be a whole number ≥ 1, got ${count}`);
    }
    const busy = this.busyWithUpdate(job);
    if (busy) return busy;
    const live = this.instances.instancesOf(job);
    const first = Math.max(existing.instances, (live[live.length - 1] ?? -1) + 1);
    if (first + count > this.settings.maxInstances) {
      return fail(
        'count',
        `job ${job}: ${first + count} instances would exceed the limit of ${this.settings.maxInstances}`,
      );
    }
    if (isProductionTier(existing.task.tier)) {
      const what = `adding ${count} instances to ${job}`;
      const check = this.quotas.check(key.role, scaleResources(existing.task.resources, count), what);
      if (!check.ok) return check;
    }
    const taskIds: string[] = [];
    for (let i = first; i < first + count; i++) {
      taskIds.push(this.addTask(existing, i, existing.task, 'instance added').id);
    }
    this.jobs.set(job, { ...existing, instances: first + count });
    this.runDeferred();
    return ok({ taskIds });
  }

  cronNextFire(key: JobKey): number | undefined {
    return this.cron.nextFireOf(formatJobKey(key));
  }

  // --- agent side ----------------------------------------------------------------------------

  taskStatus(taskId: string, state: ReportedState, message?: string): void {
    this.apply(taskId, state, message === undefined ? undefined : { message }, 'user');
  }

  taskHealth(taskId: string, healthy: boolean, message?: string): void {
    const task = this.store.get(taskId);
    if (task?.state !== 'RUNNING') return;
    if (healthy) {
      if (this.health.passed(taskId, this.clock.now())) this.updates.taskChanged(task, 'RUNNING');
    } else {
      // As Aurora's executor: a task failing its checks is restarted (it comes back elsewhere).
      this.health.failed(taskId);
      this.apply(taskId, 'RESTARTING', { message: message ?? 'failed health check' }, 'unhealthy');
    }
    this.runDeferred();
  }

  // --- time ----------------------------------------------------------------------------------

  tick(): void {
    const now = this.clock.now();
    for (let t = this.timers.popDue(now); t; t = this.timers.popDue(now)) {
      if (t.kind === 'unthrottle') {
        const task = this.store.get(t.taskId);
        if (task?.state === 'THROTTLED' && task.notBefore <= now) {
          this.apply(t.taskId, 'PENDING', { message: 'throttle expired' });
        }
      } else if (t.kind === 'healthy' || t.kind === 'unhealthy') {
        this.taskHealth(t.taskId, t.kind === 'healthy');
      } else if (t.kind === 'update') {
        this.updates.wake(t.taskId);
      } else if (t.kind === 'drain') {
        const h = this.hostIndex(t.taskId);
        if (h >= 0) this.drainPass(h);
      } else {
        const r = this.reservations.ofHolder(t.taskId);
        if (r && r.expiresAt <= now) this.dropReservation(r, true);
      }
      this.runDeferred();
    }
    for (const trigger of this.cron.popDue(now)) this.cronTrigger(trigger.job, trigger.policy);
    this.runDeferred();
    this.queue.release(now);
    if (this.queue.hasReady()) this.round(now);
    if (this.settings.offerMode) {
      // An accepted offer is used up; the rest of the host comes back in a later offer.
      for (const h of this.launchedOn) this.rescind(this.inventory.hostId(h));
    }
    this.launchedOn.clear();
  }

  nextWakeup(): number | undefined {
    if (this.queue.hasReady()) return this.clock.now();
    let next = this.timers.nextAt();
    for (const t of [this.queue.nextReadyAt(), this.cron.nextAt()]) {
      if (t !== undefined && (next === undefined || t < next)) next = t;
    }
    return next;
  }

  takeEffects(): Effect[] {
    const out = this.effects;
    this.effects = [];
    return out;
  }

  // --- observation ---------------------------------------------------------------------------

  onTaskEvent(listener: (event: TaskEvent) => void): void {
    this.taskListeners.push(listener);
  }

  onPreemption(listener: (record: PreemptionRecord) => void): void {
    this.preemptionListeners.push(listener);
  }

  onUpdateEvent(listener: (event: UpdateEvent) => void): void {
    this.updates.onEvent(listener);
  }

  onMaintenanceEvent(listener: (event: MaintenanceEvent) => void): void {
    this.maintenanceListeners.push(listener);
  }

  lifecycleCounters(): LifecycleCounters {
    return {
      updates: this.updates.counters(),
      cron: this.cron.counters(),
      maintenance: { ...this.maintenanceCounts },
    };
  }

  task(taskId: string): TaskInfo | undefined {
    const t = this.store.get(taskId);
    if (!t) return undefined;
    return {
      taskId: t.id,
      job: t.job,
      instance: t.instance,
      state: t.state,
      ...(t.host !== undefined && { host: t.host }),
      tier: t.config.tier,
      priority: t.config.priority,
      config: t.config,
      failures: t.failureCount,
      healthy: t.state === 'RUNNING' && this.health.healthySince(t.id) !== undefined,
    };
  }

  activeTasks(key: JobKey): readonly string[] {
    return this.store
      .ofJob(formatJobKey(key))
      .filter((t) => !isTerminal(t.state))
      .sort((a, b) => a.instance - b.instance || (a.id < b.id ? -1 : 1))
      .map((t) => t.id);
  }

  taskCounts(): Readonly<Record<TaskState, number>> {
    const live = this.store.counts();
    const out = { ...live };
    for (const s of TASK_STATES) out[s] = (live[s] ?? 0) + this.ended[s];
    return out;
  }

  allocatedByTier(): Readonly<Record<Tier, Resources>> {
    return this.allocation.byTierResources();
  }

  capacity(): Resources {
    return this.allocation.capacity();
  }

  hostAllocated(hostId: string): Resources | undefined {
    const h = this.hostIndex(hostId);
    if (h < 0) return undefined;
    const u = this.room.used;
    const b = h * 5;
    return { cpu: u[b]!, ramMb: u[b + 1]!, diskMb: u[b + 2]!, gpus: u[b + 3]! };
  }

  hostCounts(): { readonly total: number; readonly usable: number } {
    let usable = 0;
    for (let h = 0; h < this.room.hostCount; h++) usable += this.room.usable[h]!;
    return { total: this.inventory.hostCount, usable };
  }

  pendingReasons(key?: JobKey): readonly PendingGroupReasons[] {
    const groups = key ? [...this.queue.forJob(formatJobKey(key))] : [...this.queue.all()];
    const ctx = { dominantShare: (role: string) => this.allocation.dominantShare(role) };
    groups.sort((a, b) => this.order.compare(a, b, ctx));
    return groups.map((g) => ({
      job: g.job,
      instances: g.instances(),
      reasons: g.reasons,
      message: g.lastAttempt === undefined ? 'not yet tried' : formatReasons(g.reasons),
      since: g.since,
      ...(g.lastAttempt !== undefined && { lastAttempt: g.lastAttempt }),
      nextAttempt: g.readyAt,
    }));
  }

  pendingReasonTotals(): Readonly<Record<string, number>> {
    const totals: Record<string, number> = {};
    for (const g of this.queue.all()) {
      for (const [reason, hosts] of Object.entries(g.reasons)) {
        if (hosts > 0) totals[reason] = (totals[reason] ?? 0) + g.size;
      }
    }
    return totals;
  }

  explain(taskId: string): PlacementExplanation | undefined {
    const t = this.store.get(taskId);
    if (!t) return undefined;
    const base = { taskId, job: t.job, state: t.state, policy: this.engine.policyName };
    const decision = this.columns.decision(t.slot);
    if (decision) {
      return {
        ...base,
        host: decision.host,
        score: decision.score,
        decidedAt: decision.decidedAt,
        reasons: {},
        message: `placed on ${decision.host} by ${decision.policy} with score ${decision.score.toFixed(1)}`,
      };
    }
    const reservation = this.reservations.ofHolder(taskId);
    if (reservation) {
      const host = this.inventory.hostId(reservation.host);
      return {
        ...base,
        reasons: {},
        reservedHost: host,
        message:
          reservation.victims.size > 0
            ? `waiting for ${reservation.victims.size} preempted task(s) to leave ${host}`
            : `waiting for tasks preempted on ${host} to leave`,
      };
    }
    const group = this.queue.groupOf(taskId);
    if (group) {
      return {
        ...base,
        reasons: group.reasons,
        ...(group.lastAttempt !== undefined && { decidedAt: group.lastAttempt }),
        message: group.lastAttempt === undefined ? 'not yet tried' : formatReasons(group.reasons),
      };
    }
    return { ...base, reasons: {}, message: `task is ${t.state}` };
  }

  quota(role: string): { readonly quota?: Resources; readonly consumed: Resources } {
    return this.quotas.usage(role);
  }

  // --- job operations helpers ---------------------------------------------------------------

  private checkShape(job: JobConfig): Result<void> {
    const key = formatJobKey(job.key);
    const { instances, task } = job;
    if (!Number.isInteger(instances) || instances < 1 || instances > this.settings.maxInstances) {
      return fail(
        'instances',
        `job ${key}: instances must be 1 … ${this.settings.maxInstances}, got ${instances}`,
      );
    }
    for (const r of RESOURCE_NAMES) {
      if (!(task.resources[r] >= 0)) return fail(`task.resources.${r}`, `job ${key}: ${r} must be ≥ 0`);
    }
    return ok(undefined);
  }

  /** One active update (or restart) per job, as in Aurora. */
  private busyWithUpdate(job: string): Result<never> | undefined {
    const active = this.updates.activeUpdate(job);
    if (!active) return undefined;
    return fail(
      'update',
      `job ${job} already has an active ${active.operation} ${active.updateId} (${active.status})`,
    );
  }

  private updateCommand(key: JobKey, input: MachineInput): Result<UpdateInfo> {
    const job = formatJobKey(key);
    const rejected = this.updates.command(job, input);
    this.runDeferred();
    if (rejected !== undefined) return fail('update', `job ${job}: ${rejected}`);
    return ok(this.updates.latestUpdate(job)!);
  }

  /** The config each live instance runs now (its task that is not being stopped, if any). */
  private currentConfigs(job: string): Map<number, TaskConfig> {
    const out = new Map<number, TaskConfig>();
    for (const instance of this.instances.instancesOf(job)) {
      const tasks = this.liveTasks(job, instance);
      const keep = tasks.find((t) => !STOPPING_STATES.has(t.state)) ?? tasks[0];
      if (keep) out.set(instance, keep.config);
    }
    return out;
  }

  private liveTasks(job: string, instance: number): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const id of this.instances.tasksOf(job, instance)) {
      const t = this.store.get(id);
      if (t && !isTerminal(t.state)) out.push(t);
    }
    return out;
  }

  private addTask(job: JobConfig, instance: number, config: TaskConfig, message: string): TaskRecord {
    return this.store.add({ job: job.key, kind: job.kind, instance, config }, { message });
  }

  private cronTrigger(job: string, policy: 'KILL_EXISTING' | 'CANCEL_NEW'): void {
    const config = this.jobs.get(job);
    if (!config) {
      this.cron.deschedule(job);
      return;
    }
    if (!this.instances.hasLive(job)) {
      this.startCronRun(config);
      return;
    }
    this.cron.countCollision();
    if (policy === 'CANCEL_NEW' || this.cronAwaiting.has(job)) return;
    // KILL_EXISTING: the new run starts once the old one is gone (startAwaitedCronRun).
    this.cronAwaiting.add(job);
    for (const instance of this.instances.instancesOf(job)) {
      for (const t of this.liveTasks(job, instance)) {
        if (!STOPPING_STATES.has(t.state)) {
          this.apply(
            t.id,
            'KILLING',
            { message: 'cron collision: killed for the next run' },
            'cron-collision',
          );
        }
      }
    }
    this.startAwaitedCronRun(job);
  }

  private startAwaitedCronRun(job: string): void {
    if (!this.cronAwaiting.has(job) || this.instances.hasLive(job)) return;
    this.cronAwaiting.delete(job);
    const config = this.jobs.get(job);
    if (config) this.startCronRun(config);
  }

  private startCronRun(job: JobConfig): void {
    this.cron.countRun();
    this.store.addJob(job, 'cron run');
  }

  private slaOf(taskId: string) {
    const t = this.store.get(taskId);
    if (!t) return undefined;
    const job = this.jobs.get(t.job);
    const instances = Math.max(job?.instances ?? 0, this.instances.instancesOf(t.job).length);
    return { job: t.job, policy: effectiveSla(job?.sla, t.config.tier), instances };
  }

  private healthyTimes(job: string): number[] {
    const out: number[] = [];
    for (const instance of this.instances.instancesOf(job)) {
      for (const id of this.instances.tasksOf(job, instance)) {
        const since = this.health.healthySince(id);
        if (since !== undefined) out.push(since);
      }
    }
    return out;
  }

  // --- scheduling round ----------------------------------------------------------------------

  private round(now: number): void {
    const round = this.queue.startRound(this.order, {
      dominantShare: (role) => this.allocation.dominantShare(role),
    });
    for (let g = round.next(); g; g = round.next()) {
      const turn = round.turnSize;
      let placed = 0;
      let reasons: Readonly<Record<string, number>> | undefined;
      for (const pending of g.tasks.values()) {
        if (placed >= turn) break;
        const result = this.engine.place({ taskId: pending.taskId, job: g.job, config: g.config });
        if (!result.ok) {
          reasons = result.reasons;
          break;
        }
        this.assignPlaced(pending.taskId, result, now);
        placed++;
      }
      if (reasons === undefined && g.size > 0 && placed >= turn) {
        round.finish(g, true);
        continue;
      }
      if (g.size > 0) this.retryLater(g, now, placed, reasons ?? {});
      round.finish(g, false);
    }
  }

  /** A group left tasks pending: try preemption for those that waited long enough, then back off. */
  private retryLater(
    g: TaskGroup,
    now: number,
    placed: number,
    reasons: Readonly<Record<string, number>>,
  ): void {
    const { preemption, preemptionDelayMs } = this.settings;
    let wakeBy: number | undefined;
    if (preemption) {
      const due: string[] = [];
      for (const t of g.tasks.values()) {
        if (now - t.since >= preemptionDelayMs) due.push(t.taskId);
        else {
          wakeBy = t.since + preemptionDelayMs;
          break;
        }
      }
      // Identical tasks: once one finds no victims, the rest of the group will not either.
      for (const taskId of due) if (!this.preempt(g, taskId, now)) break;
    }
    this.queue.attempted(g, now, placed, reasons, wakeBy);
  }

  private assignPlaced(taskId: string, result: PlacementSuccess, now: number): void {
    const slot = this.onHost(taskId, result.host);
    this.columns.setDecision(slot, result.policy, result.hostId, result.score, now);
    this.apply(taskId, 'ASSIGNED', {
      host: result.hostId,
      ports: result.ports,
      message: `placed on ${result.hostId} by ${result.policy}`,
    });
    this.launchedOn.add(result.host);
  }

  /** Accounts a task that the inventory just allocated on host h; returns the task's store slot. */
  private onHost(taskId: string, h: number): number {
    const t = this.store.get(taskId)!;
    const c = t.config;
    this.room.add({
      taskId,
      job: t.job,
      role: t.role,
      tier: c.tier,
      priority: c.priority,
      demand: this.demandOf(c),
      host: h,
    });
    this.columns.setHost(t.slot, h);
    this.allocation.hold(t.role, c.tier, c.resources, 1);
    return t.slot;
  }

  /**
   * A config's demand vector, shared by all its tasks (a job's instances share one config): one
   * Float64Array per config instead of one per placed task. Read-only for everyone who holds it.
   */
  private demandOf(c: TaskConfig): Float64Array {
    if (c === this.lastDemandConfig) return this.lastDemand!;
    let demand = this.demands.get(c);
    if (!demand) {
      demand = demandVector(c.resources, c.ports.length);
      this.demands.set(c, demand);
    }
    this.lastDemandConfig = c;
    this.lastDemand = demand;
    return demand;
  }

  // --- preemption ----------------------------------------------------------------------------

  private preempt(g: TaskGroup, taskId: string, now: number): boolean {
    const c = g.config;
    const demand = demandVector(c.resources, c.ports.length);
    let chain = this.chains.get(g.key);
    if (!chain) {
      if (this.chains.size >= MAX_CACHED_CHAINS) this.chains.clear();
      chain = new CompiledChain(demandOf(g.job, c), this.inventory, DEFAULT_FILTERS);
      this.chains.set(g.key, chain);
    }
    const admits = (h: number) =>
      this.inventory.isPresent(h) && chain.evaluateSkipping(h, ROOM_FILTERS) === 0;
    const choice = this.search.find(
      { taskId, role: g.role, tier: c.tier, priority: c.priority, demand },
      admits,
    );
    if (!choice) return false;

    const h = choice.host;
    const hostId = this.inventory.hostId(h);
    const victims: TaskRef[] = [];
    for (const v of choice.victims) {
      const vt = this.store.get(v.taskId)!;
      victims.push({ task: v.taskId, job: v.job, tier: vt.config.tier, priority: vt.config.priority });
      // The victim's room is promised to the preemptor from now on, but the victim keeps holding it
      // in the inventory until it is gone: a kill takes time, and until then the room is not free.
      this.room.markPreempting(v.taskId);
    }
    this.queue.remove(taskId);
    const r = this.reservations.add(
      taskId,
      h,
      demand,
      choice.victims.map((v) => v.taskId),
      now + this.settings.reservationTtlMs,
    );
    this.room.reserve(h, demand, 1);
    this.holdStandIns(h);
    this.timers.set(r.expiresAt, 'reservation-expiry', taskId);
    for (const v of choice.victims) {
      this.apply(v.taskId, 'PREEMPTING', { message: `preempted by ${taskId}` }, 'preempted', taskId);
    }
    const record: PreemptionRecord = {
      time: now,
      host: hostId,
      preemptor: { task: taskId, job: g.job, tier: c.tier, priority: c.priority },
      victims,
    };
    for (const l of this.preemptionListeners) l(record);
    return true;
  }

  /**
   * Stand-in slots keep promised room out of placement's reach. The victims on host h still hold
   * their own room in the inventory; the stand-ins hold the rest of what the host's preemptors were
   * promised — per dimension max(0, reserved − releasing), shared out in reservation order, each
   * stand-in at most its holder's demand. So placement sees the host as full up to
   * max(victims still there, promised room) on top of the tasks that stay, never less: a victim's
   * room is not handed out while it is dying, and what the preemptors were promised is not handed out
   * once it has died. Every stand-in is placed, even an empty one, so the holder's limit:N counts
   * include it.
   */
  private holdStandIns(h: number): void {
    const held = this.reservations.onHost(h);
    for (const r of held) this.inventory.release(r.standInId);
    if (held.length === 0 || !this.inventory.isPresent(h)) return;
    const need = this.standInRoom(h);
    const free = this.inventory.available(h);
    const room = [free.cpu, free.ramMb, free.diskMb, free.gpus, this.inventory.ports.free(h)];
    for (const r of held) {
      const holder = this.store.get(r.holder);
      if (!holder) continue;
      const share = [0, 0, 0, 0, 0];
      for (let d = 0; d < DIMS; d++) {
        // The bound by free room only guards against float drift; by construction the share fits.
        share[d] = Math.max(0, Math.min(r.demand[d]!, need[d]!, room[d]!));
        need[d] = need[d]! - share[d]!;
        room[d] = room[d]! - share[d]!;
      }
      const c = holder.config;
      this.inventory.allocate(h, {
        taskId: r.standInId,
        job: holder.job,
        tier: c.tier,
        priority: c.priority,
        resources: { cpu: share[0]!, ramMb: share[1]!, diskMb: share[2]!, gpus: share[3]! },
        portNames: c.ports.slice(0, share[4]!),
      });
    }
  }

  /** Promised room on host h that the victims still there do not cover: max(0, reserved − releasing). */
  private standInRoom(h: number): Float64Array {
    const { reserved, releasing } = this.room;
    const out = new Float64Array(DIMS);
    for (let d = 0; d < DIMS; d++) {
      const v = reserved[h * DIMS + d]! - releasing[h * DIMS + d]!;
      out[d] = v > 1e-9 ? v : 0;
    }
    return out;
  }

  /**
   * A victim left host h: preemptors whose victims are all gone take their room, if the host now
   * has it. It may not yet: a later preemption on the same host may have counted on room that this
   * one's victims were freeing, while its own victims still hold theirs. Such a holder waits for the
   * next victim to leave (at the latest, for its reservation to expire). The rest keep their room.
   */
  private settleReservations(h: number): void {
    const assigned: { task: TaskRecord; ports: Readonly<Record<string, number>> }[] = [];
    for (const r of this.reservations.onHost(h)) {
      if (r.victims.size > 0) continue;
      const task = this.store.get(r.holder);
      if (task?.state !== 'PENDING' || this.room.usable[h] !== 1) {
        this.dropReservation(r, true);
        continue;
      }
      for (const s of this.reservations.onHost(h)) this.inventory.release(s.standInId);
      this.room.reserve(h, r.demand, -1);
      const rest = this.standInRoom(h);
      const c = task.config;
      const fits = this.inventory.fits(
        h,
        {
          cpu: c.resources.cpu + rest[0]!,
          ramMb: c.resources.ramMb + rest[1]!,
          diskMb: c.resources.diskMb + rest[2]!,
          gpus: c.resources.gpus + rest[3]!,
        },
        c.ports.length + rest[4]!,
      );
      if (!fits) {
        this.room.reserve(h, r.demand, 1);
        continue;
      }
      this.reservations.delete(r);
      const slot = this.inventory.allocate(h, {
        taskId: task.id,
        job: task.job,
        tier: c.tier,
        priority: c.priority,
        resources: c.resources,
        portNames: c.ports,
      });
      this.onHost(task.id, h);
      assigned.push({ task, ports: slot.ports });
    }
    this.holdStandIns(h);
    // Transitions last: their listeners may look at the host, which is consistent again by now.
    const hostId = this.inventory.hostId(h);
    for (const { task, ports } of assigned) {
      this.columns.setDecision(task.slot, 'preemption', hostId, 0, this.clock.now());
      this.apply(task.id, 'ASSIGNED', { host: hostId, ports, message: `took room preempted on ${hostId}` });
      this.launchedOn.add(h);
    }
  }

  /**
   * The reservation will not be used (expired, host lost or drained, holder killed). Its victims are
   * being killed anyway; they still hold their own room and give it back when they are gone.
   */
  private dropReservation(r: Reservation, requeue: boolean): void {
    this.releaseReservation(r);
    this.holdStandIns(r.host);
    const holder = this.store.get(r.holder);
    if (requeue && holder?.state === 'PENDING') this.requeue(holder);
  }

  private releaseReservation(r: Reservation): void {
    // Several paths may end the same reservation (its holder killed as its last victim leaves):
    // only the first gives back its reserved room.
    if (this.reservations.ofHolder(r.holder) !== r) return;
    this.reservations.delete(r);
    this.inventory.release(r.standInId);
    this.room.reserve(r.host, r.demand, -1);
  }

  private requeue(task: TaskRecord): void {
    if (this.queue.has(task.id)) return;
    this.queue.add(
      task.id,
      task.instance,
      task.job,
      task.role,
      task.config,
      this.clock.now(),
      task.stateSince,
    );
  }

  // --- state changes -------------------------------------------------------------------------

  /**
   * Every transition goes through here: the store runs the lifecycle (its listener keeps our
   * indexes in step), then cluster effects become facade effects and ended tasks are pruned.
   */
  private apply(
    taskId: string,
    to: TaskState,
    update: TransitionUpdate | undefined,
    killReason: KillReason = 'user',
    preemptor?: string,
  ): StoreTransition {
    const result = this.store.transition(taskId, to, update);
    const task = result.task;
    const effects = result.effects;
    for (let i = 0; i < effects.length; i++) {
      const effect = effects[i]!;
      if (effect.kind === 'launch' && task?.host !== undefined) {
        this.effects.push({
          kind: 'launch',
          taskId,
          job: task.job,
          instance: task.instance,
          host: task.host,
          ports: task.ports ?? {},
          config: task.config,
        });
      } else if (effect.kind === 'kill' && task?.host !== undefined) {
        const reason: KillReason = result.next === 'LOST' ? 'host-removed' : killReason;
        this.effects.push({
          kind: 'kill',
          taskId,
          host: task.host,
          reason,
          ...(preemptor !== undefined && { preemptor }),
        });
      }
    }
    if (result.result === 'success' && task && isTerminal(task.state) && task.state !== 'DELETED') {
      // Ended tasks leave the store at once: a million-task run keeps only the live ones.
      this.pruning = true;
      this.store.transition(taskId, 'DELETED');
      this.pruning = false;
    }
    this.runDeferred();
    return result;
  }

  private onStoreEvent(task: TaskRecord, event: LifecycleEvent): void {
    const state = event.state;
    if (this.pruning) return;
    const s = STATE_INDEX[state];
    const id = task.id;
    const slot = task.slot;
    const c = task.config;
    const columns = this.columns;
    if (state === 'PENDING') {
      this.queue.add(id, task.instance, task.job, task.role, c, event.time);
    } else if (state === 'ASSIGNED' || state === 'KILLING') {
      // Only PENDING tasks are queued, and PENDING leads to ASSIGNED or KILLING alone.
      this.queue.remove(id);
    }
    const entering = state === 'PENDING' || state === 'THROTTLED';
    if (state === 'THROTTLED') this.timers.set(task.notBefore, 'unthrottle', id);
    if (entering && isProductionTier(c.tier) && !columns.holdsQuota(slot)) {
      columns.setQuota(slot, true);
      this.quotas.consume(task.role, c.resources);
    }
    const h = columns.hostOf(slot);
    if (h >= 0 && ON_HOST[s] === 0) this.leaveHost(task, h);
    // Gone: ended, or killed before it was ever placed (the store then deletes it).
    const gone = TERMINAL[s] === 1 || (state === 'KILLING' && h < 0);
    if (gone) {
      this.instances.remove(task.job, task.instance, id);
      this.health.gone(id);
      if (this.slaDelayed.size > 0) this.slaDelayed.delete(id);
      if (this.cronAwaiting.size > 0 && this.cronAwaiting.has(task.job)) {
        this.deferred.push(() => this.startAwaitedCronRun(task.job));
      }
    } else {
      // A task's first event is PENDING or THROTTLED and it stays indexed until it is gone.
      if (entering) this.instances.add(task.job, task.instance, id);
      if (state === 'RUNNING') {
        this.health.running(id, c.healthCheck !== undefined, event.time);
        if (this.settings.simulatedHealth && c.healthCheck) this.playHealth(id, c, event.time);
      } else if (AFTER_RUNNING[s] === 1) this.health.notRunning(id);
    }
    this.updates.taskChanged(task, state);
    if (gone) {
      if (TERMINAL[s] === 1) this.ended[state]++;
      if (columns.holdsQuota(slot)) {
        columns.setQuota(slot, false);
        this.quotas.release(task.role, c.resources);
      }
      columns.clearDecision(slot);
      if (this.reservations.size > 0) {
        const held = this.reservations.ofHolder(id);
        if (held) this.deferred.push(() => this.dropReservation(held, false));
        // The victim's host is settled when it leaves the host (leaveHost).
        this.reservations.victimGone(id);
      }
    }
    const listeners = this.taskListeners;
    if (listeners.length === 0) return;
    const out = taskEvent(event.time, id, task.job, task.instance, state, task.host, event.message);
    for (let i = 0; i < listeners.length; i++) listeners[i]!(out);
  }

  /** healthChecks 'simulated': the check's verdict, on a timer (taskHealth ignores a task no longer RUNNING). */
  private playHealth(taskId: string, config: TaskConfig, now: number): void {
    const plan = simulatedHealth(config.healthCheck, config.sim);
    if (plan.kind === 'healthy') this.timers.set(now + plan.atMs, 'healthy', taskId);
    else if (plan.kind === 'unhealthy') this.timers.set(now + plan.atMs, 'unhealthy', taskId);
    else if (plan.healthyAtMs !== undefined) this.timers.set(now + plan.healthyAtMs, 'healthy', taskId);
  }

  private leaveHost(task: TaskRecord, h: number): void {
    const victim = this.room.remove(task.id)?.preempting === true;
    this.columns.clearHost(task.slot);
    // A victim's room is free now: the preemptors waiting on the host may take it, and the stand-ins
    // grow to hold what the victim held for them.
    if (victim) this.deferred.push(() => this.settleReservations(h));
    this.inventory.release(task.id);
    this.allocation.hold(task.role, task.config.tier, task.config.resources, -1);
    // Only a draining host can finish draining; the deferred check would do nothing on any other
    // (a host starting to drain later checks itself, in drainPass). Saves a closure per departure.
    if (this.inventory.maintenanceOf(h) === 'DRAINING') this.deferred.push(() => this.finishDrainIfEmpty(h));
  }

  private runDeferred(): void {
    while (this.deferred.length > 0) this.deferred.shift()!();
  }

  private loseTasksOn(h: number, message: string): void {
    for (const r of this.reservations.onHost(h)) this.dropReservation(r, true);
    for (const t of [...this.room.tasksOn[h]!]) this.apply(t.taskId, 'LOST', { message }, 'host-removed');
  }

  private finishDrainIfEmpty(h: number): void {
    if (
      this.inventory.isPresent(h) &&
      this.inventory.maintenanceOf(h) === 'DRAINING' &&
      this.room.tasksOn[h]!.length === 0
    ) {
      this.inventory.setMaintenance(h, 'DRAINED');
      this.refreshHost(h);
      this.drains.delete(h);
      this.maintenanceCounts.hostsDrained++;
      this.emitMaintenance(this.inventory.hostId(h), 'DRAINED');
    }
  }

  /** Re-derives whether host h takes tasks and whether its capacity counts. */
  private refreshHost(h: number): void {
    const inv = this.inventory;
    const present = inv.isPresent(h);
    const mode = present ? inv.maintenanceOf(h) : 'DRAINED';
    const up = present && inv.up[h] === 1;
    const usable =
      up && mode !== 'DRAINING' && mode !== 'DRAINED' && (!this.settings.offerMode || inv.offered[h] === 1);
    this.room.setUsable(h, usable);
    const count = up && mode !== 'DRAINED';
    if (count !== (this.counted[h] === 1)) {
      this.allocation.capacityChange(this.specs[h]!.resources, count ? 1 : -1);
      this.counted[h] = count ? 1 : 0;
    }
  }

  private hostIndex(hostId: string): number {
    return this.inventory.indexOf(hostId);
  }
}

/**
 * The facade's event, keys in one fixed order (time, taskId, job, instance, state, host?, reason?).
 * One literal per combination of the optional fields: adding a field to a finished literal gives
 * the object an out-of-line property store, a second allocation on every transition.
 */
function taskEvent(
  time: number,
  taskId: string,
  job: string,
  instance: number,
  state: TaskState,
  host: string | undefined,
  reason: string | undefined,
): TaskEvent {
  if (host !== undefined) {
    if (reason !== undefined) return { time, taskId, job, instance, state, host, reason };
    return { time, taskId, job, instance, state, host };
  }
  if (reason !== undefined) return { time, taskId, job, instance, state, reason };
  return { time, taskId, job, instance, state };
}

/** Used when no random source is given: the default policies do not draw, and runs stay reproducible. */
const fixedSeedRandom = (): RandomSource => mulberry32(0x9e3779b9);
