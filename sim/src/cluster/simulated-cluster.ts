import type { Effect, HostSpec, ReportedState, Scheduler } from '@borealis/core';
import type { Auditor } from '../audit/auditor.js';
import { CRON_EVENT, EV_COMPLETE, EV_KILL_DONE, EV_RUNNING, EV_STARTING } from '../engine/event-kinds.js';
import type { EventQueue } from '../engine/event-queue.js';
import { CPU, DISK, GPU, type HostTable, RAM, RES } from './host-table.js';
import {
  PHASE_ASSIGNED,
  PHASE_KILLING,
  PHASE_RUNNING,
  PHASE_STARTING,
  type SharedSlots,
  TaskTable,
  TIER_CODE,
} from './task-table.js';

type LaunchEffect = Extract<Effect, { kind: 'launch' }>;

/** How each instance of a job behaves once running, from its trace record. */
export interface JobBehaviour {
  /** Run time of instance i once RUNNING; undefined = until killed. */
  durationMs(instance: number): number | undefined;
  outcome(instance: number): 'finished' | 'failed' | 'killed';
  readonly cron: boolean;
}

export interface ClusterTiming {
  /** ASSIGNED → STARTING and STARTING → RUNNING. */
  readonly launchLatencyMs: readonly [number, number];
  /** Kill effect → KILLED report. */
  readonly killLatencyMs: number;
}

const OUTCOME_CODE = { finished: 0, failed: 1, killed: 2 } as const;
const REPORT = ['FINISHED', 'FAILED'] as const;
const NO_PORTS: readonly number[] = [];

/**
 * The simulated world the core drives: hosts that run tasks. It carries out the core's effects
 * (launch, kill), reports status back after the configured latencies (STARTING, RUNNING, then
 * FINISHED / FAILED at the trace's duration, KILLED after a kill), and keeps its own record of
 * what holds which resources where. Host failures take their tasks with them; the core hears
 * about the host, not about each task, exactly as it would from Mesos.
 */
export class SimulatedCluster {
  readonly tasks = new TaskTable();
  /** Resources held by launched tasks per tier: index tier × 4 + resource. */
  readonly allocByTier = new Float64Array(3 * RES);
  /** Queued progress events of non-cron tasks; zero means the cluster will not change by itself. */
  liveWork = 0;
  private configs: (LaunchEffect['config'] | undefined)[] = [];
  /** The task tracker: shares its task-id registry and hears each reported task's slot (optional). */
  private shared: SharedSlots | undefined;

  constructor(
    readonly hosts: HostTable,
    private readonly scheduler: Scheduler,
    private readonly queue: EventQueue,
    private readonly timing: ClusterTiming,
    private readonly behaviour: (job: string) => JobBehaviour | undefined,
    private readonly clock: { now(): number },
    /** Asks the core to kill one instance (trace outcome "killed"). */
    private readonly recordedKill: (job: string, instance: number) => void,
    private readonly auditor?: Auditor,
  ) {}

  /** Finds tasks through the tracker's registry and hints their slots in status reports. */
  shareSlots(shared: SharedSlots): void {
    this.shared = shared;
    this.tasks.share(shared);
  }

  addHost(spec: HostSpec): void {
    this.hosts.add(spec);
    this.scheduler.addHost(spec);
  }

  hostDown(host: number): void {
    if (this.hosts.up[host] !== 1) return;
    this.evacuate(host);
    this.hosts.setUp(host, 0);
    this.scheduler.hostDown(this.hosts.ids[host]!);
  }

  hostUp(host: number): void {
    if (this.hosts.up[host] === 1 || this.hosts.removed[host] === 1) return;
    this.hosts.setUp(host, 1);
    this.scheduler.hostUp(this.hosts.ids[host]!);
  }

  removeHost(host: number): void {
    if (this.hosts.removed[host] === 1) return;
    this.evacuate(host);
    this.hosts.setUp(host, 0);
    this.hosts.removed[host] = 1;
    this.scheduler.removeHost(this.hosts.ids[host]!);
  }

  apply(effects: readonly Effect[]): void {
    for (const effect of effects) {
      if (effect.kind === 'launch') this.launch(effect);
      else if (effect.kind === 'kill') this.kill(effect.taskId);
    }
  }

  /** Dispatches one of the cluster's own events (STARTING, RUNNING, COMPLETE, KILL_DONE). */
  handle(flaggedKind: number, slot: number, generation: number): void {
    const tasks = this.tasks;
    // The flag, not the slot, says whether the event was counted: the slot may have been reused.
    if ((flaggedKind & CRON_EVENT) === 0) this.liveWork--;
    const kind = flaggedKind & ~CRON_EVENT;
    // Stale: the task was killed, lost or finished since this event was queued.
    if (tasks.generation[slot] !== generation || tasks.ids[slot] === undefined) return;
    const id = tasks.ids[slot]!;
    const now = this.clock.now();
    switch (kind) {
      case EV_STARTING:
        tasks.phase[slot] = PHASE_STARTING;
        this.report(id, slot, 'STARTING');
        this.schedule(now + this.timing.launchLatencyMs[1], EV_RUNNING, slot);
        break;
      case EV_RUNNING: {
        tasks.phase[slot] = PHASE_RUNNING;
        this.report(id, slot, 'RUNNING');
        const run = tasks.runMs[slot]!;
        if (run >= 0) this.schedule(now + run, EV_COMPLETE, slot);
        break;
      }
      case EV_COMPLETE: {
        if (tasks.outcome[slot] === OUTCOME_CODE.killed) {
          // A recorded kill replays as a kill: the core is asked to kill the instance, so it ends
          // KILLED for good instead of being rescheduled as an unexpected death.
          this.recordedKill(tasks.jobs[slot]!, tasks.instance[slot]!);
          break;
        }
        const state = REPORT[tasks.outcome[slot]!]!;
        this.release(slot);
        this.report(id, slot, state);
        break;
      }
      case EV_KILL_DONE:
        this.release(slot);
        this.report(id, slot, 'KILLED');
        break;
    }
  }

  /** A status report for the task in `slot`, with the tracker's slot of it as a hint. */
  private report(id: string, slot: number, state: ReportedState): void {
    if (this.shared !== undefined) this.shared.hint = this.tasks.trackerSlot[slot]!;
    this.scheduler.taskStatus(id, state);
  }

  private schedule(time: number, kind: number, slot: number): void {
    const cron = this.tasks.cron[slot] === 1;
    if (!cron) this.liveWork++;
    this.queue.push(time, cron ? kind | CRON_EVENT : kind, slot, this.tasks.generation[slot]!);
  }

  private launch(effect: LaunchEffect): void {
    const now = this.clock.now();
    const host = this.hosts.indexOf(effect.host);
    const running = this.tasks.slotOf(effect.taskId) !== undefined;
    if (host === undefined || this.hosts.up[host] !== 1 || running) {
      // The core placed a task on a host that is gone (or launched a task twice): Mesos would
      // answer TASK_LOST, and the audit records the core's mistake.
      this.auditor?.report(now, `launch of ${effect.taskId} on ${effect.host}, which cannot take it`);
      if (!running) this.scheduler.taskStatus(effect.taskId, 'LOST');
      return;
    }
    const tasks = this.tasks;
    const slot = tasks.allocate(effect.taskId, tasks.lastTrackerSlot);
    const r = effect.config.resources;
    tasks.jobs[slot] = effect.job;
    const ro = slot * RES;
    tasks.res[ro + CPU] = r.cpu;
    tasks.res[ro + RAM] = r.ramMb;
    tasks.res[ro + DISK] = r.diskMb;
    tasks.res[ro + GPU] = r.gpus;
    // Only the audit reads the ports back: a fresh array per launch would outlive the young
    // generation for every task of a run.
    tasks.ports[slot] = this.auditor ? Object.values(effect.ports) : NO_PORTS;
    this.configs[slot] = effect.config;
    tasks.host[slot] = host;
    tasks.instance[slot] = effect.instance;
    tasks.phase[slot] = PHASE_ASSIGNED;
    const tier = TIER_CODE[effect.config.tier];
    tasks.tier[slot] = tier;
    const behaviour = this.behaviour(effect.job);
    tasks.cron[slot] = behaviour?.cron ? 1 : 0;
    let run = behaviour?.durationMs(effect.instance);
    let outcome = OUTCOME_CODE[behaviour?.outcome(effect.instance) ?? 'finished'];
    const failAfter = effect.config.sim?.failAfterMs;
    if (failAfter !== undefined && (run === undefined || failAfter < run)) {
      run = failAfter;
      outcome = OUTCOME_CODE.failed;
    }
    tasks.runMs[slot] = run ?? -1;
    tasks.outcome[slot] = outcome;
    this.link(host, slot);
    this.hosts.holdValues(host, tasks.res, ro, 1);
    this.holdTier(tier, ro, 1);
    this.hosts.everUsed[host] = 1;
    this.auditor?.launched(now, host, effect);
    this.schedule(now + this.timing.launchLatencyMs[0], EV_STARTING, slot);
  }

  private kill(taskId: string): void {
    const slot = this.tasks.slotOf(taskId);
    // Already gone (finished, or lost with its host): the core hears about it separately.
    if (slot === undefined || this.tasks.phase[slot] === PHASE_KILLING) return;
    this.tasks.phase[slot] = PHASE_KILLING;
    this.tasks.bump(slot);
    this.schedule(this.clock.now() + this.timing.killLatencyMs, EV_KILL_DONE, slot);
  }

  /** A host failure or removal: every task on it stops holding resources, silently. */
  private evacuate(host: number): void {
    let slot = this.hosts.firstTask[host]!;
    while (slot >= 0) {
      const next = this.tasks.nextOnHost[slot]!;
      this.release(slot);
      slot = next;
    }
  }

  private release(slot: number): void {
    const tasks = this.tasks;
    const host = tasks.host[slot]!;
    const ro = slot * RES;
    this.hosts.holdValues(host, tasks.res, ro, -1);
    this.holdTier(tasks.tier[slot]!, ro, -1);
    this.unlink(host, slot);
    if (this.auditor) this.auditor.released(host, tasks.jobs[slot]!, this.configs[slot]!, tasks.ports[slot]!);
    this.configs[slot] = undefined;
    tasks.release(slot);
  }

  private holdTier(tier: number, ro: number, sign: 1 | -1): void {
    const o = tier * RES;
    const res = this.tasks.res;
    this.allocByTier[o + CPU]! += sign * res[ro + CPU]!;
    this.allocByTier[o + RAM]! += sign * res[ro + RAM]!;
    this.allocByTier[o + DISK]! += sign * res[ro + DISK]!;
    this.allocByTier[o + GPU]! += sign * res[ro + GPU]!;
  }

  private link(host: number, slot: number): void {
    const head = this.hosts.firstTask[host]!;
    this.tasks.nextOnHost[slot] = head;
    this.tasks.prevOnHost[slot] = -1;
    if (head >= 0) this.tasks.prevOnHost[head] = slot;
    this.hosts.firstTask[host] = slot;
  }

  private unlink(host: number, slot: number): void {
    const prev = this.tasks.prevOnHost[slot]!;
    const next = this.tasks.nextOnHost[slot]!;
    if (prev >= 0) this.tasks.nextOnHost[prev] = next;
    else this.hosts.firstTask[host] = next;
    if (next >= 0) this.tasks.prevOnHost[next] = prev;
  }
}
