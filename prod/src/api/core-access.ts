import type { Scheduler } from '@borealis/core';

/**
 * The API's only way to the scheduling core. The daemon implements it around its driver loop
 * (commands queued into the loop and acknowledged once their changes are durable); tests use the
 * in-memory one in testing/memory-core.ts.
 */
export interface CoreAccess {
  /** Runs a command against the core inside the driver loop; resolves after its changes are durable. */
  command<T>(fn: (core: Scheduler) => T): Promise<T>;
  /** Reads the core's current state (never changes it). */
  read<T>(fn: (core: Scheduler) => T): T;
}

/** Whether this replica leads. A standby answers API calls with 307 to `leaderUrl`. */
export interface Leadership {
  leadership(): { readonly leader: boolean; readonly leaderUrl?: string };
}

/** Operations the daemon offers to admins; absent ones answer 503 (not available here). */
export interface AdminHooks {
  /** Starts an explicit reconciliation with the Mesos master now. */
  reconcile?(): Promise<Readonly<Record<string, unknown>>>;
  /** Writes a storage snapshot now. */
  snapshot?(): Promise<Readonly<Record<string, unknown>>>;
}
