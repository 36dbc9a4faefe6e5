import type { TaskEvent, TaskState } from '@borealis/core';
import { TASK_STATES, TERMINAL_STATES } from '@borealis/core';
import { isLegalTransition } from '../audit/lifecycle-legality.js';
import { GrowableFloat64 } from './growable.js';

/**
 * Follows the core's task events: counts tasks per state, measures scheduling delay
 * (PENDING → ASSIGNED), sorts finished tasks into the end-of-run buckets and, under --audit,
 * checks every transition against the legal table. Only live tasks are remembered (terminal ones
 * are folded into counters), so memory follows the cluster, not the length of the trace.
 */
const STATE_CODE = new Map<TaskState, number>();
const STATES: TaskState[] = [];
function code(s: TaskState): number {
  let c = STATE_CODE.get(s);
  if (c === undefined) {
    c = STATES.length;
    STATES.push(s);
    STATE_CODE.set(s, c);
  }
  return c;
}
for (const s of TASK_STATES) code(s);
const INIT = code('INIT');
const PENDING = code('PENDING');
const THROTTLED = code('THROTTLED');
const ASSIGNED = code('ASSIGNED');
const KILLING = code('KILLING');
const TERMINAL = new Uint8Array(64);
for (const s of TERMINAL_STATES) TERMINAL[code(s)] = 1;

export interface IntervalCounters {
  scheduled: number;
  lost: number;
  delays: GrowableFloat64;
}

export class TaskTracker {
  /**
   * Live tasks by id → slot in the typed arrays below (state code, when it last became PENDING,
   * whether it was ever ASSIGNED). A million tasks in a day make per-task objects a real cost:
   * they outlive the young generation and every old-generation collection walks them.
   */
  private readonly live = new Map<string, number>();
  /** The id of the task in each slot (undefined: free), to check a slot hint against. */
  private ids: (string | undefined)[] = [];
  /**
   * A guess at the slot of the next event's task, from whoever is about to cause that event (the
   * simulated cluster reporting a task's status knows the task's slot here from its launch): when
   * the slot holds that very task, handle() skips the Map lookup by id (a cache miss or more per
   * event among a few hundred thousand live ids). Checked, so a wrong or stale guess costs nothing
   * but the lookup; reset by every handle().
   */
  hint = -1;
  /** The simulated cluster's slot of the task in each slot (-1: not running there); see SharedSlots. */
  private holder = new Int32Array(1024);
  forgotten: ((taskId: string, slot: number) => void) | undefined;
  private state = new Uint8Array(1024);
  private pendingSince = new Float64Array(1024);
  private launchedFlag = new Uint8Array(1024);
  private free = new Int32Array(1024);
  private freeCount = 0;
  private top = 0;
  /** Tasks PENDING or THROTTLED per job, for the shapes that decide stranded resources. */
  readonly pendingByJob = new Map<string, number>();
  /** Tasks currently in each state (by code). */
  private readonly counts = new Float64Array(64);
  readonly allDelays = new GrowableFloat64(4096);
  readonly interval: IntervalCounters = { scheduled: 0, lost: 0, delays: new GrowableFloat64(256) };
  created = 0;
  launched = 0;
  finished = 0;
  failed = 0;
  killed = 0;
  killedBeforeLaunch = 0;
  lost = 0;
  events = 0;
  /** The slot of the task of the last event handled (-1: not tracked), for the event log. */
  lastSlot = -1;
  /** Whether the last event gave its task a slot (a task first seen, or seen again after it ended). */
  lastFresh = false;

  constructor(private readonly onViolation?: (time: number, message: string) => void) {}

  count(state: TaskState): number {
    return this.counts[code(state)]!;
  }

  handle(e: TaskEvent): void {
    this.events++;
    const next = code(e.state);
    const hint = this.hint;
    this.hint = -1;
    let slot = hint >= 0 && this.ids[hint] === e.taskId ? hint : this.live.get(e.taskId);
    let prev: number;
    this.lastFresh = slot === undefined;
    if (slot === undefined) {
      if (e.state === 'DELETED') {
        this.lastSlot = -1;
        this.lastFresh = false;
        return;
      }
      if (next !== PENDING && next !== THROTTLED) {
        this.onViolation?.(e.time, `${e.taskId} first seen in ${e.state} (expected PENDING or THROTTLED)`);
      }
      slot = this.allocate();
      this.live.set(e.taskId, slot);
      this.ids[slot] = e.taskId;
      this.holder[slot] = -1;
      this.pendingSince[slot] = e.time;
      this.launchedFlag[slot] = 0;
      prev = INIT;
      this.created++;
    } else {
      prev = this.state[slot]!;
      this.counts[prev]!--;
      if (this.onViolation && !isLegalTransition(STATES[prev]!, e.state)) {
        this.onViolation(e.time, `${e.taskId}: illegal transition ${STATES[prev]} → ${e.state}`);
      }
    }
    if (next === PENDING && prev !== PENDING) this.pendingSince[slot] = e.time;
    const wasWaiting = prev === PENDING || prev === THROTTLED;
    const isWaiting = next === PENDING || next === THROTTLED;
    if (wasWaiting !== isWaiting) {
      const n = (this.pendingByJob.get(e.job) ?? 0) + (isWaiting ? 1 : -1);
      if (n === 0) this.pendingByJob.delete(e.job);
      else this.pendingByJob.set(e.job, n);
    }
    if (next === ASSIGNED) {
      if (this.onViolation && e.host === undefined)
        this.onViolation(e.time, `${e.taskId} ASSIGNED without a host`);
      const delay = e.time - this.pendingSince[slot]!;
      this.allDelays.push(delay);
      this.interval.delays.push(delay);
      this.interval.scheduled++;
      if (this.launchedFlag[slot] === 0) this.launched++;
      this.launchedFlag[slot] = 1;
    }
    // A task killed before it was ever placed is simply forgotten (Aurora: PENDING → KILLING →
    // DELETED, and the core reports no event after KILLING): it ends here.
    this.lastSlot = slot;
    const forgotten = next === KILLING && wasWaiting;
    this.state[slot] = next;
    if (TERMINAL[next] === 1 || forgotten) {
      this.live.delete(e.taskId);
      this.ids[slot] = undefined;
      const held = this.holder[slot]!;
      if (held >= 0) {
        // The core ended a task the cluster still runs: the cluster keeps finding it by id.
        this.holder[slot] = -1;
        this.forgotten?.(e.taskId, held);
      }
      this.free[this.freeCount++] = slot;
      switch (e.state) {
        case 'FINISHED':
          this.finished++;
          break;
        case 'FAILED':
          this.failed++;
          break;
        case 'KILLED':
        case 'KILLING':
        case 'DELETED':
          if (this.launchedFlag[slot] === 1) this.killed++;
          else this.killedBeforeLaunch++;
          break;
        case 'LOST':
          this.lost++;
          this.interval.lost++;
          break;
      }
      return;
    }
    this.counts[next]!++;
  }

  /** The slot of a live task (-1: not live), for slot hints. */
  slotOf(taskId: string): number {
    return this.live.get(taskId) ?? -1;
  }

  holderOf(slot: number): number {
    return this.holder[slot]!;
  }

  setHolder(slot: number, holder: number): void {
    this.holder[slot] = holder;
  }

  /** Live tasks waiting for a host (PENDING or THROTTLED). */
  pending(): number {
    return this.count('PENDING') + this.count('THROTTLED');
  }

  /**
   * How long each task still waiting (PENDING or THROTTLED) at `end` has waited so far: its
   * scheduling delay, censored at the end of the run (a lower bound of what it will be).
   */
  censoredWaits(end: number): Float64Array {
    const out = new Float64Array(this.pending());
    let n = 0;
    for (const slot of this.live.values()) {
      const s = this.state[slot]!;
      if (s !== PENDING && s !== THROTTLED) continue;
      out[n++] = Math.max(0, end - this.pendingSince[slot]!);
    }
    return out.subarray(0, n);
  }

  /** Live tasks at the end of the run that are on a host (every live state but PENDING/THROTTLED). */
  onHost(): number {
    return this.live.size - this.pending();
  }

  private allocate(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount]!;
    const slot = this.top++;
    if (slot === this.state.length) {
      const n = slot * 2;
      const state = new Uint8Array(n);
      state.set(this.state);
      this.state = state;
      const since = new Float64Array(n);
      since.set(this.pendingSince);
      this.pendingSince = since;
      const launched = new Uint8Array(n);
      launched.set(this.launchedFlag);
      this.launchedFlag = launched;
      const free = new Int32Array(n);
      free.set(this.free);
      this.free = free;
      const holder = new Int32Array(n);
      holder.set(this.holder);
      this.holder = holder;
    }
    return slot;
  }

  resetInterval(): void {
    this.interval.scheduled = 0;
    this.interval.lost = 0;
    this.interval.delays.clear();
  }
}
