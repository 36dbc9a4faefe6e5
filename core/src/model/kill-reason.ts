/** Why the core kills a task; the reason decides the state the task is stopped through (lifecycle/kill-target.ts). */
export type KillReason =
  | 'user'
  | 'preempted'
  | 'drain'
  | 'update'
  | 'restart'
  | 'cron-collision'
  | 'unhealthy'
  | 'host-removed'
  /** A status update or reconciliation reply named a task the core does not know (Aurora kills it). */
  | 'unknown-task';
