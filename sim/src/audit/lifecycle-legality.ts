import type { TaskState } from '@borealis/core';

/**
 * Which task state transitions are legal, written independently of the core's own state machine
 * (from Aurora's TaskStateMachine) so the audit is a second opinion rather than a copy.
 */
const ON_HOST_EXITS: readonly TaskState[] = [
  'FINISHED',
  'FAILED',
  'KILLING',
  'KILLED',
  'LOST',
  'PREEMPTING',
  'RESTARTING',
  'DRAINING',
  'PARTITIONED',
];

const LEGAL: Readonly<Partial<Record<TaskState, readonly TaskState[]>>> = {
  INIT: ['PENDING', 'THROTTLED'],
  PENDING: ['ASSIGNED', 'KILLING', 'KILLED', 'DELETED'],
  THROTTLED: ['PENDING', 'KILLING', 'KILLED', 'DELETED'],
  ASSIGNED: ['STARTING', 'RUNNING', ...ON_HOST_EXITS],
  STARTING: ['RUNNING', ...ON_HOST_EXITS],
  RUNNING: ON_HOST_EXITS,
  KILLING: ['KILLED', 'FINISHED', 'FAILED', 'LOST'],
  PREEMPTING: ['KILLING', 'KILLED', 'FINISHED', 'FAILED', 'LOST'],
  RESTARTING: ['KILLING', 'KILLED', 'FINISHED', 'FAILED', 'LOST'],
  DRAINING: ['KILLING', 'KILLED', 'FINISHED', 'FAILED', 'LOST'],
  PARTITIONED: ['ASSIGNED', 'STARTING', 'RUNNING', ...ON_HOST_EXITS.filter((s) => s !== 'PARTITIONED')],
  FINISHED: ['DELETED'],
  FAILED: ['DELETED'],
  KILLED: ['DELETED'],
  LOST: ['DELETED'],
};

const TABLE = new Map<TaskState, ReadonlySet<TaskState>>(
  Object.entries(LEGAL).map(([from, tos]) => [from as TaskState, new Set(tos)]),
);

export function isLegalTransition(from: TaskState, to: TaskState): boolean {
  return TABLE.get(from)?.has(to) ?? false;
}
