/**
 * What a transition asks its caller to do. The lifecycle only decides; the task store carries out
 * the bookkeeping effects (incrementFailures, reschedule, delete) and the driver (simulator or
 * Mesos) the cluster ones (launch, kill). `save` tells a durable store to persist the task.
 *
 * Effects come in a fixed order: incrementFailures, save, launch, kill, reschedule, delete — so the
 * failure count is bumped before it is saved and before a replacement inherits it.
 */
export type LifecycleEffect =
  | { readonly kind: 'incrementFailures' }
  | { readonly kind: 'save' }
  | { readonly kind: 'launch' }
  | { readonly kind: 'kill' }
  | RescheduleEffect
  | { readonly kind: 'delete' };

/**
 * Create the next run of this instance: a new task (new id, ancestor = this task, same config and
 * failure count) in PENDING, or in THROTTLED for `delayMs` when the task was flapping.
 */
export interface RescheduleEffect {
  readonly kind: 'reschedule';
  readonly state: 'PENDING' | 'THROTTLED';
  /** How long the replacement stays THROTTLED; 0 for PENDING. */
  readonly delayMs: number;
  /** Consecutive flapping runs of this instance, including this one; the replacement carries it. */
  readonly consecutiveFlaps: number;
}

export type LifecycleEffectKind = LifecycleEffect['kind'];

// Shared immutable values: transitions without a reschedule allocate no effect objects.
export const INCREMENT_FAILURES: LifecycleEffect = Object.freeze({ kind: 'incrementFailures' });
export const SAVE: LifecycleEffect = Object.freeze({ kind: 'save' });
export const LAUNCH: LifecycleEffect = Object.freeze({ kind: 'launch' });
export const KILL: LifecycleEffect = Object.freeze({ kind: 'kill' });
export const DELETE: LifecycleEffect = Object.freeze({ kind: 'delete' });
