import type { ThrottlePolicy } from '../lifecycle/throttle.js';
import type { LifecycleEvent, TransitionContext, TransitionResult } from '../lifecycle/transition.js';
import { transition } from '../lifecycle/transition.js';
import { STATE_COUNT, STATE_INDEX } from '../lifecycle/transitions.js';
import type { Clock, RandomSource } from '../model/clock.js';
import type { JobConfig } from '../model/job.js';
import { formatJobKey, type JobKey } from '../model/job-key.js';
import type { TaskConfig } from '../model/task-config.js';
import { ACTIVE_ON_HOST_STATES, TASK_STATES, type TaskState } from '../model/task-state.js';
import type { JobKind } from '../model/tier.js';
import { EventLog } from './event-log.js';
import { type IdGenerator, sequentialIds } from './ids.js';
import { SlotGroups } from './slot-groups.js';
import { MutableTaskRecord, type TaskRecord } from './task-record.js';

export interface TaskStoreOptions {
  readonly clock: Clock;
  /** Seeded; used by `sample`. */
  readonly random: RandomSource;
  /** Default: `sequentialIds()`. */
  readonly ids?: IdGenerator;
  readonly throttle?: ThrottlePolicy;
  /** Keep every task's event history (`events(id)`); listeners hear events either way. Default true. */
  readonly keepEvents?: boolean;
  /** Expected number of live tasks, to size the indexes up front. */
  readonly initialCapacity?: number;
}

export interface NewTask {
  readonly job: JobKey;
  readonly kind: JobKind;
  readonly instance: number;
  /** Stored by reference: pass the same object for every instance of a job. */
  readonly config: TaskConfig;
}

export interface AddOptions {
  /** Default PENDING. */
  readonly state?: 'PENDING' | 'THROTTLED';
  /** For THROTTLED: how long until it may become PENDING. */
  readonly delayMs?: number;
  readonly message?: string;
  readonly ancestorId?: string;
  readonly failureCount?: number;
  readonly consecutiveFlaps?: number;
}

export interface TransitionUpdate {
  /** Required when a task is assigned (PENDING → ASSIGNED). */
  readonly host?: string;
  readonly ports?: Readonly<Record<string, number>>;
  readonly message?: string;
}

export interface StoreTransition extends TransitionResult {
  /** The task (after the change); undefined when the id is unknown (then `from` is DELETED). */
  readonly task: TaskRecord | undefined;
  /** The new run of the instance, when the transition rescheduled the task. */
  readonly replacement: TaskRecord | undefined;
}

/** A task as durable storage gave it back, to put into an empty store at its state (`restore`). */
export interface RestoredTask {
  readonly taskId: string;
  readonly kind: JobKind;
  readonly instance: number;
  readonly config: TaskConfig;
  readonly state: TaskState;
  readonly stateSince: number;
  readonly host?: string;
  readonly ports?: Readonly<Record<string, number>>;
  readonly failures: number;
  readonly consecutiveFlaps: number;
  readonly ancestorId?: string;
  readonly runningSince?: number;
  readonly notBefore?: number;
  readonly userKill?: boolean;
  readonly beforePartition?: TaskState;
}

export type TaskEventListener = (task: TaskRecord, event: LifecycleEvent) => void;

const NO_OPTIONS: AddOptions = {};

/** The states a task ends in (terminal but not yet DELETED), by state index. */
const ENDED = new Uint8Array(STATE_COUNT);
for (const s of ['FINISHED', 'FAILED', 'KILLED', 'LOST'] as const) ENDED[STATE_INDEX[s]] = 1;

/** ACTIVE_ON_HOST_STATES by state index: one array read instead of a set lookup per transition. */
const ON_HOST = new Uint8Array(STATE_COUNT);
for (const s of ACTIVE_ON_HOST_STATES) ON_HOST[STATE_INDEX[s]] = 1;

function withTask(
  result: TransitionResult,
  task: TaskRecord,
  replacement: TaskRecord | undefined,
): StoreTransition {
  const { from, next, effects, event } = result;
  return { result: result.result, from, next, effects, event, task, replacement };
}

interface JobEntry {
  readonly key: string;
  /** The part of the key before its first '/', as `roleOf(key)` gives it; one string per job. */
  readonly role: string;
  readonly jobKey: JobKey;
  readonly group: number;
}

/**
 * All tasks, in memory, indexed by id, state, job and host (see README.md). Every change goes
 * through `add` and `transition`, which run the lifecycle, keep the indexes in step, record the
 * event and carry out the bookkeeping effects (failure count, reschedule, delete). The cluster
 * effects (launch, kill) are returned for the caller.
 */
export class TaskStore {
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly ids: IdGenerator;
  private readonly byId = new Map<string, MutableTaskRecord>();
  private readonly bySlot: (MutableTaskRecord | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  /** Group i holds the tasks in TASK_STATES[i]. */
  private readonly states: SlotGroups;
  private readonly jobGroups: SlotGroups;
  /** Only tasks holding resources on a host (ACTIVE_ON_HOST_STATES). */
  private readonly hostGroups: SlotGroups;
  private readonly jobIndex = new Map<string, JobEntry>();
  private readonly hostIndex = new Map<string, number>();
  private readonly log: EventLog | undefined;
  private readonly listeners: TaskEventListener[] = [];
  private readonly throttle: ThrottlePolicy | undefined;

  constructor(options: TaskStoreOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.ids = options.ids ?? sequentialIds();
    this.throttle = options.throttle;
    this.log = options.keepEvents === false ? undefined : new EventLog();
    const capacity = Math.max(1024, options.initialCapacity ?? 0);
    this.states = new SlotGroups(capacity);
    for (let i = 0; i < STATE_COUNT; i++) this.states.addGroup();
    this.jobGroups = new SlotGroups(capacity);
    this.hostGroups = new SlotGroups(capacity);
  }

  // --- mutation ------------------------------------------------------------------------------

  /** Creates a task (INIT → PENDING, or THROTTLED with `delayMs`). */
  add(task: NewTask, options: AddOptions = NO_OPTIONS): TaskRecord {
    return this.create(
      this.jobEntry(task.job),
      task.kind,
      task.instance,
      task.config,
      options.state ?? 'PENDING',
      options.delayMs ?? 0,
      options.message,
      options.ancestorId,
      options.failureCount ?? 0,
      options.consecutiveFlaps ?? 0,
    );
  }

  /** Creates instances 0 … instances-1 of a job, all sharing its task config. */
  addJob(job: JobConfig, message?: string): TaskRecord[] {
    // One job-key lookup for the whole job: a google-2011 day adds 1.04M tasks in ~30k jobs.
    const entry = this.jobEntry(job.key);
    const tasks: TaskRecord[] = new Array(job.instances);
    for (let instance = 0; instance < job.instances; instance++) {
      tasks[instance] = this.create(
        entry,
        job.kind,
        instance,
        job.task,
        'PENDING',
        0,
        message,
        undefined,
        0,
        0,
      );
    }
    return tasks;
  }

  /**
   * Moves a task towards `to` (a reported status or a scheduler decision) through the lifecycle.
   * A status for an unknown task is judged as for a DELETED one: a report that it runs earns a kill.
   */
  transition(taskId: string, to: TaskState, update?: TransitionUpdate): StoreTransition {
    const task = this.byId.get(taskId);
    if (task !== undefined) return this.apply(task, to, update?.host, update?.ports, update?.message);
    const context = { kind: 'adhoc', failureCount: 0, maxTaskFailures: 0, now: this.clock.now() } as const;
    return { ...transition('DELETED', to, context), task: undefined, replacement: undefined };
  }

  /**
   * `transition(task.id, to, update)` for a record this store handed out, without looking the id up
   * (the scheduler has the record in hand when it places a task or kills one it listed). A record
   * that is no longer live goes through `transition`, which judges it by its id.
   */
  transitionTask(task: TaskRecord, to: TaskState, update?: TransitionUpdate): StoreTransition {
    const live = this.bySlot[task.slot];
    if (live !== task || live === undefined) return this.transition(task.id, to, update);
    return this.apply(live, to, update?.host, update?.ports, update?.message);
  }

  /**
   * Deletes a task that has ended (FINISHED, FAILED, KILLED or LOST) at once: what
   * `transition(id, 'DELETED')` does, without running the lifecycle, recording the event or telling
   * the listeners. For an owner that forgets every task as it ends and has nothing to learn from
   * its DELETED event (the scheduler: a million such transitions in a google-2011 day). Returns
   * false, changing nothing, for an unknown task or one that has not ended.
   */
  prune(taskId: string): boolean {
    const task = this.byId.get(taskId);
    return task !== undefined && this.pruneLive(task);
  }

  /** `prune(task.id)` for a record in hand, without looking the id up; false if it is not live. */
  pruneTask(task: TaskRecord): boolean {
    const live = this.bySlot[task.slot];
    return live === task && live !== undefined && this.pruneLive(live);
  }

  /**
   * Puts a task back at the state storage recorded, without running the lifecycle, telling the
   * listeners or issuing an id (recovery: the caller rebuilds its own indexes from the record).
   */
  restore(t: RestoredTask, job: JobKey): TaskRecord {
    if (ENDED[STATE_INDEX[t.state]] === 1 || t.state === 'INIT' || t.state === 'DELETED')
      throw new Error(`task ${t.taskId}: a ${t.state} task is not restored`);
    const entry = this.jobEntry(job);
    const slot = this.freeSlots.pop() ?? this.bySlot.length;
    const record = new MutableTaskRecord(
      t.taskId,
      slot,
      entry.key,
      entry.role,
      entry.jobKey,
      t.kind,
      t.instance,
      t.config,
      t.stateSince,
    );
    const live = this.byId.size;
    this.byId.set(t.taskId, record);
    if (this.byId.size === live) this.refuseId(record, slot);
    record.state = t.state;
    record.host = t.host;
    record.ports = t.ports;
    record.failureCount = t.failures;
    record.consecutiveFlaps = t.consecutiveFlaps;
    record.ancestorId = t.ancestorId;
    record.runningSince = t.runningSince;
    record.notBefore = t.notBefore ?? 0;
    record.userKill = t.userKill === true;
    record.beforePartition = t.beforePartition;
    this.bySlot[slot] = record;
    this.jobGroups.add(slot, entry.group);
    const s = STATE_INDEX[t.state];
    this.states.move(slot, s);
    if (ON_HOST[s] === 1) {
      if (t.host === undefined) throw new Error(`task ${t.taskId}: ${t.state} without a host`);
      this.hostGroups.add(slot, this.hostGroup(t.host));
    }
    return record;
  }

  /** THROTTLED tasks whose wait is over become PENDING. */
  releaseThrottled(): StoreTransition[] {
    const now = this.clock.now();
    const released: StoreTransition[] = [];
    for (const slot of this.states.snapshot(STATE_INDEX.THROTTLED)) {
      const task = this.bySlot[slot]!;
      if (task.notBefore <= now) {
        released.push(this.apply(task, 'PENDING', undefined, undefined, 'throttle expired'));
      }
    }
    return released;
  }

  onEvent(listener: TaskEventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i !== -1) this.listeners.splice(i, 1);
    };
  }

  // --- queries -------------------------------------------------------------------------------

  get(taskId: string): TaskRecord | undefined {
    return this.byId.get(taskId);
  }

  /** Live (not deleted) tasks. */
  get size(): number {
    return this.byId.size;
  }

  /** One more than the highest slot ever used: the length for per-slot side tables. */
  get capacity(): number {
    return this.bySlot.length;
  }

  bySlotIndex(slot: number): TaskRecord | undefined {
    return this.bySlot[slot];
  }

  count(state: TaskState): number {
    return this.states.size(STATE_INDEX[state]);
  }

  /** Counts per state, every state present. */
  counts(): Record<TaskState, number> {
    const counts = {} as Record<TaskState, number>;
    for (const s of TASK_STATES) counts[s] = this.count(s);
    return counts;
  }

  inState(state: TaskState): TaskRecord[] {
    return this.collect(this.states, STATE_INDEX[state]);
  }

  /** Visits the tasks in a state as they were when the call began; `visit` may change them. */
  forEachInState(state: TaskState, visit: (task: TaskRecord) => void): void {
    for (const slot of this.states.snapshot(STATE_INDEX[state])) {
      const task = this.bySlot[slot];
      if (task !== undefined) visit(task);
    }
  }

  /** A task in this state chosen by the seeded random source, if there is any. */
  sample(state: TaskState): TaskRecord | undefined {
    const group = STATE_INDEX[state];
    const size = this.states.size(group);
    if (size === 0) return undefined;
    return this.bySlot[this.states.member(group, Math.floor(this.random() * size))];
  }

  /** Every task of the job not yet deleted, all runs of all instances. */
  ofJob(job: string | JobKey): TaskRecord[] {
    const entry = this.jobIndex.get(typeof job === 'string' ? job : formatJobKey(job));
    return entry === undefined ? [] : this.collect(this.jobGroups, entry.group);
  }

  countOfJob(job: string | JobKey): number {
    const entry = this.jobIndex.get(typeof job === 'string' ? job : formatJobKey(job));
    return entry === undefined ? 0 : this.jobGroups.size(entry.group);
  }

  /** Tasks holding resources on the host: ASSIGNED through PARTITIONED, not the ended ones. */
  onHost(host: string): TaskRecord[] {
    const group = this.hostIndex.get(host);
    return group === undefined ? [] : this.collect(this.hostGroups, group);
  }

  countOnHost(host: string): number {
    const group = this.hostIndex.get(host);
    return group === undefined ? 0 : this.hostGroups.size(group);
  }

  /** Jobs with at least one task, in order of first appearance. */
  jobs(): string[] {
    return [...this.jobIndex.values()].filter((j) => this.jobGroups.size(j.group) > 0).map((j) => j.key);
  }

  /** Hosts with at least one task on them, in order of first use. */
  hosts(): string[] {
    return [...this.hostIndex].filter(([, group]) => this.hostGroups.size(group) > 0).map(([host]) => host);
  }

  /** Every live task, in slot order. */
  *all(): IterableIterator<TaskRecord> {
    for (const task of this.bySlot) if (task !== undefined) yield task;
  }

  /** The task's transitions, oldest first; empty when events are not kept or the task is unknown. */
  events(taskId: string): LifecycleEvent[] {
    const task = this.byId.get(taskId);
    return task === undefined || this.log === undefined ? [] : this.log.events(task.slot);
  }

  /** The earliest time a THROTTLED task may be released, if any is throttled. */
  nextThrottleRelease(): number | undefined {
    let earliest: number | undefined;
    for (const slot of this.states.snapshot(STATE_INDEX.THROTTLED)) {
      const t = this.bySlot[slot]!.notBefore;
      if (earliest === undefined || t < earliest) earliest = t;
    }
    return earliest;
  }

  // --- internals -----------------------------------------------------------------------------

  /** Adds a task to a job (positional, not an options object: this runs once per task). */
  private create(
    job: JobEntry,
    kind: JobKind,
    instance: number,
    config: TaskConfig,
    state: 'PENDING' | 'THROTTLED',
    delayMs: number,
    message: string | undefined,
    ancestorId: string | undefined,
    failureCount: number,
    consecutiveFlaps: number,
  ): MutableTaskRecord {
    const now = this.clock.now();
    const id = this.ids(job.jobKey, instance);
    const slot = this.freeSlots.pop() ?? this.bySlot.length;
    const record = new MutableTaskRecord(
      id,
      slot,
      job.key,
      job.role,
      job.jobKey,
      kind,
      instance,
      config,
      now,
    );
    // One hash probe per task instead of has + set: an id already in use leaves the size as it was.
    const live = this.byId.size;
    this.byId.set(id, record);
    if (this.byId.size === live) this.refuseId(record, slot);
    if (ancestorId !== undefined) record.ancestorId = ancestorId;
    record.failureCount = failureCount;
    record.consecutiveFlaps = consecutiveFlaps;
    this.bySlot[slot] = record;
    this.jobGroups.add(slot, job.group);
    // Not added to INIT's group: apply's move puts the slot straight into its first state (a task
    // is INIT only within this call, and INIT → PENDING/THROTTLED always succeeds).
    if (state === 'THROTTLED') record.notBefore = now + delayMs;
    this.apply(record, state, undefined, undefined, message);
    return record;
  }

  private apply(
    task: MutableTaskRecord,
    to: TaskState,
    host: string | undefined,
    ports: Readonly<Record<string, number>> | undefined,
    message: string | undefined,
  ): StoreTransition {
    const now = this.clock.now();
    // A fresh literal: a reused context object measured no faster (it lives in old space, and
    // writing young values such as messages into it costs write barriers).
    const context: TransitionContext = {
      kind: task.kind,
      failureCount: task.failureCount,
      maxTaskFailures: task.config.maxTaskFailures,
      now,
      runningSince: task.runningSince,
      consecutiveFlaps: task.consecutiveFlaps,
      userKill: task.userKill,
      beforePartition: task.beforePartition,
      message,
      throttle: this.throttle,
    };
    const result = transition(task.state, to, context);
    if (result.result !== 'success') return withTask(result, task, undefined);

    const from = task.state;
    const next = result.next;
    if (from === 'PENDING' && next === 'ASSIGNED') {
      if (host === undefined) throw new Error(`assigning task ${task.id} needs a host`);
      task.host = host;
      task.ports = ports;
    }
    task.state = next;
    task.stateSince = now;
    const nextIndex = STATE_INDEX[next];
    this.states.move(task.slot, nextIndex);
    const wasOnHost = ON_HOST[STATE_INDEX[from]] === 1;
    const isOnHost = ON_HOST[nextIndex] === 1;
    if (!wasOnHost && isOnHost) this.hostGroups.add(task.slot, this.hostGroup(task.host!));
    else if (wasOnHost && !isOnHost) this.hostGroups.remove(task.slot);
    if (next === 'RUNNING' && task.runningSince === undefined) task.runningSince = now;
    if (next === 'KILLING') task.userKill = true;
    if (next === 'PARTITIONED') task.beforePartition = from;
    else if (from === 'PARTITIONED') task.beforePartition = undefined;
    if (next !== 'THROTTLED') task.notBefore = 0;

    const event = result.event!;
    this.log?.append(task.slot, event.time, nextIndex, event.message);
    // Indexed loops: this runs per transition, and for-of left iterator objects behind here.
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(task, event);

    let replacement: TaskRecord | undefined;
    const effects = result.effects;
    for (let i = 0; i < effects.length; i++) {
      const effect = effects[i]!;
      if (effect.kind === 'incrementFailures') task.failureCount++;
      else if (effect.kind === 'reschedule') {
        replacement = this.create(
          this.jobIndex.get(task.job)!,
          task.kind,
          task.instance,
          task.config,
          effect.state,
          effect.delayMs,
          `rescheduled from ${task.id}`,
          task.id,
          task.failureCount,
          effect.consecutiveFlaps,
        );
      } else if (effect.kind === 'delete') this.remove(task);
      // save, launch and kill are for the caller: durable storage and the cluster.
    }
    return withTask(result, task, replacement);
  }

  /** `create` found its id in use: put the task that holds it back, give up the slot, and throw. */
  private refuseId(record: MutableTaskRecord, slot: number): never {
    for (const held of this.bySlot) {
      if (held !== undefined && held.id === record.id) this.byId.set(held.id, held);
    }
    this.freeSlots.push(slot);
    throw new Error(`task id ${record.id} is already in use`);
  }

  private pruneLive(task: MutableTaskRecord): boolean {
    if (ENDED[STATE_INDEX[task.state]] !== 1) return false;
    task.stateSince = this.clock.now();
    this.remove(task);
    return true;
  }

  private remove(task: MutableTaskRecord): void {
    this.states.remove(task.slot);
    this.jobGroups.remove(task.slot);
    this.hostGroups.remove(task.slot);
    this.byId.delete(task.id);
    this.bySlot[task.slot] = undefined;
    this.freeSlots.push(task.slot);
    this.log?.forget(task.slot);
    task.state = 'DELETED';
  }

  private jobEntry(jobKey: JobKey): JobEntry {
    const key = formatJobKey(jobKey);
    let entry = this.jobIndex.get(key);
    if (entry === undefined) {
      const { role, environment, name } = jobKey;
      entry = {
        key,
        role: key.slice(0, key.indexOf('/')),
        jobKey: { role, environment, name },
        group: this.jobGroups.addGroup(),
      };
      this.jobIndex.set(key, entry);
    }
    return entry;
  }

  private hostGroup(host: string): number {
    let group = this.hostIndex.get(host);
    if (group === undefined) {
      group = this.hostGroups.addGroup();
      this.hostIndex.set(host, group);
    }
    return group;
  }

  private collect(groups: SlotGroups, group: number): TaskRecord[] {
    const size = groups.size(group);
    const out: TaskRecord[] = new Array(size);
    for (let i = 0; i < size; i++) out[i] = this.bySlot[groups.member(group, i)]!;
    return out;
  }
}
