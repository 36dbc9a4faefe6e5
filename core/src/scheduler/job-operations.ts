import { AURORA_DEFAULTS } from '../config/defaults.js';
import { CRON_RUN_MESSAGE, type CronRuntime } from '../cron/cron-runtime.js';
import { parseCrontab } from '../cron/crontab.js';
import type { HealthTracker } from '../health/health-tracker.js';
import { effectiveSla } from '../maintenance/sla.js';
import { dedicatedRoleProblems } from '../model/dedicated-role.js';
import type { JobConfig, UpdateSettings } from '../model/job.js';
import { formatJobKey, type JobKey } from '../model/job-key.js';
import { RESOURCE_NAMES, scaleResources } from '../model/resources.js';
import { fail, ok, type Result } from '../model/result.js';
import type { TaskConfig } from '../model/task-config.js';
import { isTerminal } from '../model/task-state.js';
import type { QuotaLedger } from '../quota/quota-ledger.js';
import { consumesQuota } from '../quota/quota-scope.js';
import type { TaskRecord } from '../store/task-record.js';
import type { TaskStore } from '../store/task-store.js';
import { diffInstances } from '../update/instance-diff.js';
import type { UpdateDriver, UpdateInfo } from '../update/update-driver.js';
import type { MachineInput } from '../update/update-machine.js';
import { isZero, updateQuotaRequest } from '../update/update-quota.js';
import type { PlanStep } from '../update/update-status.js';
import type { RestartOptions, StartUpdateOptions } from './api.js';
import { STOPPING_STATES } from './host-lifecycle.js';
import type { InstanceIndex } from './instance-index.js';
import type { SchedulerParts, Settings } from './scheduler-parts.js';
import type { StateChanges } from './state-changes.js';

/** Aurora's update defaults, for jobs submitted without update settings. */
const DEFAULT_UPDATE_SETTINGS: UpdateSettings = {
  strategy: { kind: 'queue', groupSize: AURORA_DEFAULTS.update.batchSize },
  watchSecs: AURORA_DEFAULTS.update.watchSecs,
  maxPerInstanceFailures: AURORA_DEFAULTS.update.maxPerInstanceFailures,
  maxTotalFailures: AURORA_DEFAULTS.update.maxTotalFailures,
  rollbackOnFailure: AURORA_DEFAULTS.update.rollbackOnFailure,
};
/**
 * What users do to jobs: submit, kill, update, restart, add instances; and cron runs, which the
 * scheduler starts on the job's schedule. Each checks its request (shape, quota, one update at a
 * time) before it changes anything.
 */
export class JobOperations {
  private readonly clock: SchedulerParts['clock'];
  private readonly settings: Settings;
  private readonly store: TaskStore;
  private readonly quotas: QuotaLedger;
  private readonly jobs: Map<string, JobConfig>;
  private readonly instances: InstanceIndex;
  private readonly health: HealthTracker;
  private readonly cron: CronRuntime;
  private readonly cronAwaiting: Set<string>;

  constructor(
    parts: SchedulerParts,
    private readonly changes: StateChanges,
    private readonly updates: UpdateDriver,
  ) {
    this.clock = parts.clock;
    this.settings = parts.settings;
    this.store = parts.store;
    this.quotas = parts.quotas;
    this.jobs = parts.jobs;
    this.instances = parts.instances;
    this.health = parts.health;
    this.cron = parts.cron;
    this.cronAwaiting = parts.cronAwaiting;
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
    if (consumesQuota(task)) {
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
    this.changes.runDeferred();
    return ok({ taskIds: records.map((r) => r.id) });
  }

  killJob(key: JobKey, instances?: readonly number[]): Result<{ readonly killed: number }> {
    const job = formatJobKey(key);
    const all = this.killCandidates(job, instances);
    if (this.store.countOfJob(job) === 0 && !this.jobs.has(job)) return fail('job', `job ${job} not found`);
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
      this.changes.runDeferred();
    }
    const wanted = instances ? new Set(instances) : undefined;
    let killed = 0;
    for (const t of all) {
      if (isTerminal(t.state) || t.state === 'KILLING') continue;
      if (wanted && !wanted.has(t.instance)) continue;
      const r = this.changes.applyTo(t, 'KILLING', { message: 'killed by user' }, 'user');
      if (r.result === 'success') killed++;
    }
    return ok({ killed });
  }

  /**
   * The tasks killJob looks at, in the job's member order. A one-instance kill (the simulator sends
   * one for every task kill a trace records) reads that instance's live tasks from the instance
   * index instead of the whole job, whose scan made such kills quadratic in the job's size (0.25 s
   * self for the 4 h 10k-host google-2011 run). The index holds exactly the job's tasks that are
   * not gone; with two of them to order, the whole job is read so kills keep the member order.
   */
  private killCandidates(job: string, instances: readonly number[] | undefined): readonly TaskRecord[] {
    if (instances?.length === 1) {
      const ids = this.instances.tasksOf(job, instances[0]!);
      if (ids.length === 0) return [];
      if (ids.length === 1) {
        const task = this.store.get(ids[0]!);
        return task === undefined ? [] : [task];
      }
    }
    return this.store.ofJob(job);
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
    this.changes.runDeferred();
    return ok(this.updates.latestUpdate(key)!);
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
    this.changes.runDeferred();
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
    if (consumesQuota(existing.task)) {
      const what = `adding ${count} instances to ${job}`;
      const check = this.quotas.check(key.role, scaleResources(existing.task.resources, count), what);
      if (!check.ok) return check;
    }
    const taskIds: string[] = [];
    for (let i = first; i < first + count; i++) {
      taskIds.push(this.addTask(existing, i, existing.task, 'instance added').id);
    }
    this.jobs.set(job, { ...existing, instances: first + count });
    this.changes.runDeferred();
    return ok({ taskIds });
  }

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
    const dedicated = dedicatedRoleProblems(job.key.role, task.constraints, 'task.constraints.dedicated');
    if (dedicated.length > 0) return fail(dedicated[0]!.path, `job ${key}: ${dedicated[0]!.message}`);
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

  updateCommand(key: JobKey, input: MachineInput): Result<UpdateInfo> {
    const job = formatJobKey(key);
    const rejected = this.updates.command(job, input);
    this.changes.runDeferred();
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

  liveTasks(job: string, instance: number): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const id of this.instances.tasksOf(job, instance)) {
      const t = this.store.get(id);
      if (t && !isTerminal(t.state)) out.push(t);
    }
    return out;
  }

  addTask(job: JobConfig, instance: number, config: TaskConfig, message: string): TaskRecord {
    return this.store.add({ job: job.key, kind: job.kind, instance, config }, { message });
  }

  cronTrigger(job: string, policy: 'KILL_EXISTING' | 'CANCEL_NEW'): void {
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
          this.changes.apply(
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

  startAwaitedCronRun(job: string): void {
    if (!this.cronAwaiting.has(job) || this.instances.hasLive(job)) return;
    this.cronAwaiting.delete(job);
    const config = this.jobs.get(job);
    if (config) this.startCronRun(config);
  }

  private startCronRun(job: JobConfig): void {
    this.cron.countRun();
    this.store.addJob(job, CRON_RUN_MESSAGE);
  }

  slaOf(taskId: string) {
    const t = this.store.get(taskId);
    if (!t) return undefined;
    const job = this.jobs.get(t.job);
    const instances = Math.max(job?.instances ?? 0, this.instances.instancesOf(t.job).length);
    return { job: t.job, policy: effectiveSla(job?.sla, t.config.tier), instances };
  }

  healthyTimes(job: string): number[] {
    const out: number[] = [];
    for (const instance of this.instances.instancesOf(job)) {
      for (const id of this.instances.tasksOf(job, instance)) {
        const since = this.health.healthySince(id);
        if (since !== undefined) out.push(since);
      }
    }
    return out;
  }
}
