/** Aurora's task states. INIT is the state before a task exists; DELETED after it is forgotten. */
export const TASK_STATES = [
  'INIT',
  'PENDING',
  'THROTTLED',
  'ASSIGNED',
  'STARTING',
  'RUNNING',
  'FINISHED',
  'FAILED',
  'KILLING',
  'KILLED',
  'LOST',
  'PREEMPTING',
  'RESTARTING',
  'DRAINING',
  'PARTITIONED',
  'DELETED',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set([
  'FINISHED',
  'FAILED',
  'KILLED',
  'LOST',
  'DELETED',
]);
/** States in which a task holds resources on a host. */
export const ACTIVE_ON_HOST_STATES: ReadonlySet<TaskState> = new Set([
  'ASSIGNED',
  'STARTING',
  'RUNNING',
  'KILLING',
  'PREEMPTING',
  'RESTARTING',
  'DRAINING',
  'PARTITIONED',
]);

/**
 * The scheduler asked these tasks to stop and they are on their way out (their kill is in flight):
 * KILLING for good, the others to be rescheduled. Defined once; lifecycle, maintenance, updates and
 * the test harness all read this set.
 */
export const STOPPING_STATES: ReadonlySet<TaskState> = new Set([
  'KILLING',
  'PREEMPTING',
  'RESTARTING',
  'DRAINING',
]);

export const isTerminal = (s: TaskState): boolean => TERMINAL_STATES.has(s);
