import { STOPPING_STATES, TASK_STATES, type TaskState } from '../model/task-state.js';

/**
 * Aurora's legal task state transitions (TaskStateMachine), plus PARTITIONED from Aurora 0.20's
 * partition awareness: a task on an unreachable agent may still be running, so it waits in
 * PARTITIONED and either reappears (back to where it was) or ends.
 *
 *   INIT ─► PENDING ─► ASSIGNED ─► STARTING ─► RUNNING ─► FINISHED / FAILED / KILLED / LOST ─► DELETED
 *     └──► THROTTLED ─┘    │ (kill)                  └─► KILLING / PREEMPTING / RESTARTING / DRAINING
 *                          └─► KILLING ─► DELETED (pending tasks are simply forgotten)
 *
 * Anything not listed is illegal; the transition function reports it and changes nothing.
 */
export const LEGAL_TRANSITIONS: { readonly [S in TaskState]: readonly TaskState[] } = {
  INIT: ['PENDING', 'THROTTLED'],
  PENDING: ['ASSIGNED', 'KILLING'],
  THROTTLED: ['PENDING', 'KILLING'],
  ASSIGNED: [
    'STARTING',
    'RUNNING',
    'FINISHED',
    'FAILED',
    'RESTARTING',
    'DRAINING',
    'KILLED',
    'KILLING',
    'LOST',
    'PREEMPTING',
    'PARTITIONED',
  ],
  STARTING: [
    'RUNNING',
    'FINISHED',
    'FAILED',
    'RESTARTING',
    'DRAINING',
    'KILLING',
    'KILLED',
    'LOST',
    'PREEMPTING',
    'PARTITIONED',
  ],
  RUNNING: [
    'FINISHED',
    'RESTARTING',
    'DRAINING',
    'FAILED',
    'KILLING',
    'KILLED',
    'LOST',
    'PREEMPTING',
    'PARTITIONED',
  ],
  FINISHED: ['DELETED'],
  FAILED: ['DELETED'],
  KILLED: ['DELETED'],
  LOST: ['DELETED'],
  KILLING: ['FINISHED', 'FAILED', 'KILLED', 'LOST', 'DELETED', 'PARTITIONED'],
  PREEMPTING: ['FINISHED', 'FAILED', 'KILLING', 'KILLED', 'LOST', 'PARTITIONED'],
  RESTARTING: ['FINISHED', 'FAILED', 'KILLING', 'KILLED', 'LOST', 'PARTITIONED'],
  DRAINING: ['FINISHED', 'FAILED', 'KILLING', 'KILLED', 'LOST', 'PARTITIONED'],
  PARTITIONED: [
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
  ],
  DELETED: [],
};

/** Dense index of each state, for typed-array tables (the store's per-state index uses it too). */
export const STATE_INDEX: { readonly [S in TaskState]: number } = Object.fromEntries(
  TASK_STATES.map((s, i) => [s, i]),
) as { [S in TaskState]: number };

export const STATE_COUNT = TASK_STATES.length;

/** legal[from * STATE_COUNT + to] === 1: one array read per check on the hot path. */
const legal = new Uint8Array(STATE_COUNT * STATE_COUNT);
for (const from of TASK_STATES) {
  for (const to of LEGAL_TRANSITIONS[from]) legal[STATE_INDEX[from] * STATE_COUNT + STATE_INDEX[to]] = 1;
}

export function isLegalTransition(from: TaskState, to: TaskState): boolean {
  return legal[STATE_INDEX[from] * STATE_COUNT + STATE_INDEX[to]] === 1;
}

/** States in which the scheduler has asked the task to stop and waits for it to end. */
export const KILL_PENDING_STATES: ReadonlySet<TaskState> = STOPPING_STATES;

/** Kill-pending states whose task comes back afterwards (the scheduler, not the user, stopped it). */
export const INTERRUPTING_STATES: ReadonlySet<TaskState> = new Set(['PREEMPTING', 'RESTARTING', 'DRAINING']);

/** States a task on a host reports while alive; reporting one of these for a dead task earns a kill. */
export const LIVE_REPORTED_STATES: ReadonlySet<TaskState> = new Set(['ASSIGNED', 'STARTING', 'RUNNING']);
