export interface BackoffSettings {
  /** First retry delay of a group that could not be placed. */
  readonly initialMs: number;
  /** The delay doubles per fruitless attempt up to this. */
  readonly maxMs: number;
}

/** Aurora's task-group penalty: 1 s doubling to 1 min. */
export const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 1000, maxMs: 60_000 };

/**
 * The next retry penalty of a group after an attempt that left tasks pending. An attempt that placed
 * some tasks shows the cluster has room for the group again, so the penalty starts over; an attempt
 * that placed nothing doubles it, up to the maximum, so a group that does not fit costs a bounded
 * number of attempts per minute.
 */
export function nextPenalty(previousMs: number, placedAny: boolean, settings: BackoffSettings): number {
  if (placedAny || previousMs <= 0) return Math.min(settings.initialMs, settings.maxMs);
  return Math.min(previousMs * 2, settings.maxMs);
}
