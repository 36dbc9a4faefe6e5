import type { TaskState } from '../model/task-state.js';
import type { JobKind } from '../model/tier.js';
import {
  DELETE,
  INCREMENT_FAILURES,
  KILL,
  LAUNCH,
  type LifecycleEffect,
  type RescheduleEffect,
  SAVE,
} from './effects.js';
import { DEFAULT_THROTTLE, flappingPenaltyMs, isFlappingRun, type ThrottlePolicy } from './throttle.js';
import {
  INTERRUPTING_STATES,
  isLegalTransition,
  KILL_PENDING_STATES,
  LIVE_REPORTED_STATES,
} from './transitions.js';

/** What the lifecycle needs to know about a task beyond its state. All times are ms, from the injected clock. */
export interface TransitionContext {
  readonly kind: JobKind;
  /** Failures of this instance so far, before this transition. */
  readonly failureCount: number;
  /** From the task config: -1 = unlimited. Ignored for services. */
  readonly maxTaskFailures: number;
  readonly now: number;
  /** When the task became RUNNING, if it did. */
  readonly runningSince?: number;
  /** Flapping runs of this instance in a row before this one (carried from ancestor to replacement). */
  readonly consecutiveFlaps?: number;
  /**
   * The task was killed on purpose (user kill, update, cron collision: it entered KILLING). Such a
   * task never comes back, whatever way it ends, e.g. LOST after a partition.
   */
  readonly userKill?: boolean;
  /** For a PARTITIONED task: the state it was in when the partition began. */
  readonly beforePartition?: TaskState;
  /** Recorded with the event: the agent's status message, or why the scheduler did this. */
  readonly message?: string;
  readonly throttle?: ThrottlePolicy;
}

/** One recorded transition. */
export interface LifecycleEvent {
  readonly time: number;
  readonly state: TaskState;
  readonly message: string | undefined;
}

export type TransitionOutcome = 'success' | 'noop' | 'illegal';

export interface TransitionResult {
  /** success: the state changed; noop: already there; illegal: not allowed, nothing changed. */
  readonly result: TransitionOutcome;
  readonly from: TaskState;
  /** The state after the transition (`from` unless success). */
  readonly next: TaskState;
  /** Even an illegal transition may carry effects: a task we consider dead that reports itself alive is killed. */
  readonly effects: readonly LifecycleEffect[];
  /** Present exactly when result is success. */
  readonly event: LifecycleEvent | undefined;
}

const NONE: readonly LifecycleEffect[] = Object.freeze([]);
const ONLY_SAVE: readonly LifecycleEffect[] = Object.freeze([SAVE]);
const SAVE_KILL: readonly LifecycleEffect[] = Object.freeze([SAVE, KILL]);
const SAVE_LAUNCH: readonly LifecycleEffect[] = Object.freeze([SAVE, LAUNCH]);
const ONLY_KILL: readonly LifecycleEffect[] = Object.freeze([KILL]);
const ONLY_DELETE: readonly LifecycleEffect[] = Object.freeze([DELETE]);

/**
 * Decides what happens when a task in `from` is asked to move to `to` (a status the agent reported,
 * or a scheduler decision). Pure: it returns the next state, the effects and the event; the caller
 * applies them. Aurora's TaskStateMachine semantics, with the rescheduling rules:
 * - services come back after any end but a deliberate kill;
 * - ad-hoc and cron tasks come back after FAILED while failures (counting this one) < maxTaskFailures;
 * - LOST comes back; a task stopped by preemption, restart or drain comes back;
 * - user kills never come back;
 * - a replacement of a task that exited on its own after a short run is THROTTLED (see throttle.ts).
 */
export function transition(from: TaskState, to: TaskState, context: TransitionContext): TransitionResult {
  if (from === to) return { result: 'noop', from, next: from, effects: NONE, event: undefined };

  // A task reappearing after a partition resumes where the scheduler left it: if it was being
  // stopped, it stays stopping and the kill is sent again.
  let target = to;
  if (from === 'PARTITIONED' && LIVE_REPORTED_STATES.has(to)) {
    const before = context.beforePartition;
    if (before !== undefined && KILL_PENDING_STATES.has(before)) target = before;
  }

  if (!isLegalTransition(from, target)) {
    // Aurora kills a task it believes dead (or stopping) that reports itself alive.
    const effects = LIVE_REPORTED_STATES.has(to) && !LIVE_REPORTED_STATES.has(from) ? ONLY_KILL : NONE;
    return { result: 'illegal', from, next: from, effects, event: undefined };
  }
  return {
    result: 'success',
    from,
    next: target,
    effects: effectsOf(from, target, context),
    event: { time: context.now, state: target, message: context.message },
  };
}

function effectsOf(from: TaskState, to: TaskState, context: TransitionContext): readonly LifecycleEffect[] {
  switch (to) {
    case 'PENDING':
    case 'THROTTLED':
    case 'STARTING':
    case 'RUNNING':
    case 'PARTITIONED':
      return ONLY_SAVE;
    case 'ASSIGNED':
      return from === 'PENDING' ? SAVE_LAUNCH : ONLY_SAVE;
    case 'KILLING':
      // A task that never launched is just forgotten; there is nothing to save or kill.
      if (from === 'PENDING' || from === 'THROTTLED') return ONLY_DELETE;
      // Already stopping: the kill was sent when it entered PREEMPTING / RESTARTING / DRAINING.
      return INTERRUPTING_STATES.has(from) ? ONLY_SAVE : SAVE_KILL;
    case 'PREEMPTING':
    case 'RESTARTING':
    case 'DRAINING':
      return SAVE_KILL;
    case 'DELETED':
      return ONLY_DELETE;
    case 'FINISHED':
    case 'FAILED':
    case 'KILLED':
    case 'LOST':
      return endEffects(from, to, context);
    case 'INIT':
      return NONE; // nothing transitions into INIT; the legality check rejects it first
  }
}

/** A task ended. Whether it failed, whether it comes back, and whether it comes back throttled. */
function endEffects(from: TaskState, to: TaskState, context: TransitionContext): readonly LifecycleEffect[] {
  // After a partition, judge the end by what the task was doing before it.
  const was = from === 'PARTITIONED' ? (context.beforePartition ?? 'RUNNING') : from;
  if (was === 'KILLING' || context.userKill === true) return ONLY_SAVE;

  const interrupted = INTERRUPTING_STATES.has(was);
  const failed = to === 'FAILED' && !interrupted;
  let comesBack: boolean;
  if (to === 'LOST' || to === 'KILLED') comesBack = true;
  else if (context.kind === 'service') comesBack = true;
  else if (to === 'FINISHED')
    comesBack = false; // the work is done, even if we were stopping it
  else if (interrupted)
    comesBack = true; // FAILED while being preempted/restarted/drained is not its fault
  else comesBack = context.maxTaskFailures === -1 || context.failureCount + 1 < context.maxTaskFailures;

  const effects: LifecycleEffect[] = [];
  if (failed) effects.push(INCREMENT_FAILURES);
  effects.push(SAVE);
  // A task lost while its launch may still be in flight might yet start; make sure it does not.
  if (to === 'LOST' && (was === 'ASSIGNED' || interrupted)) effects.push(KILL);
  if (comesBack) effects.push(reschedule(to, interrupted, context));
  return effects;
}

function reschedule(to: TaskState, interrupted: boolean, context: TransitionContext): RescheduleEffect {
  const policy = context.throttle ?? DEFAULT_THROTTLE;
  // Only a task that ended on its own can flap; losing a host or being stopped is not its doing.
  const ownExit = to !== 'LOST' && !interrupted;
  const flapping = ownExit && isFlappingRun(context.runningSince, context.now, policy);
  const consecutiveFlaps = flapping ? (context.consecutiveFlaps ?? 0) + 1 : 0;
  const delayMs = flappingPenaltyMs(consecutiveFlaps, policy);
  return { kind: 'reschedule', state: delayMs > 0 ? 'THROTTLED' : 'PENDING', delayMs, consecutiveFlaps };
}
