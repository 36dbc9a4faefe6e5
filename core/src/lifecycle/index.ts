export type { LifecycleEffect, LifecycleEffectKind, RescheduleEffect } from './effects.js';
export { killTarget } from './kill-target.js';
export { coreStateOf, isAliveInMesos, MESOS_TASK_STATES, type MesosTaskState } from './mesos-states.js';
export { DEFAULT_THROTTLE, flappingPenaltyMs, isFlappingRun, type ThrottlePolicy } from './throttle.js';
export {
  type LifecycleEvent,
  type TransitionContext,
  type TransitionOutcome,
  type TransitionResult,
  transition,
} from './transition.js';
export {
  INTERRUPTING_STATES,
  isLegalTransition,
  KILL_PENDING_STATES,
  LEGAL_TRANSITIONS,
  LIVE_REPORTED_STATES,
  STATE_COUNT,
  STATE_INDEX,
} from './transitions.js';
