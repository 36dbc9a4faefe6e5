import type { Tier } from '@borealis/core';
import { grown } from './grown.js';
import { RES } from './host-table.js';

/**
 * Tasks the simulated cluster is running, in pooled slots. Each slot carries a generation number:
 * scheduled events (STARTING, RUNNING, completion, kill done) remember the generation they were
 * made for, so an event for a task that was killed or lost in the meantime is recognised as stale
 * and dropped without searching the event queue.
 */
export const PHASE_ASSIGNED = 1;
export const PHASE_STARTING = 2;
export const PHASE_RUNNING = 3;
export const PHASE_KILLING = 4;

export const TIER_CODE: Readonly<Record<Tier, number>> = { preferred: 0, preemptible: 1, revocable: 2 };

/**
 * The task tracker's side of the one task-id registry (see TaskTable.share): its Map from task id
 * to its slot is the only one; the table records, per tracker slot, which of its own slots holds
 * that task.
 */
export interface SharedSlots {
  /** The tracker's slot of a live task, -1 if none. */
  slotOf(taskId: string): number;
  /** The table's slot holding the task in tracker slot `ts` (-1: none). */
  holderOf(ts: number): number;
  setHolder(ts: number, slot: number): void;
  /** Set just before a status report: the tracker checks it and skips its lookup by id. */
  hint: number;
  /** Called when the tracker forgets a task the table still holds (the core ended it first). */
  forgotten: ((taskId: string, slot: number) => void) | undefined;
}

export class TaskTable {
  ids: (string | undefined)[] = [];
  jobs: string[] = [];
  /** Resources held, RES numbers per slot: released tasks are read back from here, monomorphically. */
  res = new Float64Array(1024 * RES);
  ports: (readonly number[] | undefined)[] = [];
  host = new Int32Array(1024);
  generation = new Uint32Array(1024);
  phase = new Uint8Array(1024);
  tier = new Uint8Array(1024);
  /** 1 when the task belongs to a cron job: cron work never keeps an open-ended run alive. */
  cron = new Uint8Array(1024);
  instance = new Int32Array(1024);
  /** The TaskTracker's slot of the task when it was launched (-1: none): its registry entry and slot hint. */
  trackerSlot = new Int32Array(1024);
  /** How long the task runs once RUNNING (-1: until killed) and how it ends (0 finished, 1 failed, 2 killed). */
  runMs = new Float64Array(1024);
  outcome = new Uint8Array(1024);
  /** Doubly linked list of live slots per host, so a host failure visits only its own tasks. */
  nextOnHost = new Int32Array(1024);
  prevOnHost = new Int32Array(1024);
  /**
   * Tasks by id that the shared registry does not hold: all of them without one, else only those
   * the tracker forgot (or never knew) while they still run here, normally none.
   */
  private readonly byId = new Map<string, number>();
  private shared: SharedSlots | undefined;
  private count = 0;
  private readonly free: number[] = [];
  private top = 0;
  /** The tracker slot the last slotOf() found (-1: none), for allocate(). */
  lastTrackerSlot = -1;

  get live(): number {
    return this.count;
  }

  /**
   * Finds tasks through the tracker's Map instead of a second Map of its own: with a million tasks
   * a day, each Map operation on a task id is a cache miss or more, and launch, kill and release
   * each did one here on top of the tracker's.
   */
  share(shared: SharedSlots): void {
    if (this.count > 0) throw new Error('share() before any task is allocated');
    this.shared = shared;
    shared.forgotten = (taskId, slot) => {
      if (this.ids[slot] === taskId) this.byId.set(taskId, slot);
    };
  }

  /** The slot of a task running here (the registry's answer, checked against the slot's id). */
  slotOf(taskId: string): number | undefined {
    this.lastTrackerSlot = -1;
    if (this.shared !== undefined) {
      const ts = this.shared.slotOf(taskId);
      this.lastTrackerSlot = ts;
      if (ts >= 0) {
        const slot = this.shared.holderOf(ts);
        if (slot >= 0 && this.ids[slot] === taskId) return slot;
      }
      if (this.byId.size === 0) return undefined;
    }
    return this.byId.get(taskId);
  }

  /** `trackerSlot`: the task's tracker slot (-1: unknown), as slotOf() just found it. */
  allocate(taskId: string, trackerSlot = -1): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.top++;
      if (slot >= this.host.length) this.grow();
    }
    this.ids[slot] = taskId;
    this.trackerSlot[slot] = trackerSlot;
    if (this.shared !== undefined && trackerSlot >= 0 && this.shared.holderOf(trackerSlot) < 0)
      this.shared.setHolder(trackerSlot, slot);
    else this.byId.set(taskId, slot);
    this.count++;
    return slot;
  }

  release(slot: number): void {
    const id = this.ids[slot];
    if (id === undefined) throw new Error(`task slot ${slot} is not in use`);
    const ts = this.trackerSlot[slot]!;
    // Held through the registry unless the tracker forgot the task meanwhile (then it is in byId).
    if (this.shared !== undefined && ts >= 0 && this.shared.holderOf(ts) === slot)
      this.shared.setHolder(ts, -1);
    else this.byId.delete(id);
    this.count--;
    this.ids[slot] = undefined;
    this.ports[slot] = undefined;
    this.phase[slot] = 0;
    // A new generation invalidates every event still queued for this slot.
    this.generation[slot] = (this.generation[slot]! + 1) >>> 0;
    this.free.push(slot);
  }

  /** Invalidates queued events for the slot (e.g. a kill overtakes a pending RUNNING report). */
  bump(slot: number): number {
    const g = (this.generation[slot]! + 1) >>> 0;
    this.generation[slot] = g;
    return g;
  }

  private grow(): void {
    const n = this.host.length * 2;
    this.host = grown(this.host, n);
    this.instance = grown(this.instance, n);
    this.trackerSlot = grown(this.trackerSlot, n);
    this.nextOnHost = grown(this.nextOnHost, n);
    this.prevOnHost = grown(this.prevOnHost, n);
    this.generation = grown(this.generation, n);
    this.res = grown(this.res, n * RES);
    this.runMs = grown(this.runMs, n);
    this.phase = grown(this.phase, n);
    this.tier = grown(this.tier, n);
    this.cron = grown(this.cron, n);
    this.outcome = grown(this.outcome, n);
  }
}
