import type { TaskConfig } from '../model/task-config.js';
import { type BackoffSettings, nextPenalty } from './backoff.js';
import { BinaryHeap } from './binary-heap.js';
import type { QueueOrder, QueueOrderContext } from './queue-order.js';
import { QueueRound } from './queue-round.js';
import { type PendingTask, TaskGroup } from './task-group.js';

interface Wakeup {
  readonly at: number;
  readonly seq: number;
  readonly group: TaskGroup;
}

/**
 * PENDING tasks, grouped by job and TaskConfig identity (the same object: a job's instances share
 * one config; an update brings a new one). A group is either ready or waiting out its retry
 * penalty in a heap, so a round touches only ready groups and the next wake-up is the heap's top.
 */
export class PendingQueue {
  private readonly groups = new Map<string, TaskGroup>();
  private readonly byTask = new Map<string, TaskGroup>();
  private readonly byJob = new Map<string, Set<TaskGroup>>();
  private readonly ready = new Set<TaskGroup>();
  private readonly waiting = new BinaryHeap<Wakeup>(
    (a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq),
  );
  private readonly configIds = new WeakMap<TaskConfig, number>();
  private nextConfigId = 0;
  private nextSeq = 0;
  private pendingTasks = 0;
  private lastAdded: TaskGroup | undefined;

  constructor(private readonly backoff: BackoffSettings) {}

  /** Number of pending tasks. */
  get size(): number {
    return this.pendingTasks;
  }

  /** `since`: when the task became pending, if before now (a task whose reservation fell through). */
  add(
    taskId: string,
    instance: number,
    job: string,
    role: string,
    config: TaskConfig,
    now: number,
    since = now,
  ): TaskGroup {
    if (this.byTask.has(taskId)) throw new Error(`task ${taskId} is already pending`);
    // A job's tasks arrive one after another: reuse the last group while it still exists (a group
    // is dropped only when emptied, so a non-empty one is current) instead of building its key.
    let group = this.lastAdded;
    if (group === undefined || group.size === 0 || group.config !== config || group.job !== job) {
      group = this.groupFor(job, role, config, now);
    }
    this.lastAdded = group;
    const task: PendingTask = { taskId, instance, since };
    group.tasks.set(taskId, task);
    this.byTask.set(taskId, group);
    this.pendingTasks++;
    return group;
  }

  /** Takes a task out (placed, killed, throttled); an emptied group disappears. */
  remove(taskId: string): TaskGroup | undefined {
    const group = this.byTask.get(taskId);
    if (!group) return undefined;
    this.byTask.delete(taskId);
    group.tasks.delete(taskId);
    this.pendingTasks--;
    if (group.size === 0) {
      this.groups.delete(group.key);
      this.ready.delete(group);
      const jobGroups = this.byJob.get(group.job)!;
      jobGroups.delete(group);
      if (jobGroups.size === 0) this.byJob.delete(group.job);
    }
    return group;
  }

  groupOf(taskId: string): TaskGroup | undefined {
    return this.byTask.get(taskId);
  }

  has(taskId: string): boolean {
    return this.byTask.has(taskId);
  }

  /** Groups whose penalty ran out by `now` become ready. */
  release(now: number): void {
    for (let top = this.waiting.peek(); top && top.at <= now; top = this.waiting.peek()) {
      this.waiting.pop();
      if (this.isCurrent(top)) {
        top.group.waiting = false;
        this.ready.add(top.group);
      }
    }
  }

  /** When the earliest waiting group becomes ready, if any group waits. */
  nextReadyAt(): number | undefined {
    for (let top = this.waiting.peek(); top; top = this.waiting.peek()) {
      if (this.isCurrent(top)) return top.at;
      this.waiting.pop();
    }
    return undefined;
  }

  hasReady(): boolean {
    return this.ready.size > 0;
  }

  /** The ready groups in queue order, for one scheduling round. */
  startRound(order: QueueOrder, ctx: QueueOrderContext): QueueRound {
    return new QueueRound([...this.ready], order, ctx);
  }

  /**
   * Records an attempt that left tasks of `group` pending: its reasons, and its next try after the
   * retry penalty — or at `wakeBy` if earlier (e.g. when its oldest task may start to preempt).
   */
  attempted(
    group: TaskGroup,
    now: number,
    placed: number,
    reasons: Readonly<Record<string, number>>,
    wakeBy?: number,
  ): void {
    group.lastAttempt = now;
    group.reasons = reasons;
    if (group.size === 0 || this.groups.get(group.key) !== group) return;
    group.penaltyMs = nextPenalty(group.penaltyMs, placed > 0, this.backoff);
    let at = now + group.penaltyMs;
    if (wakeBy !== undefined && wakeBy > now && wakeBy < at) at = wakeBy;
    group.readyAt = at;
    group.waiting = true;
    this.ready.delete(group);
    this.waiting.push({ at, seq: this.nextSeq++, group });
  }

  /** Every group, in creation order. */
  all(): IterableIterator<TaskGroup> {
    return this.groups.values();
  }

  forJob(job: string): readonly TaskGroup[] {
    const groups = this.byJob.get(job);
    return groups ? [...groups] : [];
  }

  /** The group of (job, config), created (ready) if there is none. */
  private groupFor(job: string, role: string, config: TaskConfig, now: number): TaskGroup {
    const key = `${job}#${this.configId(config)}`;
    let group = this.groups.get(key);
    if (!group) {
      group = new TaskGroup(key, job, role, config, this.nextSeq++, now);
      this.groups.set(key, group);
      let jobGroups = this.byJob.get(job);
      if (!jobGroups) {
        jobGroups = new Set();
        this.byJob.set(job, jobGroups);
      }
      jobGroups.add(group);
      this.ready.add(group);
    }
    return group;
  }

  private isCurrent(w: Wakeup): boolean {
    return w.group.waiting && w.group.readyAt === w.at && this.groups.get(w.group.key) === w.group;
  }

  private configId(config: TaskConfig): number {
    let id = this.configIds.get(config);
    if (id === undefined) {
      id = this.nextConfigId++;
      this.configIds.set(config, id);
    }
    return id;
  }
}
