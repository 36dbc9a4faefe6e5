import type { TaskEvent, TaskState } from '@borealis/core';

/** Which own exits bring an instance back: any exit (services) or failures only (unlimited retries). */
export type EndlessRestart = 'any-exit' | 'failure';

/**
 * Own exits in a row after which an instance that comes back for ever counts as restart-looping.
 * Five runs show the core's flapping penalty backing off (30 s, 1, 2, 4 min) before the run may end.
 */
export const RESTART_LOOP_EXITS = 5;

const IN_FLIGHT = 1;
const THROTTLED = 2;

/** What an exit did to its instance's streak. */
const SAME = 0;
const STARTED = 1;
const ENDED = 2;

/**
 * Instances that end on their own and come back for ever: a service that fails, finishes or fails
 * its health check (the core replaces it whatever the reason), an ad-hoc task with unlimited
 * retries that fails. Nothing in the trace ever stops that, so once an instance has done it
 * RESTART_LOOP_EXITS times in a row it is restart-looping, and its further activity is perpetual:
 * it must not keep an open-ended run alive. A deliberate kill (user, update) or a finish of a task
 * that does not come back ends the streak.
 *
 * The simulation asks two things: whether a task event is perpetual (not a change), and how many of
 * the cluster's queued progress events (its liveWork) and THROTTLED tasks are perpetual, so that
 * only finite work is left to wait for. Only looping instances' tasks are tracked one by one; the
 * common event costs a state comparison.
 */
export class RestartLoops {
  /** Queued cluster events (launch steps, a scheduled exit, a kill) of looping instances' tasks. */
  inFlight = 0;
  /** Looping instances' tasks sitting out a flapping penalty. */
  throttled = 0;
  /** Job → instance → own exits in a row, for jobs that come back for ever. */
  private readonly streaks = new Map<string, Map<number, number>>();
  /** Looping instances' live tasks → last state and what it contributes to the counts above. */
  private readonly tracked = new Map<string, { state: TaskState; bits: number }>();
  private looping = 0;

  constructor(
    /** How the job's instances come back, or undefined when they do not come back for ever. */
    private readonly restartOf: (job: string) => EndlessRestart | undefined,
    /** Whether a RUNNING task has an exit scheduled (a duration or failAfterMs) rather than running until killed. */
    private readonly runHasEnd: (taskId: string) => boolean,
  ) {}

  /** Instances currently restart-looping. */
  get instances(): number {
    return this.looping;
  }

  /**
   * Takes one task event; true when it belongs to an instance that was already restart-looping
   * (the exit that completes the streak still counts as a change: the run shows it).
   */
  observe(e: TaskEvent): boolean {
    const s = e.state;
    let wasLooping = false;
    if (this.looping > 0) {
      const streak = this.streaks.get(e.job)?.get(e.instance);
      wasLooping = streak !== undefined && streak >= RESTART_LOOP_EXITS;
    }
    const streak =
      s === 'FAILED' || s === 'FINISHED' || s === 'RESTARTING' || s === 'KILLING' ? this.exit(e) : SAME;
    if (streak === ENDED) {
      // A deliberate stop ends the loop: the stop and what follows are finite work again.
      this.untrack(e.taskId);
      return false;
    }
    // A health-check restart that completes the streak is still on its host with the kill in
    // flight: it is followed from now on.
    if (wasLooping || streak === STARTED || (this.tracked.size > 0 && this.tracked.has(e.taskId)))
      this.track(e);
    return wasLooping;
  }

  /** An end or a stop: extends the instance's streak (an own exit that brings it back) or ends it. */
  private exit(e: TaskEvent): number {
    const restart = this.restartOf(e.job);
    if (restart === undefined) return SAME;
    const own =
      e.state === 'FAILED' ||
      (e.state === 'FINISHED' && restart === 'any-exit') ||
      // A failed health check, not a rolling restart someone asked for.
      (e.state === 'RESTARTING' && e.reason !== 'restart');
    let instances = this.streaks.get(e.job);
    const before = instances?.get(e.instance) ?? 0;
    if (own) {
      if (!instances) {
        instances = new Map();
        this.streaks.set(e.job, instances);
      }
      instances.set(e.instance, before + 1);
      if (before + 1 !== RESTART_LOOP_EXITS) return SAME;
      this.looping++;
      return STARTED;
    }
    if (before === 0) return SAME;
    instances!.delete(e.instance);
    if (before < RESTART_LOOP_EXITS) return SAME;
    this.looping--;
    return ENDED;
  }

  /** Whether the task belongs to a restart-looping instance (its launch and kill effects are perpetual too). */
  perpetual(taskId: string): boolean {
    return this.looping > 0 && this.tracked.has(taskId);
  }

  private track(e: TaskEvent): void {
    const previous = this.tracked.get(e.taskId);
    let bits = 0;
    switch (e.state) {
      case 'ASSIGNED':
      case 'STARTING':
        bits = IN_FLIGHT;
        break;
      case 'RUNNING':
        bits = this.runHasEnd(e.taskId) ? IN_FLIGHT : 0;
        break;
      case 'KILLING':
      case 'PREEMPTING':
      case 'RESTARTING':
      case 'DRAINING':
        // Stopping a task that never launched just forgets it; on a host the kill is in flight.
        if (previous?.state === 'PENDING' || previous?.state === 'THROTTLED') {
          this.untrack(e.taskId);
          return;
        }
        bits = IN_FLIGHT;
        break;
      case 'THROTTLED':
        bits = THROTTLED;
        break;
      case 'FINISHED':
      case 'FAILED':
      case 'KILLED':
      case 'LOST':
      case 'DELETED':
        this.untrack(e.taskId);
        return;
    }
    if (previous) this.count(previous.bits, -1);
    this.count(bits, 1);
    this.tracked.set(e.taskId, { state: e.state, bits });
  }

  private untrack(taskId: string): void {
    const previous = this.tracked.get(taskId);
    if (!previous) return;
    this.count(previous.bits, -1);
    this.tracked.delete(taskId);
  }

  private count(bits: number, sign: 1 | -1): void {
    if (bits & IN_FLIGHT) this.inFlight += sign;
    if (bits & THROTTLED) this.throttled += sign;
  }
}
