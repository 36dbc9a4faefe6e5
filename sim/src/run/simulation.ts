import { mkdirSync } from 'node:fs';
import {
  type Effect,
  type HostSpec,
  parseJobKey,
  type Resources,
  type Scheduler,
  type SchedulerOptions,
} from '@borealis/core';
import {
  instanceDurationMs,
  instanceOutcome,
  type JobSubmitRecord,
  type JobUpdateRecord,
  type OpenTrace,
  type TraceRecord,
  toJobConfig,
} from '@borealis/traces';
import seedrandom from 'seedrandom';
import { Auditor } from '../audit/auditor.js';
import { HostTable } from '../cluster/host-table.js';
import { OfferCycle } from '../cluster/offer-cycle.js';
import { type JobBehaviour, SimulatedCluster } from '../cluster/simulated-cluster.js';
import {
  EV_ALLOCATE,
  EV_DELAYED_RECORD,
  EV_OFFER_EXPIRE,
  EV_WAKEUP,
  isTaskEvent,
} from '../engine/event-kinds.js';
import { EventQueue } from '../engine/event-queue.js';
import { PayloadPool } from '../engine/payload-pool.js';
import { Sampler } from '../metrics/sampler.js';
import { TaskTracker } from '../metrics/task-tracker.js';
import { preemptionLine, taskEventLine } from '../output/event-lines.js';
import { LineFile } from '../output/line-file.js';
import { writeRunFiles } from '../output/run-files.js';
import type { RunSummary } from '../output/summary.js';
import { HostNameMap, overrideHosts } from './host-override.js';
import { LoadScaler } from './load-scale.js';
import type { SimOptions } from './sim-options.js';
import { buildSummary } from './summarize.js';
import { TraceFeed } from './trace-feed.js';

export type SchedulerFactory = (options: SchedulerOptions) => Scheduler;

export interface SimProgress {
  readonly simulatedMs: number;
  readonly events: number;
  readonly untilMs?: number;
}

export interface SimulationInputs {
  readonly options: SimOptions;
  readonly trace: OpenTrace;
  readonly createScheduler: SchedulerFactory;
  /** Called every few thousand events; the only place wall-clock concerns may enter. */
  readonly onProgress?: (p: SimProgress) => void;
}

/** The core's default longest retry backoff: with offers, a pending group may wait this long for its next try. */
const CORE_MAX_BACKOFF_MS = 60_000;

/** Ticks at one instant beyond this mean the core keeps asking to be woken "now": a core bug. */
const MAX_TICKS_PER_INSTANT = 100_000;

/**
 * One simulation run: the trace streamed in record by record, merged with the simulator's own
 * agenda (task progress, scheduler wakeups, offers), the core driven through the Scheduler
 * facade, metrics sampled on a fixed grid, output written as it goes. Trace records win ties
 * with queued events at the same time; queued events run in (time, sequence) order.
 */
export class Simulation {
  private now = 0;
  private readonly queue = new EventQueue(1 << 16);
  private readonly scheduler: Scheduler;
  private readonly cluster: SimulatedCluster;
  private readonly tracker: TaskTracker;
  private readonly sampler = new Sampler();
  private readonly auditor?: Auditor;
  private readonly offers?: OfferCycle;
  private readonly feed: TraceFeed;
  private readonly delayed = new PayloadPool<JobSubmitRecord>();
  private readonly loadScaler: LoadScaler;
  private readonly hostMap?: HostNameMap;
  private readonly behaviours = new Map<string, JobBehaviour>();
  private readonly jobResources = new Map<string, Resources>();
  /** Trace job → the copies --load-scale made of it (for kills). */
  private readonly copies = new Map<string, string[]>();
  private readonly dropped = new Set<string>();
  private readonly cancelledCopies = new Set<string>();
  private readonly ignored: Record<string, number> = {};
  private readonly rejectReasons: Record<string, number> = {};
  private readonly interval = { events: 0, victims: 0 };
  private eventsFile?: LineFile;
  private preemptionsFile?: LineFile;
  private wakeupAt = Number.POSITIVE_INFINITY;
  private delayedPending = 0;
  private events = 0;
  /** Task events of non-cron jobs plus effects: what "something changed" means at the end. */
  private changes = 0;
  private lastActivity = 0;
  private nextSample = 0;
  private jobsSubmitted = 0;
  private jobsRejected = 0;
  private jobsKilled = 0;
  private tasksSubmitted = 0;
  private preemptions = 0;
  private victims = 0;

  constructor(private readonly inputs: SimulationInputs) {
    const o = inputs.options;
    const clock = { now: () => this.now };
    this.scheduler = inputs.createScheduler({
      clock,
      random: seedrandom(`${o.seed}`),
      ...(o.policy !== undefined ? { policy: o.policy } : {}),
      ...(o.queueOrder !== undefined ? { queueOrder: o.queueOrder } : {}),
      preemption: {
        enabled: o.preemption,
        ...(o.preemptionDelayMs !== undefined ? { delayMs: o.preemptionDelayMs } : {}),
      },
      offerMode: o.offers !== undefined,
      // Simulated executors: the core plays each task's health check from its config.
      healthChecks: 'simulated',
    });
    this.loadScaler = new LoadScaler(o.loadScale, o.loadJitterMs, seedrandom(`${o.seed}:load-scale`));
    const hosts = new HostTable();
    if (o.audit) this.auditor = new Auditor(hosts);
    this.tracker = new TaskTracker(this.auditor ? (t, m) => this.auditor!.report(t, m) : undefined);
    this.cluster = new SimulatedCluster(
      hosts,
      this.scheduler,
      this.queue,
      { launchLatencyMs: o.launchLatencyMs, killLatencyMs: o.killLatencyMs },
      (job) => this.behaviours.get(job),
      clock,
      (job, instance) => this.kill(job, [instance], false),
      this.auditor,
    );
    if (o.offers) this.offers = new OfferCycle(o.offers, this.scheduler, this.queue, this.cluster.hosts);
    this.feed = new TraceFeed(inputs.trace.records);
    if (o.hosts !== undefined) {
      const specs = overrideHosts(o.hosts, o.hostShape ?? DEFAULT_SHAPE);
      for (const spec of specs) this.cluster.addHost(spec);
      this.hostMap = new HostNameMap(specs.map((s) => s.id));
    }
    this.scheduler.onTaskEvent((e) => {
      this.tracker.handle(e);
      this.eventsFile?.write(taskEventLine(e));
      if (!this.behaviours.get(e.job)?.cron) this.changes++;
    });
    this.scheduler.onPreemption((p) => {
      this.preemptions++;
      this.victims += p.victims.length;
      this.interval.events++;
      this.interval.victims += p.victims.length;
      this.preemptionsFile?.write(preemptionLine(p));
    });
  }

  async run(): Promise<RunSummary> {
    const o = this.inputs.options;
    const started = performance.now();
    if (o.out !== undefined) {
      mkdirSync(o.out, { recursive: true });
      this.eventsFile = o.eventLog ? new LineFile(`${o.out}/events.jsonl`) : undefined;
      this.preemptionsFile = new LineFile(`${o.out}/preemptions.jsonl`);
    }
    try {
      this.offers?.start(0);
      await this.loop();
      await this.feed.close();
      const end = o.untilMs ?? this.lastActivity;
      this.now = end;
      while (this.nextSample <= end) this.takeSample(this.nextSample);
      if (this.sampler.sampleCount === 0 || this.nextSample - o.sampleIntervalMs < end) this.takeSample(end);
      this.checkAccounting(end);
      const summary = buildSummary({
        options: o,
        traceName: this.inputs.trace.header.name ?? basename(o.trace),
        simulatedMs: end,
        wallMs: Math.round(performance.now() - started),
        events: this.events,
        hosts: this.cluster.hosts,
        tracker: this.tracker,
        sampler: this.sampler,
        scheduler: this.scheduler,
        tasksSubmitted: this.tasksSubmitted,
        jobs: {
          submitted: this.jobsSubmitted,
          rejected: this.jobsRejected,
          killed: this.jobsKilled,
          rejectReasons: this.rejectReasons,
        },
        preemptions: this.preemptions,
        victims: this.victims,
        auditor: this.auditor,
        ignored: this.ignored,
      });
      if (o.out !== undefined) writeRunFiles(o.out, summary, this.sampler, this.cluster.hosts);
      return summary;
    } finally {
      this.eventsFile?.close();
      this.preemptionsFile?.close();
    }
  }

  private async loop(): Promise<void> {
    const o = this.inputs.options;
    const until = o.untilMs ?? Number.POSITIVE_INFINITY;
    const queue = this.queue;
    const feed = this.feed;
    // With offers, a step that changes nothing proves little while declined hosts sit out their
    // refuse filter; a full offer cycle without change does.
    const patience = o.offers
      ? o.offers.allocationIntervalMs + o.offers.offerHoldMs + o.offers.refuseMs + CORE_MAX_BACKOFF_MS
      : 0;
    let steps = 0;
    for (;;) {
      if (feed.needsRefill) await feed.refill();
      const t = Math.min(feed.peekTime(), queue.peekTime());
      if (t === Number.POSITIVE_INFINITY || t > until) return;
      // Quiescent: no trace left and nothing in flight. Only scheduler wakeups and offers remain;
      // they may still place a task (capacity freed by a kill, a backoff expiring), but a step
      // that changes nothing means nothing ever will, so an open-ended run stops there.
      const quiescent =
        o.untilMs === undefined && feed.exhausted && this.cluster.liveWork === 0 && this.delayedPending === 0;
      while (this.nextSample < t) this.takeSample(this.nextSample);
      this.now = t;
      const changesBefore = this.changes;
      await this.step(t);
      if (this.changes !== changesBefore || !quiescent) this.lastActivity = t;
      else if (t - this.lastActivity >= patience) return;
      if (++steps % 4096 === 0)
        this.inputs.onProgress?.({ simulatedMs: t, events: this.events, untilMs: o.untilMs });
    }
  }

  /** Runs everything due at time t, then lets the core settle (effects out, ticks while due). */
  private async step(t: number): Promise<void> {
    const queue = this.queue;
    const feed = this.feed;
    let ticks = 0;
    for (;;) {
      if (feed.needsRefill) await feed.refill();
      if (feed.peekTime() === t) {
        this.events++;
        this.apply(feed.shift());
        continue;
      }
      if (queue.peekTime() === t) {
        queue.pop();
        this.events++;
        this.dispatch(queue.popped.kind, queue.popped.a, queue.popped.b);
        continue;
      }
      const effects = this.scheduler.takeEffects();
      if (effects.length > 0) {
        this.carryOut(effects);
        continue;
      }
      const w = this.scheduler.nextWakeup();
      if (w !== undefined && w <= t) {
        if (++ticks > MAX_TICKS_PER_INSTANT) throw new Error(`the scheduler keeps asking to run at t=${t}`);
        this.scheduler.tick();
        continue;
      }
      if (w !== undefined) {
        const at = Math.ceil(w);
        if (at < this.wakeupAt || this.wakeupAt <= t) {
          this.wakeupAt = at;
          queue.push(at, EV_WAKEUP);
        }
      }
      return;
    }
  }

  private carryOut(effects: readonly Effect[]): void {
    this.changes += effects.length;
    this.cluster.apply(effects);
    if (this.offers) {
      for (const e of effects) {
        if (e.kind !== 'launch') continue;
        const h = this.cluster.hosts.indexOf(e.host);
        if (h !== undefined) this.offers.accepted(h);
      }
    }
  }

  private dispatch(kind: number, a: number, b: number): void {
    if (isTaskEvent(kind)) {
      this.cluster.handle(kind, a, b);
      return;
    }
    switch (kind) {
      case EV_WAKEUP:
        if (this.wakeupAt === this.now) this.wakeupAt = Number.POSITIVE_INFINITY;
        break;
      case EV_DELAYED_RECORD: {
        this.delayedPending--;
        const record = this.delayed.take(a);
        if (this.cancelledCopies.delete(record.job)) this.ignore('job_submit: copy killed before it arrived');
        else this.submit(record);
        break;
      }
      case EV_ALLOCATE:
        this.offers?.allocate(this.now);
        break;
      case EV_OFFER_EXPIRE:
        this.offers?.expire(this.now, a, b);
        break;
    }
  }

  private ignore(reason: string): void {
    this.ignored[reason] = (this.ignored[reason] ?? 0) + 1;
  }

  private apply(r: TraceRecord): void {
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
        if (ids.length > 0) this.scheduler.setMaintenance(ids, r.type === 'host_drain' ? 'DRAINING' : 'NONE');
        break;
      }
      case 'quota_set':
        this.scheduler.setQuota(r.role, { cpu: r.cpu, ramMb: r.ramMb, diskMb: r.diskMb, gpus: r.gpus });
        break;
      case 'job_submit':
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
          if (this.behaviours.has(copy)) this.kill(copy, r.instances);
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

  private submit(r: JobSubmitRecord): void {
    const config = toJobConfig(r);
    const result = this.scheduler.submitJob(config);
    if (!result.ok) {
      this.jobsRejected++;
      const reason = (result.problems[0]?.message ?? 'rejected').split(r.job).join('<job>');
      this.rejectReasons[reason] = (this.rejectReasons[reason] ?? 0) + 1;
      return;
    }
    this.jobsSubmitted++;
    this.tasksSubmitted += result.value.taskIds.length;
    this.jobResources.set(r.job, config.task.resources);
    this.behaviours.set(r.job, {
      durationMs: (i) => instanceDurationMs(r, i),
      outcome: (i) => instanceOutcome(r, i),
      cron: r.kind === 'cron',
    });
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
    this.behaviours.set(r.job, {
      durationMs: (i) => instanceDurationMs(r, i),
      outcome: (i) => instanceOutcome(r, i),
      cron: false,
    });
  }

  /** A job_kill record (counted in jobs.killed) or a recorded instance kill from the trace. */
  private kill(job: string, instances: readonly number[] | undefined, fromRecord = true): void {
    const key = parseJobKey(job);
    if (!key.ok) return;
    const result = this.scheduler.killJob(key.value, instances);
    if (!fromRecord) return;
    if (result.ok) this.jobsKilled++;
    else this.ignore('job_kill: the core refused it');
  }

  private takeSample(time: number): void {
    this.sampler.sample(time, {
      hosts: this.cluster.hosts,
      allocByTier: this.cluster.allocByTier,
      tracker: this.tracker,
      usableHosts: () => this.scheduler.hostCounts().usable,
      pendingShapes: () => this.pendingShapes(),
      preemptionsInInterval: this.interval,
    });
    this.nextSample = time + this.inputs.options.sampleIntervalMs;
    // Align to the grid: a final off-grid sample must not shift later ones.
    this.nextSample -= this.nextSample % this.inputs.options.sampleIntervalMs;
  }

  private *pendingShapes(): Iterable<Resources> {
    for (const job of this.tracker.pendingByJob.keys()) {
      const r = this.jobResources.get(job);
      if (r) yield r;
    }
  }

  /** What the simulator holds on hosts must match what the core believes is on hosts. */
  private checkAccounting(time: number): void {
    if (!this.auditor) return;
    const simulated = this.cluster.tasks.live;
    const core = this.tracker.onHost();
    if (simulated !== core) {
      this.auditor.report(
        time,
        `at the end the simulator runs ${simulated} tasks but the core has ${core} on hosts`,
      );
    }
  }
}

const DEFAULT_SHAPE: Resources = { cpu: 32, ramMb: 131072, diskMb: 1048576, gpus: 0 };

function basename(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  return name.replace(/\.jsonl(\.gz)?$/, '');
}
