import { mkdirSync } from 'node:fs';
import {
  CRON_RUN_MESSAGE,
  DEFAULT_BACKOFF,
  DriverLoop,
  type Effect,
  type HostSpec,
  type Resources,
  type Scheduler,
  type SchedulerOptions,
} from '@borealis/core';
import type { OpenTrace } from '@borealis/traces';
import seedrandom from 'seedrandom';
import { Auditor } from '../audit/auditor.js';
import { HostTable } from '../cluster/host-table.js';
import { OfferCycle } from '../cluster/offer-cycle.js';
import { SimulatedCluster } from '../cluster/simulated-cluster.js';
import {
  EV_ALLOCATE,
  EV_DELAYED_RECORD,
  EV_FAILURE,
  EV_OFFER_EXPIRE,
  EV_WAKEUP,
  isTaskEvent,
} from '../engine/event-kinds.js';
import { EventQueue } from '../engine/event-queue.js';
import { LifecycleMarkers } from '../metrics/lifecycle-markers.js';
import { Sampler } from '../metrics/sampler.js';
import { TaskTracker } from '../metrics/task-tracker.js';
import { preemptionLine } from '../output/event-lines.js';
import { EventLog } from '../output/event-log.js';
import { LineFile } from '../output/line-file.js';
import { writeMarkers, writeRunFiles } from '../output/run-files.js';
import type { RunSummary } from '../output/summary.js';
import { BacklogWatch } from './backlog-watch.js';
import { FailureInjector } from './failure-injection.js';
import { HostNameMap, scaleHosts } from './host-override.js';
import { LoadScaler } from './load-scale.js';
import { RESTART_LOOP_EXITS, RestartLoops } from './restart-loops.js';
import type { SimOptions } from './sim-options.js';
import { buildSummary } from './summarize.js';
import { TraceApplier } from './trace-applier.js';
import { TraceFeed } from './trace-feed.js';

export type SchedulerFactory = (options: SchedulerOptions) => Scheduler;

export interface SimProgress {
  readonly simulatedMs: number;
  readonly events: number;
  readonly untilMs?: number;
  /** Set once an open-ended run's trace is exhausted: the tasks still pending it waits for. */
  readonly pendingAfterTrace?: number;
}

export interface SimulationInputs {
  readonly options: SimOptions;
  readonly trace: OpenTrace;
  readonly createScheduler: SchedulerFactory;
  /** The trace's starting hosts, which --hosts scales (see scaleHosts); none: uniform hosts of hostShape. */
  readonly hostTemplates?: readonly HostSpec[];
  /** Called every few thousand events; the only place wall-clock concerns may enter. */
  readonly onProgress?: (p: SimProgress) => void;
  /** Something the user should know about how the run went (e.g. why an open-ended run stopped). */
  readonly onNotice?: (message: string) => void;
}

/**
 * How long an open-ended run goes on without change while lifecycle work is under way: longer
 * than the core's default drain timeout (1 h), after which a drain is forced.
 */
const LIFECYCLE_PATIENCE_MS = 2 * 3_600_000;

/**
 * The most an open-ended run goes on after the last trace record. The end rule (see loop()) stops
 * runs well before in every known case; this bounds what it might not foresee, with a notice.
 */
export const OPEN_END_HORIZON_MS = 7 * 24 * 3_600_000;

/** The core's longest retry backoff: with offers, a pending group may wait this long for its next try. */
const CORE_MAX_BACKOFF_MS = DEFAULT_BACKOFF.maxMs;

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
  /** The shared driver loop; the simulator persists nothing, so a step's effects run at once. */
  private readonly driver: DriverLoop;
  private readonly cluster: SimulatedCluster;
  private readonly tracker: TaskTracker;
  private readonly sampler = new Sampler();
  private readonly auditor?: Auditor;
  private readonly offers?: OfferCycle;
  private readonly feed: TraceFeed;
  private readonly applier: TraceApplier;
  private readonly interval = { events: 0, victims: 0 };
  private readonly markers = new LifecycleMarkers();
  private readonly loops: RestartLoops;
  /** Stops an open-ended run whose backlog no longer drains after the trace (backlog-watch.ts). */
  private readonly backlog = new BacklogWatch();
  /** --fail host failures, on the agenda as EV_FAILURE. */
  private readonly failures?: FailureInjector;
  /** Tasks created by cron triggers: submitted work, not replacements. */
  private cronTasks = 0;
  private eventLog?: EventLog;
  private preemptionsFile?: LineFile;
  private wakeupAt = Number.POSITIVE_INFINITY;
  private events = 0;
  /** Task events of non-cron jobs plus effects: what "something changed" means at the end. */
  private changes = 0;
  private lastActivity = 0;
  /** When the last trace record (or --load-scale copy) arrived. */
  private lastRecordAt = 0;
  /** When the last task event was written: the step that ends a run may still have written perpetual ones. */
  private lastEventAt = 0;
  private nextSample = 0;
  /** Scheduler ticks so far at the current instant (see step()). */
  private ticks = 0;
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
      ...(o.maxInstances !== undefined ? { maxInstances: o.maxInstances } : {}),
      // Simulated executors: the core plays each task's health check from its config.
      healthChecks: 'simulated',
      // Nothing is persisted: steps carry effects only.
      recordChanges: false,
    });
    this.driver = new DriverLoop({ core: this.scheduler, carryOut: (effects) => this.carryOut(effects) });
    const hosts = new HostTable();
    if (o.audit) this.auditor = new Auditor(hosts);
    this.tracker = new TaskTracker(this.auditor ? (t, m) => this.auditor!.report(t, m) : undefined);
    this.cluster = new SimulatedCluster(
      hosts,
      this.scheduler,
      this.queue,
      { launchLatencyMs: o.launchLatencyMs, killLatencyMs: o.killLatencyMs },
      (job) => this.applier.behaviours.get(job),
      clock,
      (job, instance) => this.applier.killInstance(job, instance),
      this.auditor,
    );
    this.cluster.shareSlots(this.tracker);
    if (o.offers) this.offers = new OfferCycle(o.offers, this.scheduler, this.queue, this.cluster.hosts);
    this.feed = new TraceFeed(inputs.trace.batches);
    let hostMap: HostNameMap | undefined;
    if (o.hosts !== undefined) {
      const { specs, standIns } = scaleHosts(o.hosts, inputs.hostTemplates ?? [], o.hostShape);
      for (const spec of specs) this.cluster.addHost(spec);
      hostMap = new HostNameMap(standIns);
    }
    // Load scaling draws from a stream of its own, so the policy's draws do not depend on it.
    const loadScaler = new LoadScaler(
      o.loadScale,
      o.loadJitterMs,
      seedrandom(`${o.seed}:load-scale`),
      o.loadScaleStanding ?? false,
    );
    this.applier = new TraceApplier(
      this.scheduler,
      this.cluster,
      this.queue,
      loadScaler,
      hostMap,
      this.offers,
    );
    if (o.failures && o.failures.length > 0) {
      this.failures = new FailureInjector(
        o.failures,
        this.cluster.hosts,
        (h) => {
          this.offers?.hostLeaving(h);
          this.cluster.hostDown(h);
        },
        (h) => this.cluster.hostUp(h),
      );
    }
    this.loops = new RestartLoops(
      (job) => this.applier.endlessRestarts.get(job),
      (taskId) => {
        const slot = this.cluster.tasks.slotOf(taskId);
        return slot !== undefined && this.cluster.tasks.runMs[slot]! >= 0;
      },
    );
    this.scheduler.onTaskEvent((e) => {
      this.tracker.handle(e);
      this.lastEventAt = e.time;
      this.eventLog?.write(e, this.tracker.lastSlot, this.tracker.lastFresh);
      if (!this.applier.cronSubmitted || !this.applier.behaviours.get(e.job)?.cron) {
        // A restart-looping instance's activity is perpetual: it is no change that keeps a run going.
        if (!this.loops.observe(e)) this.changes++;
      } else if (e.state === 'PENDING' && e.reason === CRON_RUN_MESSAGE) this.cronTasks++;
    });
    this.scheduler.onUpdateEvent((e) => {
      this.changes++;
      this.markers.onUpdate(e);
    });
    this.scheduler.onMaintenanceEvent((e) => {
      this.changes++;
      this.markers.onMaintenance(e);
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
      this.eventLog = o.eventLog ? new EventLog(`${o.out}/events.jsonl`) : undefined;
      this.preemptionsFile = new LineFile(`${o.out}/preemptions.jsonl`);
    }
    try {
      for (const [at, index, back] of this.failures?.events() ?? [])
        this.queue.push(at, EV_FAILURE, index, back);
      this.offers?.start(0);
      await this.loop();
      await this.feed.close();
      if (o.untilMs === undefined && this.loops.instances > 0) {
        const n = this.loops.instances;
        this.inputs.onNotice?.(
          `${n} instance${n === 1 ? ' was' : 's were'} restart-looping at the end (ended on ${n === 1 ? 'its' : 'their'} own ` +
            `${RESTART_LOOP_EXITS} times in a row and came back); restarts do not keep a run without --until going`,
        );
      }
      // Open-ended: the last change, or the last (perpetual) event if the final step wrote some.
      const end = o.untilMs ?? Math.max(this.lastActivity, this.lastEventAt);
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
        tasksSubmitted: this.applier.tasksSubmitted + this.cronTasks,
        cronTasks: this.cronTasks,
        jobs: this.applier.summaryJobs(),
        preemptions: this.preemptions,
        victims: this.victims,
        auditor: this.auditor,
        ignored: this.applier.ignored,
        failures: this.failures?.injected ?? [],
      });
      if (o.out !== undefined) {
        writeRunFiles(o.out, summary, this.sampler, this.cluster.hosts);
        writeMarkers(o.out, this.markers.lines(end));
      }
      return summary;
    } finally {
      try {
        this.eventLog?.close();
      } finally {
        this.preemptionsFile?.close();
      }
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
      const traceDone = o.untilMs === undefined && feed.exhausted && this.applier.delayedPending === 0;
      if (traceDone && t > this.lastRecordAt + OPEN_END_HORIZON_MS) {
        this.lastActivity = this.lastRecordAt + OPEN_END_HORIZON_MS;
        this.inputs.onNotice?.(
          `no --until: stopped ${OPEN_END_HORIZON_MS / 86_400_000} days after the last trace record with work ` +
            'still going on; pass --until to run longer',
        );
        return;
      }
      // Quiescent: no trace left and no finite work in flight (a restart-looping instance's launches
      // and exits go on for ever, so they do not count). Only scheduler wakeups, offers and such
      // perpetual activity remain; they may still place a task (capacity freed by a kill, a backoff
      // expiring), but a step that changes nothing finite means nothing ever will, so an
      // open-ended run stops there.
      const quiescent = traceDone && this.cluster.liveWork - this.loops.inFlight <= 0;
      if (traceDone && this.backlog.stalled(t, this.tracker.pending())) {
        this.lastActivity = t;
        this.inputs.onNotice?.(BacklogWatch.notice(t, this.tracker.pending()));
        return;
      }
      while (this.nextSample < t) this.takeSample(this.nextSample);
      this.now = t;
      const changesBefore = this.changes;
      // step() is synchronous and stops only when the feed must be refilled: an async step
      // allocated a promise and a suspended frame per instant (~600 MB of garbage in a 10k-host day).
      this.ticks = 0;
      while (!this.step(t)) await feed.refill();
      if (this.changes !== changesBefore || !quiescent) this.lastActivity = t;
      else if (t - this.lastActivity >= (this.lifecycleWaiting() ? LIFECYCLE_PATIENCE_MS : patience)) return;
      if (++steps % 4096 === 0 && this.inputs.onProgress) {
        this.inputs.onProgress({
          simulatedMs: t,
          events: this.events,
          untilMs: o.untilMs,
          ...(traceDone ? { pendingAfterTrace: this.tracker.pending() } : {}),
        });
        // A turn of the event loop, so Ctrl-C reaches the CLI's handler even in stretches
        // without trace reads (decisions and output are unaffected).
        await new Promise<void>((resume) => setImmediate(resume));
      }
    }
  }

  /**
   * Work the core will resume on a timer without any input: an update watching its batch, a drain
   * waiting for an SLA or its timeout, a THROTTLED replacement sitting out its penalty (unless it
   * is restart-looping). Steps that change nothing prove little while it lasts.
   */
  private lifecycleWaiting(): boolean {
    return this.markers.inProgress > 0 || this.tracker.count('THROTTLED') > this.loops.throttled;
  }

  /**
   * Runs everything due at time t, then lets the core settle (effects out, ticks while due).
   * Returns false when the trace feed must be refilled first; called again after the refill, it
   * carries on where it stopped (the tick count of the instant is in `this.ticks`).
   */
  private step(t: number): boolean {
    const queue = this.queue;
    const feed = this.feed;
    for (;;) {
      if (feed.needsRefill) return false;
      if (feed.peekTime() === t) {
        this.events++;
        this.lastRecordAt = t;
        this.applier.apply(feed.shift());
        continue;
      }
      if (queue.peekTime() === t) {
        queue.pop();
        this.events++;
        this.dispatch(queue.popped.kind, queue.popped.a, queue.popped.b);
        continue;
      }
      if (this.driver.flushSync()) continue;
      const w = this.scheduler.nextWakeup();
      if (w !== undefined && w <= t) {
        if (++this.ticks > MAX_TICKS_PER_INSTANT)
          throw new Error(`the scheduler keeps asking to run at t=${t}`);
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
      return true;
    }
  }

  private carryOut(effects: readonly Effect[]): void {
    if (this.loops.instances === 0) this.changes += effects.length;
    else
      for (const e of effects) if (e.kind === 'reconcile' || !this.loops.perpetual(e.taskId)) this.changes++;
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
      case EV_DELAYED_RECORD:
        this.lastRecordAt = this.now;
        this.applier.arrive(a);
        break;
      case EV_ALLOCATE:
        this.offers?.allocate(this.now);
        break;
      case EV_OFFER_EXPIRE:
        this.offers?.expire(this.now, a, b);
        break;
      case EV_FAILURE:
        this.failures?.apply(a, b === 1);
        break;
    }
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
      const r = this.applier.jobResources.get(job);
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

function basename(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  return name.replace(/\.jsonl(\.gz)?$/, '');
}
