/** Test helper: task events for the event-log tests. */
import type { TaskEvent } from '@borealis/core';

export const base: TaskEvent = {
  time: 0,
  taskId: 'r/prod/web/0/1',
  job: 'r/prod/web',
  instance: 0,
  state: 'PENDING',
};

/** Events with every kind of string and number an events.jsonl line must get right. */
export const EVENTS: TaskEvent[] = [
  base,
  { ...base, time: 86_400_000, instance: 1234, state: 'ASSIGNED', host: 'h00001' },
  { ...base, time: 10, state: 'KILLING', host: 'h1', reason: 'preempted by r/prod/db/0' },
  { ...base, time: 1.5, instance: 10, state: 'RUNNING', host: 'h"quoted"' },
  { ...base, time: -0, taskId: 'back\\slash/0', job: 'ctrl\u0001\n\t', state: 'LOST', reason: 'héllo ✓' },
  { ...base, time: 1e21, taskId: 'lone \ud800 surrogate', job: 'pair 😀', instance: 9, state: 'FAILED' },
  { ...base, time: Number.MAX_SAFE_INTEGER, instance: 99_999, state: 'FINISHED', host: 'del\u007f' },
];
