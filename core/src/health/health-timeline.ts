import type { HealthCheckTiming, SimBehaviour } from '../model/task-config.js';

/**
 * When a task passes or fails its health check, counted from the moment it is RUNNING. Aurora's
 * executor checks every `intervalSecs` once `initialIntervalSecs` have passed; the task is healthy
 * after `minConsecutiveSuccesses` passing checks in a row and is failed after more than
 * `maxConsecutiveFailures` failing checks in a row. A task without a health check is healthy as
 * soon as it runs.
 */
export function healthyAfterMs(check: HealthCheckTiming | undefined): number {
  if (!check) return 0;
  const successes = Math.max(1, check.minConsecutiveSuccesses);
  return (check.initialIntervalSecs + (successes - 1) * check.intervalSecs) * 1000;
}

/** Time from RUNNING to the failing check that makes the executor give up on a task that never passes. */
export function unhealthyAfterMs(check: HealthCheckTiming | undefined): number {
  if (!check) return 0;
  return (check.initialIntervalSecs + Math.max(0, check.maxConsecutiveFailures) * check.intervalSecs) * 1000;
}

/** What a simulated task does once RUNNING, from its health check and its simulated behaviour. */
export type SimulatedHealth =
  /** Becomes healthy `atMs` after RUNNING (0: at once), and keeps running. */
  | { readonly kind: 'healthy'; readonly atMs: number }
  /** Never passes its check: the executor gives up `atMs` after RUNNING (report `taskHealth(id, false)`). */
  | { readonly kind: 'unhealthy'; readonly atMs: number }
  /** The process fails `atMs` after RUNNING (report FAILED); healthy before then if `healthyAtMs` < `atMs`. */
  | { readonly kind: 'fails'; readonly atMs: number; readonly healthyAtMs?: number };

/**
 * The one event (or two) a simulator has to schedule for a task instead of running every check:
 * deterministic, and the same rule the core's watch timing assumes.
 */
export function simulatedHealth(
  check: HealthCheckTiming | undefined,
  sim: SimBehaviour | undefined,
): SimulatedHealth {
  const healthyAt = healthyAfterMs(check);
  if (sim?.unhealthy) {
    // Without a health check nothing can find the task unhealthy: it just runs.
    if (!check)
      return sim.failAfterMs !== undefined
        ? { kind: 'fails', atMs: sim.failAfterMs, healthyAtMs: 0 }
        : { kind: 'healthy', atMs: 0 };
    const giveUp = unhealthyAfterMs(check);
    if (sim.failAfterMs !== undefined && sim.failAfterMs < giveUp)
      return { kind: 'fails', atMs: sim.failAfterMs };
    return { kind: 'unhealthy', atMs: giveUp };
  }
  if (sim?.failAfterMs !== undefined) {
    return sim.failAfterMs > healthyAt
      ? { kind: 'fails', atMs: sim.failAfterMs, healthyAtMs: healthyAt }
      : { kind: 'fails', atMs: sim.failAfterMs };
  }
  return { kind: 'healthy', atMs: healthyAt };
}
