import type { TaskState } from '../model/task-state.js';

/** Mesos's TaskState values (mesos.proto), without the TASK_ prefix. */
export const MESOS_TASK_STATES = [
  'STAGING',
  'STARTING',
  'RUNNING',
  'KILLING',
  'FINISHED',
  'FAILED',
  'KILLED',
  'ERROR',
  'LOST',
  'DROPPED',
  'UNREACHABLE',
  'GONE',
  'GONE_BY_OPERATOR',
  'UNKNOWN',
] as const;
export type MesosTaskState = (typeof MESOS_TASK_STATES)[number];

/**
 * What a Mesos status means for the task in the core, as Aurora reads it:
 * - STAGING: the launch is under way; nothing new for a task the core has ASSIGNED (`undefined`).
 * - KILLING: the executor is stopping the task; the terminal update follows (`undefined`). The
 *   core's own KILLING means "killed on purpose, never back", which a kill by someone else is not.
 * - ERROR (the task could not be launched as described) counts as FAILED.
 * - DROPPED, GONE, GONE_BY_OPERATOR and UNKNOWN: the task is not running and will not come back on
 *   its own: LOST (the lifecycle reschedules what must come back).
 * - UNREACHABLE: the agent is partitioned away; the task may come back: PARTITIONED, and LOST once
 *   the partition outlasts the core's partition delay (`SchedulerOptions.partitionDelayMs`).
 */
export function coreStateOf(state: MesosTaskState): TaskState | undefined {
  switch (state) {
    case 'STAGING':
    case 'KILLING':
      return undefined;
    case 'STARTING':
    case 'RUNNING':
    case 'FINISHED':
    case 'FAILED':
    case 'KILLED':
    case 'LOST':
      return state;
    case 'ERROR':
      return 'FAILED';
    case 'DROPPED':
    case 'GONE':
    case 'GONE_BY_OPERATOR':
    case 'UNKNOWN':
      return 'LOST';
    case 'UNREACHABLE':
      return 'PARTITIONED';
  }
}

/** States in which Mesos says a task is (or may be) alive on its agent: an unknown such task is killed. */
export function isAliveInMesos(state: MesosTaskState): boolean {
  return state === 'STAGING' || state === 'STARTING' || state === 'RUNNING' || state === 'KILLING';
}
