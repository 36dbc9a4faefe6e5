import { DriverLoop } from '../driver/driver-loop.js';
import { simulatedHealth } from '../health/health-timeline.js';
import type { JobConfig } from '../model/job.js';
import { type JobKey, parseJobKey } from '../model/job-key.js';
import type { Resources } from '../model/resources.js';
import { formatProblems, type Result } from '../model/result.js';
import type { TaskConfig } from '../model/task-config.js';
import { ACTIVE_ON_HOST_STATES, STOPPING_STATES, type TaskState } from '../model/task-state.js';
import type {
  Change,
  Effect,
  HostSpec,
  MaintenanceEvent,
  PreemptionRecord,
  ReportedState,
  Scheduler,
  SchedulerOptions,
  TaskEvent,
  TaskInfo,
  UpdateEvent,
} from '../scheduler/api.js';
import { createScheduler } from '../scheduler/create.js';
import type { HostBuilder, JobBuilder } from './builders.js';
import { ManualClock, seededRandom } from './manual-clock.js';

export interface HarnessOptions extends Omit<SchedulerOptions, 'clock'> {
  /**
   * true (default): the harness plays the cluster — a launch becomes STARTING then RUNNING at once,
   * a kill becomes KILLED at once, and a task's health check and simulated behaviour (`sim`) play
   * out on the clock: health reports when it passes, FAILED after `failAfterMs`, a failed-check
   * report for `unhealthy`. false: effects pile up in `pendingEffects` for the test to apply.
   */
  readonly autoRun?: boolean;
  /**
   * With autoRun: kills take time. Kill effects wait in `pendingEffects` until the test completes
   * them (`completeKills`), so victims stay on their hosts while the scheduler goes on placing.
   */
  readonly holdKills?: boolean;
  readonly seed?: number;
  /** Whether the harness reports health checks (default: unless the scheduler simulates them itself). */
  readonly playHealth?: boolean;
}

const MAX_SETTLE_PASSES = 10_000;
const RESOURCE_KEYS = ['cpu', 'ramMb', 'diskMb', 'gpus'] as const;
/** States of a task asked to stop: its room is on its way back. */
const LEAVING_STATES = STOPPING_STATES;

/**
 * Drives a real scheduler through a manual clock, as the simulator would, for scenario tests:
 * `new Harness().hosts(aHost('h1'), ...).submit(aJob('www/prod/web').instances(4)).settle()`.
 */
export class Harness {
  readonly clock = new ManualClock();
  readonly scheduler: Scheduler;
  readonly events: TaskEvent[] = [];
  readonly preemptions: PreemptionRecord[] = [];
  readonly updateEvents: UpdateEvent[] = [];
  readonly maintenanceEvents: MaintenanceEvent[] = [];
  /** Every effect taken from the scheduler, in order. */
  readonly effects: Effect[] = [];
  /** Effects not yet carried out (autoRun false). */
  pendingEffects: Effect[] = [];
  private readonly autoRun: boolean;
  private readonly holdKills: boolean;
  private readonly playHealth: boolean;
  private readonly specs = new Map<string, HostSpec>();
  /** Tasks the harness's cluster runs; scheduled behaviour of a task no longer here is dropped. */
  private readonly alive = new Set<string>();
  /** Cluster-side happenings due later (health reports, simulated failures), by time then order. */
  private agenda: { at: number; seq: number; run: () => void }[] = [];
  private agendaSeq = 0;
  /** Task → host, for tasks holding a host according to the task event stream. */
  private readonly onHosts = new Map<string, string>();

  /** Every change the scheduler recorded, in order (the harness's persist hook keeps them). */
  readonly changes: Change[] = [];
  /** The shared driver loop: steps are taken, their changes kept, then their effects carried out. */
  readonly loop: DriverLoop;

  constructor(options: HarnessOptions = {}) {
    const { autoRun = true, holdKills = false, seed = 1, playHealth, ...rest } = options;
    this.autoRun = autoRun;
    this.holdKills = holdKills;
    this.playHealth = playHealth ?? rest.healthChecks !== 'simulated';
    this.scheduler = createScheduler({
      random: seededRandom(seed),
      recordChanges: true,
      ...rest,
      clock: this.clock,
    });
    this.loop = new DriverLoop({
      core: this.scheduler,
      persist: (step) => {
        for (const c of step.changes) this.changes.push(c);
      },
      carryOut: (effects) => this.takeEffects(effects),
    });
    this.scheduler.onTaskEvent((e) => {
      this.events.push(e);
      if (e.host !== undefined && ACTIVE_ON_HOST_STATES.has(e.state)) this.onHosts.set(e.taskId, e.host);
      else this.onHosts.delete(e.taskId);
    });
    this.scheduler.onPreemption((p) => this.preemptions.push(p));
    this.scheduler.onUpdateEvent((e) => this.updateEvents.push(e));
    this.scheduler.onMaintenanceEvent((e) => this.maintenanceEvents.push(e));
  }

  hosts(...hosts: (HostBuilder | HostSpec)[]): this {
    for (const h of hosts) {
      const spec = 'build' in h ? h.build() : h;
      this.specs.set(spec.id, spec);
      this.scheduler.addHost(spec);
    }
    return this;
  }

  /** Submits and settles; throws with the problems if the scheduler rejects the job. */
  submit(job: JobBuilder | JobConfig): string[] {
    const r = this.trySubmit(job);
    if (!r.ok) throw new Error(formatProblems(r.problems));
    return [...r.value.taskIds];
  }

  trySubmit(job: JobBuilder | JobConfig): Result<{ readonly taskIds: readonly string[] }> {
    const r = this.scheduler.submitJob('build' in job ? job.build() : job);
    this.settle();
    return r;
  }

  kill(job: string, instances?: readonly number[]): number {
    const r = this.scheduler.killJob(key(job), instances);
    if (!r.ok) throw new Error(formatProblems(r.problems));
    this.settle();
    return r.value.killed;
  }

  /** Reports a state for a task, as the agent would, and settles. */
  report(taskId: string, state: ReportedState, message?: string): this {
    this.scheduler.taskStatus(taskId, state, message);
    this.settle();
    return this;
  }

  /**
   * Runs the scheduler at the current time until it has nothing left to do now: ticks while a wake-up
   * is due, carrying out effects (autoRun) after each.
   */
  private takeEffects(effects: readonly Effect[]): void {
    this.effects.push(...effects);
    if (!this.autoRun) this.pendingEffects.push(...effects);
    else if (!this.holdKills) this.carryOut(effects);
    else {
      this.carryOut(effects.filter((e) => e.kind === 'launch'));
      this.pendingEffects.push(...effects.filter((e) => e.kind === 'kill'));
    }
  }

  settle(): this {
    for (let pass = 0; pass < MAX_SETTLE_PASSES; pass++) {
      if (this.loop.flushSync()) continue;
      const first = this.agenda[0];
      if (first && first.at <= this.clock.now()) {
        this.agenda.shift();
        first.run();
        continue;
      }
      const wake = this.scheduler.nextWakeup();
      if (wake === undefined || wake > this.clock.now()) return this;
      this.scheduler.tick();
    }
    throw new Error(`scheduler did not settle at t=${this.clock.now()}`);
  }

  /** Moves the clock forward by `ms`, settling at every wake-up on the way. */
  advance(ms: number): this {
    const target = this.clock.now() + ms;
    this.settle();
    for (;;) {
      const wake = this.scheduler.nextWakeup();
      const due = this.agenda[0]?.at;
      const next = wake === undefined ? due : due === undefined ? wake : Math.min(wake, due);
      if (next === undefined || next > target) break;
      this.clock.set(Math.max(this.clock.now(), next));
      this.settle();
    }
    this.clock.set(target);
    return this.settle();
  }

  /** Carries out effects the way a healthy cluster would. */
  carryOut(effects: readonly Effect[]): void {
    for (const e of effects) {
      if (e.kind === 'launch') {
        this.scheduler.taskStatus(e.taskId, 'STARTING');
        this.scheduler.taskStatus(e.taskId, 'RUNNING');
        this.alive.add(e.taskId);
        this.playBehaviour(e.taskId, e.config);
      } else if (e.kind === 'kill') {
        this.alive.delete(e.taskId);
        this.scheduler.taskStatus(e.taskId, 'KILLED');
      }
    }
  }

  private playBehaviour(taskId: string, config: TaskConfig): void {
    const plan = simulatedHealth(config.healthCheck, config.sim);
    const hasCheck = config.healthCheck !== undefined && this.playHealth;
    const healthyAt =
      plan.kind === 'healthy' ? plan.atMs : plan.kind === 'fails' ? plan.healthyAtMs : undefined;
    if (hasCheck && healthyAt !== undefined) {
      this.later(healthyAt, () => {
        if (this.alive.has(taskId)) this.scheduler.taskHealth(taskId, true);
      });
    }
    if (plan.kind === 'unhealthy' && hasCheck) {
      this.later(plan.atMs, () => {
        if (this.alive.has(taskId)) this.scheduler.taskHealth(taskId, false);
      });
    } else if (plan.kind === 'fails') {
      this.later(plan.atMs, () => {
        if (!this.alive.delete(taskId)) return;
        this.scheduler.taskStatus(taskId, 'FAILED', `simulated failure after ${plan.atMs} ms`);
      });
    }
  }

  private later(ms: number, run: () => void): void {
    const item = { at: this.clock.now() + ms, seq: this.agendaSeq++, run };
    let i = this.agenda.length;
    while (i > 0 && this.agenda[i - 1]!.at > item.at) i--;
    this.agenda.splice(i, 0, item);
  }

  /** Carries out the effects held back (autoRun false) and settles. */
  applyPending(): this {
    const effects = this.pendingEffects;
    this.pendingEffects = [];
    this.carryOut(effects);
    return this.settle();
  }

  /** holdKills: completes the first `count` held kills (all by default), in the order asked, and settles. */
  completeKills(count = this.pendingEffects.length): this {
    const done = this.pendingEffects.slice(0, count);
    this.pendingEffects = this.pendingEffects.slice(count);
    this.carryOut(done);
    return this.settle();
  }

  // --- queries --------------------------------------------------------------------------------

  tasks(job: string): TaskInfo[] {
    return this.scheduler.activeTasks(key(job)).map((id) => this.scheduler.task(id)!);
  }

  inState(job: string, state: TaskState): TaskInfo[] {
    return this.tasks(job).filter((t) => t.state === state);
  }

  running(job: string): TaskInfo[] {
    return this.inState(job, 'RUNNING');
  }

  /** Hosts of the job's tasks that hold a host, sorted. */
  hostsOf(job: string): string[] {
    return this.tasks(job)
      .flatMap((t) => (t.host !== undefined ? [t.host] : []))
      .sort();
  }

  spec(hostId: string): HostSpec {
    const spec = this.specs.get(hostId);
    if (!spec) throw new Error(`unknown host ${hostId}`);
    return spec;
  }

  /** Throws if any known host holds more than its capacity. */
  assertNoOvercommit(): void {
    for (const [id, spec] of this.specs) {
      const used = this.scheduler.hostAllocated(id);
      if (!used) continue;
      for (const r of ['cpu', 'ramMb', 'diskMb', 'gpus'] as const) {
        if (used[r] > spec.resources[r] + 1e-9) {
          throw new Error(`host ${id} over capacity: ${r} ${used[r]} > ${spec.resources[r]}`);
        }
      }
    }
  }

  /**
   * Checks every host against the tasks the scheduler has put there, recounted from the task event
   * stream rather than from the scheduler's books (as the simulator's audit does): the tasks holding
   * the host (ASSIGNED through PREEMPTING, victims still dying included) must fit its capacity, and
   * so must the tasks staying there (all but those on their way out) plus the room held for
   * preemptors waiting for their victims to leave. Throws, naming the host, if not.
   */
  assertTasksFit(): void {
    const held = new Map<string, { all: number[]; staying: number[] }>();
    const tally = (host: string) => {
      let t = held.get(host);
      if (!t) {
        t = { all: [0, 0, 0, 0], staying: [0, 0, 0, 0] };
        held.set(host, t);
      }
      return t;
    };
    for (const [taskId, host] of this.onHosts) {
      const task = this.scheduler.task(taskId);
      if (!task) throw new Error(`${taskId} holds ${host} but the scheduler does not know it`);
      const t = tally(host);
      const leaving = LEAVING_STATES.has(task.state);
      RESOURCE_KEYS.forEach((r, i) => {
        t.all[i]! += task.config.resources[r];
        if (!leaving) t.staying[i]! += task.config.resources[r];
      });
    }
    // A preemptor may have preempted more than once (its first host lost meanwhile): count it once.
    for (const preemptor of new Set(this.preemptions.map((p) => p.preemptor.task))) {
      const reservedHost = this.scheduler.explain(preemptor)?.reservedHost;
      const task = this.scheduler.task(preemptor);
      if (reservedHost === undefined || !task) continue;
      const t = tally(reservedHost);
      RESOURCE_KEYS.forEach((r, i) => {
        t.staying[i]! += task.config.resources[r];
      });
    }
    for (const [host, t] of held) {
      const cap = this.spec(host).resources;
      RESOURCE_KEYS.forEach((r, i) => {
        if (t.all[i]! > cap[r] + 1e-9) {
          throw new Error(`t=${this.clock.now()}: tasks on ${host} hold ${r} ${t.all[i]} > ${cap[r]}`);
        }
        if (t.staying[i]! > cap[r] + 1e-9) {
          throw new Error(
            `t=${this.clock.now()}: tasks staying on ${host} plus reservations hold ${r} ${t.staying[i]} > ${cap[r]}`,
          );
        }
      });
    }
  }

  allocated(hostId: string): Resources {
    const r = this.scheduler.hostAllocated(hostId);
    if (!r) throw new Error(`unknown host ${hostId}`);
    return r;
  }
}

function key(job: string): JobKey {
  const k = parseJobKey(job);
  if (!k.ok) throw new Error(formatProblems(k.problems));
  return k.value;
}
