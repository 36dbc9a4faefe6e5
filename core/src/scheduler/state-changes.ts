import { simulatedHealth } from '../health/health-timeline.js';
import type { HealthTracker } from '../health/health-tracker.js';
import type { LifecycleEvent } from '../lifecycle/transition.js';
import { LEGAL_TRANSITIONS, STATE_COUNT, STATE_INDEX } from '../lifecycle/transitions.js';
import type { TaskConfig } from '../model/task-config.js';
import { ACTIVE_ON_HOST_STATES, type TaskState, TERMINAL_STATES } from '../model/task-state.js';
import type { HostInventory } from '../placement/inventory/host-inventory.js';
import type { Slot } from '../placement/inventory/slot.js';
import { demandVector, type PreemptionIndex } from '../preemption/preemption-index.js';
import type { PendingQueue } from '../queue/pending-queue.js';
import type { QuotaLedger } from '../quota/quota-ledger.js';
import { consumesQuota } from '../quota/quota-scope.js';
import type { TaskRecord } from '../store/task-record.js';
import type { StoreTransition, TaskStore, TransitionUpdate } from '../store/task-store.js';
import type { UpdateDriver } from '../update/update-driver.js';
import type { AllocationLedger } from './allocation-ledger.js';
import type { Effect, KillReason, TaskEvent } from './api.js';
import type { ChangeRecorder } from './changes.js';
import type { InstanceIndex } from './instance-index.js';
import type { Reservation, Reservations } from './reservations.js';
import type { SchedulerParts, Settings } from './scheduler-parts.js';
import type { TaskColumns } from './task-columns.js';
import type { TimerQueue } from './timer-queue.js';

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

/** What other parts of the scheduler do when a transition calls for it (run deferred, in order). */
export interface StateChangeHooks {
  /** A preemption victim left host h: its preemptors may take the room (PreemptionDriver). */
  settleReservations(h: number): void;
  /** A task left host h: a draining host may now be empty (HostLifecycle). */
  finishDrainIfEmpty(h: number): void;
  /** The holder of a reservation is gone (PreemptionDriver). */
  dropReservation(r: Reservation, requeue: boolean): void;
  /** A task of a cron job waiting for its previous run to end is gone (JobOperations). */
  startAwaitedCronRun(job: string): void;
}

/**
 * Every task state change goes through `apply`: the store runs the lifecycle, and its event
 * listener (`onStoreEvent`) keeps the queue, quota, host room, instance and health indexes, update
 * runs and reservations in step, so no path can forget one of them. Cluster effects (launch, kill)
 * become facade effects, collected for `takeEffects`; facade task events go to the listeners.
 */
export class StateChanges {
  private readonly clock: SchedulerParts['clock'];
  private readonly settings: Settings;
  private readonly store: TaskStore;
  private readonly inventory: HostInventory;
  private readonly room: PreemptionIndex;
  private readonly queue: PendingQueue;
  private readonly quotas: QuotaLedger;
  private readonly allocation: AllocationLedger;
  private readonly reservations: Reservations;
  private readonly timers: TimerQueue;
  private readonly instances: InstanceIndex;
  private readonly health: HealthTracker;
  private readonly cronAwaiting: Set<string>;
  private readonly slaDelayed: Set<string>;
  private readonly columns: TaskColumns;
  private readonly ended: Record<TaskState, number>;
  private readonly deferred: (() => void)[];
  private readonly recorder: ChangeRecorder;
  private effects: Effect[] = [];
  private readonly taskListeners: ((e: TaskEvent) => void)[] = [];
  private readonly demands = new WeakMap<TaskConfig, Float64Array>();
  /** The last config demandOf answered for: a group's tasks are placed one after another. */
  private lastDemandConfig: TaskConfig | undefined;
  private lastDemand: Float64Array | undefined;

  constructor(
    parts: SchedulerParts,
    private readonly updates: UpdateDriver,
    private readonly hooks: StateChangeHooks,
  ) {
    this.clock = parts.clock;
    this.settings = parts.settings;
    this.store = parts.store;
    this.inventory = parts.inventory;
    this.room = parts.room;
    this.queue = parts.queue;
    this.quotas = parts.quotas;
    this.allocation = parts.allocation;
    this.reservations = parts.reservations;
    this.timers = parts.timers;
    this.instances = parts.instances;
    this.health = parts.health;
    this.cronAwaiting = parts.cronAwaiting;
    this.slaDelayed = parts.slaDelayed;
    this.columns = parts.columns;
    this.ended = parts.ended;
    this.deferred = parts.deferred;
    this.recorder = parts.recorder;
    this.store.onEvent((task, event) => this.onStoreEvent(task, event));
  }

  onTaskEvent(listener: (event: TaskEvent) => void): void {
    this.taskListeners.push(listener);
  }

  /** The facade effects collected since the last call. */
  takeEffects(): Effect[] {
    const out = this.effects;
    this.effects = [];
    return out;
  }

  /**
   * Every transition goes through here: the store runs the lifecycle (its listener keeps our
   * indexes in step), then cluster effects become facade effects and ended tasks are pruned.
   */
  apply(
    taskId: string,
    to: TaskState,
    update: TransitionUpdate | undefined,
    killReason: KillReason = 'user',
    preemptor?: string,
  ): StoreTransition {
    return this.carryOut(taskId, this.store.transition(taskId, to, update), killReason, preemptor);
  }

  /** `apply(task.id, …)` for a task record in hand (placing, killing): no store lookup by id. */
  applyTo(
    task: TaskRecord,
    to: TaskState,
    update: TransitionUpdate | undefined,
    killReason: KillReason = 'user',
  ): StoreTransition {
    return this.carryOut(task.id, this.store.transitionTask(task, to, update), killReason, undefined);
  }

  /** Cluster effects to facade effects, ended tasks pruned, deferred work run. */
  private carryOut(
    taskId: string,
    result: StoreTransition,
    killReason: KillReason,
    preemptor: string | undefined,
  ): StoreTransition {
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
        // Two literals rather than a conditional spread, which clones through a slow path.
        this.effects.push(
          preemptor === undefined
            ? { kind: 'kill', taskId, host: task.host, reason }
            : { kind: 'kill', taskId, host: task.host, reason, preemptor },
        );
      }
    }
    if (result.result === 'success' && task && isTerminal(task.state) && task.state !== 'DELETED') {
      // Ended tasks leave the store at once: a million-task run keeps only the live ones. Pruned
      // without a DELETED transition: nothing here needs to hear about it.
      this.store.pruneTask(task);
    }
    this.runDeferred();
    return result;
  }

  /** An effect decided outside a transition (kill of an unknown task, reconcile request). */
  pushEffect(effect: Effect): void {
    this.effects.push(effect);
  }

  runDeferred(): void {
    while (this.deferred.length > 0) this.deferred.shift()!();
  }

  private onStoreEvent(task: TaskRecord, event: LifecycleEvent): void {
    const state = event.state;
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
    if (entering && consumesQuota(c) && !columns.holdsQuota(slot)) {
      columns.setQuota(slot, true);
      this.quotas.consume(task.role, c.resources);
    }
    const h = columns.hostOf(slot);
    if (h >= 0 && ON_HOST[s] === 0) this.leaveHost(task, h);
    // Gone: ended, or killed before it was ever placed (the store then deletes it).
    const gone = TERMINAL[s] === 1 || (state === 'KILLING' && h < 0);
    if (gone) {
      this.instances.remove(task.job, task.instance, id);
      this.health.gone(slot);
      if (this.slaDelayed.size > 0) this.slaDelayed.delete(id);
      if (this.cronAwaiting.size > 0 && this.cronAwaiting.has(task.job)) {
        this.deferred.push(() => this.hooks.startAwaitedCronRun(task.job));
      }
    } else {
      // A task's first event is PENDING or THROTTLED and it stays indexed until it is gone.
      if (entering) this.instances.add(task.job, task.instance, id);
      if (state === 'RUNNING') {
        this.health.running(slot, c.healthCheck !== undefined, event.time);
        if (this.settings.simulatedHealth && c.healthCheck) this.playHealth(id, c, event.time);
      } else if (AFTER_RUNNING[s] === 1) this.health.notRunning(slot);
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
        if (held) this.deferred.push(() => this.hooks.dropReservation(held, false));
        // The victim's host is settled when it leaves the host (leaveHost).
        this.reservations.victimGone(id);
      }
    }
    if (this.recorder.on) {
      if (gone) this.recorder.taskGone(task);
      else this.recorder.task(task, event.message);
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

  /**
   * Recovery: rebuilds what the store listener would have built for a task restored at its state
   * (queue, quota, instance index, host room with its recorded ports, timers, health). Emits no
   * event and no effect: the cluster already runs what the task's state says.
   */
  adopt(task: TaskRecord, healthySince: number | undefined): void {
    const { id, slot, state } = task;
    const c = task.config;
    if (state === 'PENDING') this.queue.add(id, task.instance, task.job, task.role, c, task.stateSince);
    else if (state === 'THROTTLED') this.timers.set(task.notBefore, 'unthrottle', id);
    if (consumesQuota(c)) {
      this.columns.setQuota(slot, true);
      this.quotas.consume(task.role, c.resources);
    }
    this.instances.add(task.job, task.instance, id);
    if (ON_HOST[STATE_INDEX[state]] === 1) {
      const h = this.inventory.indexOf(task.host!);
      if (h < 0) throw new Error(`task ${id}: ${state} on unknown host ${task.host}`);
      const placed = this.inventory.allocate(
        h,
        {
          taskId: id,
          job: task.job,
          tier: c.tier,
          priority: c.priority,
          resources: c.resources,
          portNames: c.ports,
        },
        task.ports ?? {},
      );
      this.hold(task, h, placed);
      if (state === 'PREEMPTING') this.room.markPreempting(id);
      // A partition's clock runs from when it began, as it did before the restore.
      else if (state === 'PARTITIONED')
        this.timers.set(task.stateSince + this.settings.partitionDelayMs, 'partition', id);
    }
    if (state === 'RUNNING') {
      const hasCheck = c.healthCheck !== undefined;
      this.health.running(slot, hasCheck, healthySince ?? task.stateSince);
      if (hasCheck && healthySince !== undefined) this.health.passed(id, healthySince);
    }
  }

  /**
   * Accounts a task that the inventory just allocated on host h (in `placed`, kept to release it by
   * slot when it leaves); returns the task's store record.
   */
  onHost(taskId: string, h: number, placed: Slot): TaskRecord {
    const t = this.store.get(taskId)!;
    this.hold(t, h, placed);
    return t;
  }

  private hold(t: TaskRecord, h: number, placed: Slot): void {
    const c = t.config;
    this.room.add({
      taskId: t.id,
      job: t.job,
      role: t.role,
      tier: c.tier,
      priority: c.priority,
      demand: this.demandOf(c),
      host: h,
    });
    this.columns.setHost(t.slot, h, placed);
    this.allocation.hold(t.role, c.tier, c.resources, 1);
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

  private leaveHost(task: TaskRecord, h: number): void {
    const victim = this.room.remove(task.id)?.preempting === true;
    const placed = this.columns.clearHost(task.slot);
    // A victim's room is free now: the preemptors waiting on the host may take it, and the stand-ins
    // grow to hold what the victim held for them.
    if (victim) this.deferred.push(() => this.hooks.settleReservations(h));
    if (placed !== undefined) this.inventory.releaseSlot(placed);
    this.allocation.hold(task.role, task.config.tier, task.config.resources, -1);
    // Only a draining host can finish draining; the deferred check would do nothing on any other
    // (a host starting to drain later checks itself, in drainPass). Saves a closure per departure.
    if (this.inventory.maintenanceOf(h) === 'DRAINING')
      this.deferred.push(() => this.hooks.finishDrainIfEmpty(h));
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
