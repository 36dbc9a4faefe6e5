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
  /** The TaskTracker's slot of the task when it was launched (-1: none), passed on as a slot hint. */
  trackerSlot = new Int32Array(1024);
  /** How long the task runs once RUNNING (-1: until killed) and how it ends (0 finished, 1 failed, 2 killed). */
  runMs = new Float64Array(1024);
  outcome = new Uint8Array(1024);
  /** Doubly linked list of live slots per host, so a host failure visits only its own tasks. */
  nextOnHost = new Int32Array(1024);
  prevOnHost = new Int32Array(1024);
  private readonly byId = new Map<string, number>();
  private readonly free: number[] = [];
  private top = 0;

  get live(): number {
    return this.byId.size;
  }

  slotOf(taskId: string): number | undefined {
    return this.byId.get(taskId);
  }

  allocate(taskId: string): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.top++;
      if (slot >= this.host.length) this.grow();
    }
    this.ids[slot] = taskId;
    this.byId.set(taskId, slot);
    return slot;
  }

  release(slot: number): void {
    const id = this.ids[slot];
    if (id === undefined) throw new Error(`task slot ${slot} is not in use`);
    this.byId.delete(id);
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
