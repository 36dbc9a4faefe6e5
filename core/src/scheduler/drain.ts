/**
 * Which tasks to stop on a DRAINING host, and when. The simple drain stops every task at once;
 * SLA-aware draining (maintenance/sla-drain-policy.ts) stops only what keeps each job within its
 * SLA and waits for the rest, until the drain's deadline forces them.
 */
export interface DrainPolicy {
  /**
   * Of the live tasks on a draining host (not already stopping), those to stop now. `deadline` is
   * when the drain stops waiting; at or after it every task is stopped.
   */
  decide(tasks: readonly string[], now: number, deadline: number): DrainDecision;
}

export interface DrainDecision {
  /** Stop these now. */
  readonly stop: readonly string[];
  /** Of `stop`, those stopped only because the deadline passed. */
  readonly forced: readonly string[];
  /** Left running for now because stopping them would break their job's SLA. */
  readonly delayed: readonly string[];
}

export const DRAIN_ALL: DrainPolicy = {
  decide: (tasks) => ({ stop: tasks, forced: [], delayed: [] }),
};
