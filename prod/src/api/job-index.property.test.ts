import type { Scheduler, TaskEvent, TaskState } from '@borealis/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JobIndex } from './job-index.js';

/** Feeds task events straight into the index, as the core's listener would. */
function feed(index: JobIndex): (e: TaskEvent) => void {
  let listener: ((e: TaskEvent) => void) | undefined;
  index.attach({
    onTaskEvent: (l: (e: TaskEvent) => void) => {
      listener = l;
    },
    onUpdateEvent: () => {},
  } as unknown as Scheduler);
  return (e) => listener?.(e);
}

const STATES: TaskState[] = ['PENDING', 'ASSIGNED', 'RUNNING', 'KILLED', 'FINISHED'];
const ENDED = new Set<TaskState>(['KILLED', 'FINISHED']);

describe('JobIndex history bounds', () => {
  it('keeps every live task, at most the limit of ended ones beyond them, and the newest events of each', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ task: fc.nat(30), state: fc.constantFrom(...STATES) }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 10 }),
        (steps, limit) => {
          const index = new JobIndex({ tasksPerJob: limit, eventsPerTask: 3 });
          const send = feed(index);
          const last = new Map<string, TaskState>();
          let peakLive = 0;
          steps.forEach((s, time) => {
            const taskId = `t${s.task}`;
            if (ENDED.has(last.get(taskId) ?? 'PENDING') && last.has(taskId)) return; // ended tasks stay ended
            last.set(taskId, s.state);
            send({ time, taskId, job: 'www/prod/web', instance: s.task, state: s.state });
            peakLive = Math.max(peakLive, [...last.values()].filter((x) => !ENDED.has(x)).length);
          });
          const kept = index.tasksOf('www/prod/web');
          const live = [...last].filter(([, s]) => !ENDED.has(s)).map(([id]) => id);
          for (const id of live) expect(index.task(id)?.state).toBe(last.get(id));
          // Ended tasks are dropped only when a new task arrives, so the bound is the limit or the most ever live.
          expect(kept.length).toBeLessThanOrEqual(Math.max(limit, peakLive));
          for (const t of kept) {
            expect(t.events.length).toBeLessThanOrEqual(3);
            expect(t.events.at(-1)?.state).toBe(t.state);
          }
        },
      ),
    );
  });
});
