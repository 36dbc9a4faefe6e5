import {
  type HostSpec,
  isTerminal,
  isTerminalUpdate,
  parseJobKey,
  type Resources,
  type Scheduler,
  type TaskEvent,
} from '@borealis/core';
import {
  instanceDurationMs,
  instanceOutcome,
  type JobSubmitRecord,
  type JobUpdateRecord,
  type TraceRecord,
  toJobConfig,
} from '@borealis/traces';
import type { OfferCycle } from '../cluster/offer-cycle.js';
import type { JobBehaviour, SimulatedCluster } from '../cluster/simulated-cluster.js';
import { EV_DELAYED_RECORD } from '../engine/event-kinds.js';
import type { EventQueue } from '../engine/event-queue.js';
import { PayloadPool } from '../engine/payload-pool.js';
import type { RunSummary } from '../output/summary.js';
import type { HostNameMap } from './host-override.js';
import type { LoadScaler } from './load-scale.js';
import type { EndlessRestart } from './restart-loops.js';

/**
 * Applies trace records to the simulated world and the core: hosts come and go through the
 * cluster (or their --hosts stand-ins), jobs are submitted, updated and killed through the
 * Scheduler facade, --load-scale copies are queued with their jitter. What a job's instances do
 * once running (durations, outcomes) is remembered here for the cluster. Records that cannot
 * apply are counted by reason, never dropped silently.
 *
 * What it keeps per job (behaviour, resources, restart rule) goes once the job has ended: a task
 * event that ends a task marks its job, and at the next sweep (a trace record at a later instant,
 * at most once per simulated minute) a marked job with no live task, no active update and no cron
 * schedule is forgotten. Nothing can start a task of such a job but a new trace record (which
 * records its behaviour again), so no decision changes; a month-long run keeps only live jobs.
 */
export class TraceApplier {
  readonly behaviours = new Map<string, JobBehaviour>();
  /** Current task resources per job, for the shapes of pending work. */
  readonly jobResources = new Map<string, Resources>();
  /** Jobs whose instances come back for ever after ending on their own (see restart-loops.ts). */
  readonly endlessRestarts = new Map<string, EndlessRestart>();
  readonly ignored: Record<string, number> = {};
  readonly jobs: {
    submitted: number;
    rejected: number;
    killed: number;
    rejectReasons: Record<string, number>;
  } = {
    submitted: 0,
    rejected: 0,
    killed: 0,
    rejectReasons: {},
  };
  tasksSubmitted = 0;
  /**
   * Whether a cron job was ever submitted: until then no task event needs its job's behaviour
   * looked up to know it is not cron work (a Map lookup per task event, ~5M a 10k-host day).
   */
  cronSubmitted = false;
  /** --load-scale copies queued and not yet arrived. */
  delayedPending = 0;
  private readonly delayed = new PayloadPool<JobSubmitRecord>();
  /** Trace job → the copies --load-scale made of it (for kills). */
  private readonly copies = new Map<string, string[]>();
  private readonly dropped = new Set<string>();
  private readonly cancelledCopies = new Set<string>();
  /** --load-scale copies that arrived and were accepted (a kill of the original kills them too). */
  private readonly acceptedCopies = new Set<string>();
  /** Jobs a task of which ended, with the time of the latest such event: checked at the next sweep. */
  private readonly ended = new Map<string, number>();
  private nextSweep = 0;
  /** Jobs forgotten after they ended (for tests and the multi-day bench). */
  released = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly cluster: SimulatedCluster,
    private readonly queue: EventQueue,
    private readonly loadScaler: LoadScaler,
    private readonly hostMap?: HostNameMap,
    private readonly offers?: OfferCycle,
  ) {
    scheduler.onTaskEvent((e) => this.observe(e));
  }

  /** Jobs the applier holds state for (behaviours): flat over a long run, not growing with days. */
  get jobsHeld(): number {
    return this.behaviours.size;
  }

  private observe(e: TaskEvent): void {
    if (isTerminal(e.state)) this.ended.set(e.job, e.time);
  }

  /**
   * Forgets the jobs that ended before `now`: no live task, no active update, not cron. A job
   * marked at this very instant waits for the next sweep (a replacement may still be on its way).
   */
  private sweep(now: number): void {
    this.nextSweep = now + SWEEP_INTERVAL_MS;
    for (const [job, at] of this.ended) {
      if (at >= now) continue;
      const key = parseJobKey(job);
      if (key.ok) {
        const update = this.scheduler.updateInfo(key.value);
        if (update && !isTerminalUpdate(update.status)) continue; // looked at again next sweep
      }
      this.ended.delete(job);
      if (this.behaviours.get(job)?.cron) continue;
      if (!key.ok || this.scheduler.activeTasks(key.value).length > 0) continue;
      if (this.behaviours.delete(job)) this.released++;
      this.jobResources.delete(job);
      this.endlessRestarts.delete(job);
    }
  }

  /** A --load-scale copy arrives (EV_DELAYED_RECORD). */
  arrive(handle: number): void {
    this.delayedPending--;
    const record = this.delayed.take(handle);
    if (this.cancelledCopies.delete(record.job)) this.ignore('job_submit: copy killed before it arrived');
    else if (this.submit(record)) this.acceptedCopies.add(record.job);
  }

  /** A recorded "killed" outcome: the instance is killed through the core. */
  killInstance(job: string, instance: number): void {
    this.kill(job, [instance], false);
  }

  summaryJobs(): RunSummary['jobs'] {
    return this.jobs;
  }

  ignore(reason: string): void {
    this.ignored[reason] = (this.ignored[reason] ?? 0) + 1;
  }

  apply(r: TraceRecord): void {
    if (r.t >= this.nextSweep && this.ended.size > 0) this.sweep(r.t);
    switch (r.type) {
      case 'host_add':
        this.addTraceHost(r);
        break;
      case 'host_down':
      case 'host_up':
      case 'host_remove': {
        const h = this.hostIndex(r.host, r.type);
        if (h === undefined) break;
        if (r.type === 'host_up') this.cluster.hostUp(h);
        else {
          this.offers?.hostLeaving(h);
          if (r.type === 'host_down') this.cluster.hostDown(h);
          else this.cluster.removeHost(h);
        }
        break;
      }
      case 'host_drain':
      case 'host_activate': {
        const ids: string[] = [];
        for (const host of r.hosts) {
          const h = this.hostIndex(host, r.type);
          if (h !== undefined) ids.push(this.cluster.hosts.ids[h]!);
        }
        if (ids.length === 0) break;
        if (r.type === 'host_activate') this.scheduler.setMaintenance(ids, 'NONE');
        else this.scheduler.setMaintenance(ids, 'DRAINING', r.sla === true ? 'sla' : 'immediate');
        break;
      }
      case 'quota_set':
        this.scheduler.setQuota(r.role, { cpu: r.cpu, ramMb: r.ramMb, diskMb: r.diskMb, gpus: r.gpus });
        break;
      case 'job_submit':
        if (!this.loadScaler.scales(r)) {
          this.submit(r);
          break;
        }
        if (!this.loadScaler.keep()) {
          this.dropped.add(r.job);
          this.ignore('job_submit: sampled out by --load-scale');
          break;
        }
        this.submit(r);
        for (const copy of this.loadScaler.copies(r)) {
          let list = this.copies.get(r.job);
          if (!list) {
            list = [];
            this.copies.set(r.job, list);
          }
          list.push(copy.job);
          this.delayedPending++;
          this.queue.push(copy.t, EV_DELAYED_RECORD, this.delayed.put(copy));
        }
        break;
      case 'job_kill':
        if (this.dropped.has(r.job)) {
          this.ignore('job_kill: job sampled out by --load-scale');
          break;
        }
        this.kill(r.job, r.instances);
        for (const copy of this.copies.get(r.job) ?? []) {
          // A copy still on its way (jitter) is called off rather than killed after it arrives.
          if (this.acceptedCopies.has(copy)) this.kill(copy, r.instances);
          else if (r.instances === undefined) this.cancelledCopies.add(copy);
        }
        break;
      case 'job_update':
        if (this.dropped.has(r.job)) {
          this.ignore('job_update: job sampled out by --load-scale');
          break;
        }
        this.update(r);
        break;
    }
  }

  private addTraceHost(r: Extract<TraceRecord, { type: 'host_add' }>): void {
    if (this.hostMap) {
      if (this.hostMap.add(r.host) === undefined) this.ignore('host_add: beyond the --hosts override');
      else this.ignore('host_add: replaced by the --hosts override');
      return;
    }
    const spec: HostSpec = {
      id: r.host,
      resources: { cpu: r.cpu, ramMb: r.ramMb, diskMb: r.diskMb, gpus: r.gpus },
      ports: r.ports,
      attributes: r.attributes,
    };
    this.cluster.addHost(spec);
  }

  private hostIndex(traceHost: string, type: string): number | undefined {
    const id = this.hostMap ? this.hostMap.resolve(traceHost) : traceHost;
    const h = id === undefined ? undefined : this.cluster.hosts.indexOf(id);
    if (h === undefined) this.ignore(`${type}: host without a stand-in in the --hosts override`);
    return h;
  }

  /** Submits a job record; false if the core rejected it. */
  private submit(r: JobSubmitRecord): boolean {
    const config = toJobConfig(r);
    const result = this.scheduler.submitJob(config);
    if (!result.ok) {
      this.jobs.rejected++;
      const reason = (result.problems[0]?.message ?? 'rejected').split(r.job).join('<job>');
      this.jobs.rejectReasons[reason] = (this.jobs.rejectReasons[reason] ?? 0) + 1;
      return false;
    }
    this.jobs.submitted++;
    this.tasksSubmitted += result.value.taskIds.length;
    this.jobResources.set(r.job, config.task.resources);
    this.behaviours.set(r.job, new RecordBehaviour(r, r.kind === 'cron'));
    if (r.kind === 'cron') this.cronSubmitted = true;
    this.noteRestarts(r);
    return true;
  }

  /** A job_update record: a rolling update to the record's job spec and settings. */
  private update(r: JobUpdateRecord): void {
    const config = toJobConfig(r);
    const result = this.scheduler.startUpdate(config);
    if (!result.ok) {
      const reason = (result.problems[0]?.message ?? 'rejected').split(r.job).join('<job>');
      this.ignore(`job_update: ${reason}`);
      return;
    }
    this.jobResources.set(r.job, config.task.resources);
    this.behaviours.set(r.job, new RecordBehaviour(r, false));
    this.noteRestarts(r);
  }

  /** Services come back after any end but a kill; ad-hoc tasks with maxTaskFailures -1 after every failure. */
  private noteRestarts(r: JobSubmitRecord | JobUpdateRecord): void {
    if (r.kind === 'service') this.endlessRestarts.set(r.job, 'any-exit');
    else if (r.kind === 'adhoc' && r.maxTaskFailures === -1) this.endlessRestarts.set(r.job, 'failure');
    else this.endlessRestarts.delete(r.job);
  }

  /** A job_kill record (counted in jobs.killed) or a recorded instance kill from the trace. */
  private kill(job: string, instances: readonly number[] | undefined, fromRecord = true): void {
    const key = parseJobKey(job);
    if (!key.ok) return;
    const result = this.scheduler.killJob(key.value, instances);
    if (!fromRecord) return;
    if (result.ok) this.jobs.killed++;
    else this.ignore('job_kill: the core refused it');
  }
}

/** How often ended jobs are looked at (simulated time). */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * What a job's instances do, read from its trace record. A class rather than an object of two
 * fresh closures per job: under tsx (keepNames) every closure created also costs a
 * defineProperty call for its name, ~400k of them in a 10k-host day.
 */
class RecordBehaviour implements JobBehaviour {
  constructor(
    private readonly record: JobSubmitRecord | JobUpdateRecord,
    readonly cron: boolean,
  ) {}

  durationMs(instance: number): number | undefined {
    return instanceDurationMs(this.record, instance);
  }

  outcome(instance: number): 'finished' | 'failed' | 'killed' {
    return instanceOutcome(this.record, instance);
  }
}
