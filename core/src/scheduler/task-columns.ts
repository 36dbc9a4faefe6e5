import type { Slot } from '../placement/inventory/slot.js';

/**
 * What the scheduler keeps per live task beyond the store's record, in columns indexed by the
 * task's store slot rather than in maps keyed by task id. A one-day google-2011 run at 10k hosts
 * places 1.04M tasks: a Map entry (and, for decisions, an object) per task was a hash lookup on
 * every transition and long-lived garbage for the collector to copy. Slots are reused once the
 * store deletes a task, so every column is cleared when its task is gone (StateChanges' store
 * listener does it) and a new task starts from the defaults: no host, no quota, no decision.
 */
export class TaskColumns {
  /** Slot → host index where the task holds room (inventory and preemption index), -1 if none. */
  private host = new Int32Array(0);
  /** Slot → the inventory slot that holds its room (set with `host`), released by it, not by id. */
  private placed: (Slot | undefined)[] = [];
  /** Slot → 1 while the task's resources count against its role's quota. */
  private quota = new Uint8Array(0);
  /** Slot → policy of its placement decision (for `explain`), undefined if none. */
  private decisionPolicy: (string | undefined)[] = [];
  private decisionHost: (string | undefined)[] = [];
  private decisionScore = new Float64Array(0);
  private decisionAt = new Float64Array(0);

  hostOf(slot: number): number {
    return slot < this.host.length ? this.host[slot]! : -1;
  }

  setHost(slot: number, h: number, placed: Slot): void {
    this.ensure(slot);
    this.host[slot] = h;
    this.placed[slot] = placed;
  }

  /** Forgets the task's host; returns the inventory slot it held there, if any. */
  clearHost(slot: number): Slot | undefined {
    if (slot >= this.host.length) return undefined;
    this.host[slot] = -1;
    const placed = this.placed[slot];
    this.placed[slot] = undefined;
    return placed;
  }

  holdsQuota(slot: number): boolean {
    return this.quota[slot] === 1;
  }

  /** Marks the slot's quota held (true) or given back (false); returns whether it was held before. */
  setQuota(slot: number, held: boolean): boolean {
    this.ensure(slot);
    const was = this.quota[slot] === 1;
    this.quota[slot] = held ? 1 : 0;
    return was;
  }

  setDecision(slot: number, policy: string, host: string, score: number, at: number): void {
    this.ensure(slot);
    this.decisionPolicy[slot] = policy;
    this.decisionHost[slot] = host;
    this.decisionScore[slot] = score;
    this.decisionAt[slot] = at;
  }

  /** The task's placement decision, built on demand (it is read only by `explain`). */
  decision(slot: number): { policy: string; host: string; score: number; decidedAt: number } | undefined {
    const policy = this.decisionPolicy[slot];
    if (policy === undefined) return undefined;
    return {
      policy,
      host: this.decisionHost[slot]!,
      score: this.decisionScore[slot]!,
      decidedAt: this.decisionAt[slot]!,
    };
  }

  clearDecision(slot: number): void {
    if (slot < this.decisionPolicy.length && this.decisionPolicy[slot] !== undefined) {
      this.decisionPolicy[slot] = undefined;
      this.decisionHost[slot] = undefined;
    }
  }

  private ensure(slot: number): void {
    const length = this.host.length;
    if (slot < length) return;
    let capacity = Math.max(1024, length * 2);
    while (capacity <= slot) capacity *= 2;
    const host = new Int32Array(capacity).fill(-1);
    host.set(this.host);
    this.host = host;
    this.quota = grow(this.quota, new Uint8Array(capacity));
    this.decisionScore = grow(this.decisionScore, new Float64Array(capacity));
    this.decisionAt = grow(this.decisionAt, new Float64Array(capacity));
    // Filled to full length so the arrays stay packed, not holey.
    const policy = this.decisionPolicy;
    const hostId = this.decisionHost;
    const placed = this.placed;
    for (let i = length; i < capacity; i++) {
      policy.push(undefined);
      hostId.push(undefined);
      placed.push(undefined);
    }
  }
}

function grow<T extends Uint8Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
