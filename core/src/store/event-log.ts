import type { LifecycleEvent } from '../lifecycle/transition.js';
import { TASK_STATES, type TaskState } from '../model/task-state.js';

/**
 * Every task's transitions (time, state, message) in one columnar, append-only log: no object per
 * event. Each entry points at the previous entry of the same task, so a task's history is a chain
 * walked backwards from its latest entry. Entries of deleted tasks become garbage; when garbage
 * outweighs live entries the log is rewritten with only live chains.
 */
export class EventLog {
  private time = new Float64Array(1024);
  private state = new Uint8Array(1024);
  private previous = new Int32Array(1024);
  /** Messages are mostly shared constant strings, so this holds references, not copies. */
  private message: (string | undefined)[] = [];
  private length = 0;
  private garbage = 0;
  /** slot → index of its latest entry, -1 for none. */
  private latest = new Int32Array(1024).fill(-1);

  /** Compaction threshold: below this many dead entries a rewrite is not worth it. */
  constructor(private readonly minGarbageToCompact = 1 << 16) {}

  get size(): number {
    return this.length - this.garbage;
  }

  append(slot: number, time: number, stateIndex: number, message: string | undefined): void {
    this.ensureSlot(slot);
    if (this.length === this.time.length) this.grow();
    const i = this.length++;
    this.time[i] = time;
    this.state[i] = stateIndex;
    this.previous[i] = this.latest[slot]!;
    this.message[i] = message;
    this.latest[slot] = i;
  }

  /** Oldest first. */
  events(slot: number): LifecycleEvent[] {
    const out: LifecycleEvent[] = [];
    if (slot >= this.latest.length) return out;
    for (let i = this.latest[slot]!; i !== -1; i = this.previous[i]!) {
      out.push({
        time: this.time[i]!,
        state: TASK_STATES[this.state[i]!] as TaskState,
        message: this.message[i],
      });
    }
    return out.reverse();
  }

  /** The slot's task is gone (or the slot is about to be reused): its entries become garbage. */
  forget(slot: number): void {
    if (slot >= this.latest.length) return;
    for (let i = this.latest[slot]!; i !== -1; i = this.previous[i]!) {
      this.garbage++;
      this.message[i] = undefined;
    }
    this.latest[slot] = -1;
    if (this.garbage >= this.minGarbageToCompact && this.garbage * 2 > this.length) this.compact();
  }

  private compact(): void {
    const live = this.length - this.garbage;
    const capacity = Math.max(1024, live * 2);
    const time = new Float64Array(capacity);
    const state = new Uint8Array(capacity);
    const previous = new Int32Array(capacity);
    const message: (string | undefined)[] = new Array(live);
    const chain: number[] = [];
    let n = 0;
    for (let slot = 0; slot < this.latest.length; slot++) {
      if (this.latest[slot] === -1) continue;
      chain.length = 0;
      for (let i = this.latest[slot]!; i !== -1; i = this.previous[i]!) chain.push(i);
      let prev = -1;
      for (let k = chain.length - 1; k >= 0; k--) {
        const from = chain[k]!;
        time[n] = this.time[from]!;
        state[n] = this.state[from]!;
        previous[n] = prev;
        message[n] = this.message[from];
        prev = n++;
      }
      this.latest[slot] = prev;
    }
    this.time = time;
    this.state = state;
    this.previous = previous;
    this.message = message;
    this.length = n;
    this.garbage = 0;
  }

  private grow(): void {
    const capacity = this.time.length * 2;
    const time = new Float64Array(capacity);
    time.set(this.time);
    const state = new Uint8Array(capacity);
    state.set(this.state);
    const previous = new Int32Array(capacity);
    previous.set(this.previous);
    this.time = time;
    this.state = state;
    this.previous = previous;
  }

  private ensureSlot(slot: number): void {
    if (slot < this.latest.length) return;
    let capacity = this.latest.length * 2;
    while (capacity <= slot) capacity *= 2;
    const latest = new Int32Array(capacity).fill(-1);
    latest.set(this.latest);
    this.latest = latest;
  }
}
