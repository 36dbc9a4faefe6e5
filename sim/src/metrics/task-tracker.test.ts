import type { TaskEvent, TaskState } from '@borealis/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskTracker } from './task-tracker.js';

const ev = (time: number, taskId: string, state: TaskState, host?: string): TaskEvent => ({
  time,
  taskId,
  job: taskId.split('#')[0]!,
  instance: 0,
  state,
  ...(host !== undefined ? { host } : {}),
});

describe('TaskTracker', () => {
  it('measures PENDING → ASSIGNED delays and sorts ended tasks into their buckets', () => {
    const found: string[] = [];
    const t = new TaskTracker((_, m) => found.push(m));
    t.handle(ev(0, 'a#1', 'PENDING'));
    t.handle(ev(0, 'a#2', 'PENDING'));
    t.handle(ev(0, 'b#1', 'PENDING'));
    expect(t.pending()).toBe(3);
    expect([...t.pendingByJob]).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    t.handle(ev(5, 'a#1', 'ASSIGNED', 'h1'));
    t.handle(ev(6, 'a#1', 'STARTING', 'h1'));
    t.handle(ev(7, 'a#1', 'RUNNING', 'h1'));
    t.handle(ev(9, 'b#1', 'KILLING'));
    expect([...t.pendingByJob]).toEqual([['a', 1]]);
    t.handle(ev(20, 'a#1', 'LOST', 'h1'));
    t.handle(ev(20, 'a#3', 'PENDING'));
    t.handle(ev(50, 'a#3', 'ASSIGNED', 'h2'));
    t.handle(ev(51, 'a#3', 'KILLING', 'h2'));
    t.handle(ev(52, 'a#3', 'KILLED', 'h2'));
    expect([...t.allDelays.sorted()]).toEqual([5, 30]);
    expect(t.interval.scheduled).toBe(2);
    expect(t.interval.lost).toBe(1);
    expect({ created: t.created, launched: t.launched, lost: t.lost, killed: t.killed }).toEqual({
      created: 4,
      launched: 2,
      lost: 1,
      killed: 1,
    });
    expect(t.killedBeforeLaunch).toBe(1);
    expect(t.pending()).toBe(1);
    expect(t.onHost()).toBe(0);
    expect(found).toEqual([]);
  });

  it('keeps state per task across many tasks whose slots are reused, and counts a relaunch once', () => {
    const t = new TaskTracker();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3000; i++) t.handle(ev(round * 100, `j#${round}-${i}`, 'PENDING'));
      for (let i = 0; i < 3000; i++) t.handle(ev(round * 100 + (i % 7), `j#${round}-${i}`, 'ASSIGNED', 'h'));
      for (let i = 0; i < 3000; i += 2) t.handle(ev(round * 100 + 50, `j#${round}-${i}`, 'FINISHED', 'h'));
    }
    expect(t.created).toBe(9000);
    expect(t.finished).toBe(4500);
    expect(t.count('ASSIGNED')).toBe(4500);
    expect(t.onHost()).toBe(4500);
    const delays = t.allDelays.sorted();
    expect(delays.length).toBe(9000);
    expect(delays[delays.length - 1]).toBe(6);
    // A task that goes back to PENDING (rescheduled in place) and is assigned again: delay from
    // the second PENDING, launched counted once.
    t.handle(ev(1000, 'r#1', 'PENDING'));
    t.handle(ev(1001, 'r#1', 'ASSIGNED', 'h'));
    t.handle(ev(1002, 'r#1', 'PENDING'));
    t.handle(ev(1010, 'r#1', 'ASSIGNED', 'h'));
    expect(t.launched).toBe(9001);
    expect(t.allDelays.sorted().slice(-2).join()).toBe('6,8');
  });

  it('reports illegal transitions and tasks first seen after PENDING under audit', () => {
    const found: string[] = [];
    const t = new TaskTracker((_, m) => found.push(m));
    t.handle(ev(0, 'x#1', 'RUNNING', 'h'));
    t.handle(ev(0, 'y#1', 'PENDING'));
    t.handle(ev(1, 'y#1', 'FINISHED'));
    t.handle(ev(2, 'z#1', 'PENDING'));
    t.handle(ev(3, 'z#1', 'ASSIGNED'));
    expect(found).toEqual([
      'x#1 first seen in RUNNING (expected PENDING or THROTTLED)',
      'y#1: illegal transition PENDING → FINISHED',
      'z#1 ASSIGNED without a host',
    ]);
  });
  it('tells the slot of the task of each event and whether the event gave it that slot', () => {
    const t = new TaskTracker();
    t.handle(ev(0, 'a#1', 'PENDING'));
    const slot = t.lastSlot;
    expect([slot >= 0, t.lastFresh]).toEqual([true, true]);
    t.handle(ev(1, 'a#1', 'ASSIGNED', 'h1'));
    expect([t.lastSlot, t.lastFresh]).toEqual([slot, false]);
    t.handle(ev(2, 'a#1', 'LOST', 'h1'));
    expect([t.lastSlot, t.lastFresh]).toEqual([slot, false]);
    // The slot is free again: the next task takes it, as a fresh one.
    t.handle(ev(3, 'b#1', 'PENDING'));
    expect([t.lastSlot, t.lastFresh]).toEqual([slot, true]);
    t.handle(ev(4, 'c#9', 'DELETED'));
    expect([t.lastSlot, t.lastFresh]).toEqual([-1, false]);
  });

  it('gives the same results whatever slot hints it gets (right, wrong or stale)', () => {
    const STEPS: TaskState[] = ['PENDING', 'ASSIGNED', 'STARTING', 'RUNNING', 'FINISHED'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(7), fc.integer({ min: -1, max: 9 }), fc.boolean()), {
          minLength: 50,
          maxLength: 200,
        }),
        (ops) => {
          const plain = new TaskTracker();
          const hinted = new TaskTracker();
          const step = new Map<number, number>();
          const gen = new Map<number, number>();
          const slots: number[] = [];
          for (const [task, hint, right] of ops) {
            const n = step.get(task) ?? 0;
            const id = `j#${task}-${gen.get(task) ?? 0}`;
            const e = ev(n, id, STEPS[n]!, n > 0 ? 'h' : undefined);
            if (n === STEPS.length - 1) gen.set(task, (gen.get(task) ?? 0) + 1);
            step.set(task, (n + 1) % STEPS.length);
            hinted.hint = right ? hinted.slotOf(id) : hint;
            plain.handle(e);
            hinted.handle(e);
            slots.push(plain.lastSlot, hinted.lastSlot);
          }
          for (const s of STEPS) expect(hinted.count(s)).toBe(plain.count(s));
          expect([hinted.created, hinted.launched, hinted.finished]).toEqual([
            plain.created,
            plain.launched,
            plain.finished,
          ]);
          expect([...hinted.allDelays.sorted()]).toEqual([...plain.allDelays.sorted()]);
          for (let i = 0; i < slots.length; i += 2) expect(slots[i + 1]).toBe(slots[i]);
        },
      ),
    );
  });
});
