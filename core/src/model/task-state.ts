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

export const isTerminal = (s: TaskState): boolean => TERMINAL_STATES.has(s);
