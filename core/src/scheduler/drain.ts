/**
 * Which tasks to stop on a DRAINING host, and when. The simple drain stops every task at once;
 * SLA-aware draining (a later issue) will stop them in batches that keep each job within its SLA
 * policy, behind this same seam.
 */
export interface DrainPolicy {
  /** Of the tasks on a draining host, those to stop now. */
  tasksToStop(tasks: readonly string[]): readonly string[];
}

export const DRAIN_ALL: DrainPolicy = {
  tasksToStop: (tasks) => tasks,
};
