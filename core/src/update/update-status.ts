/**
 * Aurora's job update statuses. An update is active while it rolls (forward or back) or is
 * paused; the other five are terminal and final: no input moves an update out of them.
 */
export const UPDATE_STATUSES = [
  'ROLLING_FORWARD',
  'ROLLING_BACK',
  'ROLL_FORWARD_PAUSED',
  'ROLL_BACK_PAUSED',
  'ROLLED_FORWARD',
  'ROLLED_BACK',
  'ABORTED',
  'FAILED',
  'ERROR',
] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

export const ACTIVE_UPDATE_STATUSES: ReadonlySet<UpdateStatus> = new Set([
  'ROLLING_FORWARD',
  'ROLLING_BACK',
  'ROLL_FORWARD_PAUSED',
  'ROLL_BACK_PAUSED',
]);

export const isActiveUpdate = (s: UpdateStatus): boolean => ACTIVE_UPDATE_STATUSES.has(s);
export const isTerminalUpdate = (s: UpdateStatus): boolean => !ACTIVE_UPDATE_STATUSES.has(s);

/** What an update does to one instance: create it, replace its task, or kill it. */
export type InstanceOp = 'add' | 'update' | 'remove';

/** One instance of the plan, in the order the update visits it. */
export interface PlanStep {
  readonly instance: number;
  readonly op: InstanceOp;
}

/** Aurora's per-instance update actions, as recorded in update events. */
export type InstanceAction =
  | 'INSTANCE_UPDATING'
  | 'INSTANCE_UPDATED'
  | 'INSTANCE_UPDATE_FAILED'
  | 'INSTANCE_ROLLING_BACK'
  | 'INSTANCE_ROLLED_BACK'
  | 'INSTANCE_ROLLBACK_FAILED'
  /** One failure of the instance's new task, still within maxPerInstanceFailures. */
  | 'INSTANCE_FAILURE';

/** Rolling update (config change) or rolling restart (same config, tasks replaced in batches). */
export type UpdateOperation = 'update' | 'restart';
