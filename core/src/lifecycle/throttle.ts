/**
 * Flapping and its penalty. A task that exits on its own soon after it started is flapping; its
 * replacement waits THROTTLED before it may be placed again, so a crash-looping service does not
 * hammer the cluster. The wait is a truncated binary backoff over consecutive flapping runs of the
 * same instance: initial, 2×, 4× ... capped at the maximum (Aurora: 30 s doubling to 5 min).
 */
export interface ThrottlePolicy {
  /** A run shorter than this (RUNNING → exit) is flapping. */
  readonly flappingThresholdMs: number;
  readonly initialPenaltyMs: number;
  readonly maxPenaltyMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = Object.freeze({
  flappingThresholdMs: 5 * 60_000,
  initialPenaltyMs: 30_000,
  maxPenaltyMs: 5 * 60_000,
});

/** The wait before the `consecutiveFlaps`-th flapping run's replacement may be placed (0 for none). */
export function flappingPenaltyMs(
  consecutiveFlaps: number,
  policy: ThrottlePolicy = DEFAULT_THROTTLE,
): number {
  if (consecutiveFlaps <= 0) return 0;
  // Past 2^30 the cap has long been reached; bounding the exponent keeps the product finite.
  const doubled = policy.initialPenaltyMs * 2 ** Math.min(consecutiveFlaps - 1, 30);
  return Math.min(policy.maxPenaltyMs, doubled);
}

/**
 * Whether a run was flapping: it ran (from RUNNING) for less than the threshold, or never reached
 * RUNNING at all. `runningSince` is when the task became RUNNING, if it did.
 */
export function isFlappingRun(
  runningSince: number | undefined,
  now: number,
  policy: ThrottlePolicy = DEFAULT_THROTTLE,
): boolean {
  if (runningSince === undefined) return true;
  return now - runningSince < policy.flappingThresholdMs;
}
