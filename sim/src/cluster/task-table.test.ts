import type { TaskEvent, TaskState } from '@borealis/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskTracker } from '../metrics/task-tracker.js';
import { TaskTable } from './task-table.js';

const ev = (taskId: string, state: TaskState): TaskEvent => ({
  time: 0,
  taskId,
  job: 'j',
  instance: 0,
  state,
});

describe('TaskTable sharing the tracker registry', () => {
  it('finds its tasks by id exactly like a table with a Map of its own, whichever side ends a task first', () => {
    // Ops on task k (of 6): 0 tracker sees it PENDING, 1 table launches it, 2 table releases it,
    // 3 tracker ends it (FINISHED), 4 tracker sees it again after it ended.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(5), fc.nat(4)), { minLength: 60, maxLength: 200 }), (ops) => {
        const tracker = new TaskTracker();
        const shared = new TaskTable();
        shared.share(tracker);
        const plain = new TaskTable();
        for (const [k, op] of ops) {
          const id = `t${k}`;
          if (op === 0 || op === 4) {
            if (tracker.slotOf(id) < 0) tracker.handle(ev(id, 'PENDING'));
          } else if (op === 1) {
            const running = shared.slotOf(id) !== undefined;
            expect(running).toBe(plain.slotOf(id) !== undefined);
            if (!running) {
              shared.allocate(id, shared.lastTrackerSlot);
              plain.allocate(id);
            }
          } else if (op === 2) {
            const a = shared.slotOf(id);
            const b = plain.slotOf(id);
            expect(a === undefined).toBe(b === undefined);
            if (a !== undefined) shared.release(a);
            if (b !== undefined) plain.release(b);
          } else if (tracker.slotOf(id) >= 0) tracker.handle(ev(id, 'FINISHED'));
          expect(shared.live).toBe(plain.live);
          for (let j = 0; j < 6; j++) {
            const a = shared.slotOf(`t${j}`);
            expect(a === undefined).toBe(plain.slotOf(`t${j}`) === undefined);
            if (a !== undefined) expect(shared.ids[a]).toBe(`t${j}`);
          }
        }
      }),
    );
  });
});
