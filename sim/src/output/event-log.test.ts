import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TASK_STATES, type TaskEvent, type TaskState } from '@borealis/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskTracker } from '../metrics/task-tracker.js';
import { EVENTS } from '../testing/task-events.js';
import { tempDir } from '../testing/trace-text.js';
import { taskEventLine } from './event-lines.js';
import { EventLog } from './event-log.js';

/** Writes the events as the simulation does (slots from a TaskTracker) and reads the file back. */
function written(events: readonly TaskEvent[], chunkBytes: number): string {
  const path = join(tempDir(), 'events.jsonl');
  const log = new EventLog(path, chunkBytes);
  const tracker = new TaskTracker();
  for (const e of events) {
    tracker.handle(e);
    log.write(e, tracker.lastSlot, tracker.lastFresh);
  }
  log.close();
  expect(log.lines).toBe(events.length);
  return readFileSync(path, 'utf8');
}

const expected = (events: readonly TaskEvent[]): string =>
  events.map((e) => `${taskEventLine(e)}\n`).join('');

describe('EventLog', () => {
  it('writes exactly taskEventLine for each event, new tasks, known tasks and untracked ones alike', () => {
    // Each task first (PENDING: strings sent), then again (known by slot), then ended and unknown.
    const events: TaskEvent[] = [
      ...EVENTS.map((e) => ({ ...e, state: 'PENDING' as const })),
      ...EVENTS.map((e) => ({ ...e, state: 'ASSIGNED' as const })),
      ...EVENTS,
      ...EVENTS.map((e) => ({ ...e, state: 'DELETED' as const })),
    ];
    expect(written(events, 1 << 16)).toBe(expected(events));
  });

  it('flushes across chunks and sends lines larger than a chunk as text', () => {
    const base = EVENTS[0]!;
    const many = Array.from({ length: 300 }, (_, i) => ({
      ...base,
      taskId: `t${i % 7}`,
      time: i * 7919,
      instance: i,
      state: TASK_STATES[i % TASK_STATES.length]!,
      ...(i % 3 === 0 ? { host: `h${i % 11}` } : {}),
    }));
    const huge = { ...base, taskId: `x${'😀'.repeat(3000)}`, host: 'h1', reason: 'y'.repeat(5000) };
    const odd = { ...base, state: 'NOT_A_STATE' as TaskState };
    const events = [...many, huge, { ...huge, state: 'RUNNING' as const }, odd, ...many];
    for (const bytes of [256, 1024, 1 << 16]) expect(written(events, bytes)).toBe(expected(events));
  });

  it('matches taskEventLine for random event streams and chunk sizes', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 12 }),
    );
    const event = fc.record({
      task: fc.integer({ min: 0, max: 9 }),
      state: fc.constantFrom(...TASK_STATES),
      time: fc.oneof(fc.nat(), fc.double({ noNaN: true })),
      instance: fc.nat({ max: 5000 }),
      host: fc.option(fc.constantFrom('h1', 'h2', 'hé', 'h"3'), { nil: undefined }),
      reason: fc.option(text, { nil: undefined }),
    });
    fc.assert(
      // A task's job is part of its identity: it never changes between its events.
      fc.property(
        fc.array(event, { maxLength: 200 }),
        fc.array(text, { minLength: 10, maxLength: 10 }),
        fc.integer({ min: 64, max: 4096 }),
        (raw, jobs, bytes) => {
          const events: TaskEvent[] = raw.map((r) => ({
            time: r.time,
            taskId: `task-${r.task}`,
            job: jobs[r.task]!,
            instance: r.instance,
            state: r.state,
            ...(r.host !== undefined ? { host: r.host } : {}),
            ...(r.reason !== undefined ? { reason: r.reason } : {}),
          }));
          expect(written(events, bytes)).toBe(expected(events));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reports a failed write when closed, still closes the file, and closes it only once', () => {
    const log = new EventLog('/dev/full', 256);
    expect(() => {
      try {
        for (let i = 0; i < 100; i++) log.write({ ...EVENTS[0]!, time: i }, -1, false);
      } finally {
        log.close();
      }
    }).toThrow(/ENOSPC/);
    log.close();
  });
});
