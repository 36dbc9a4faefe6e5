import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TaskEventRecord } from '../data/run-files.js';
import { eventsByJob, lifecycleRows } from './lifecycle.js';

const ev = (t: number, task: string, instance: number, state: string, host?: string): TaskEventRecord => ({
  t,
  task,
  job: 'www/prod/web',
  instance,
  state,
  ...(host ? { host } : {}),
});

describe('lifecycleRows', () => {
  it('puts a rescheduled task on its instance row after the preempted one', () => {
    const rows = lifecycleRows(
      [
        ev(0, 'a0', 0, 'PENDING'),
        ev(10, 'a0', 0, 'ASSIGNED', 'h1'),
        ev(12, 'a0', 0, 'RUNNING'),
        ev(50, 'a0', 0, 'PREEMPTING'),
        ev(51, 'a0', 0, 'KILLED'),
        ev(51, 'b0', 0, 'PENDING'),
        ev(60, 'b0', 0, 'ASSIGNED', 'h2'),
        ev(61, 'b0', 0, 'RUNNING'),
        ev(5, 'a1', 1, 'PENDING'),
      ],
      100,
    );
    expect(rows.map((r) => r.instance)).toEqual([0, 1]);
    expect(rows[0]!.tasks).toEqual(['a0', 'b0']);
    const running = rows[0]!.segments.find((s) => s.task === 'a0' && s.state === 'RUNNING')!;
    expect(running).toMatchObject({ start: 12, end: 50, host: 'h1', terminal: false });
    expect(rows[0]!.segments.find((s) => s.task === 'a0' && s.state === 'KILLED')).toMatchObject({
      start: 51,
      end: 51,
      terminal: true,
    });
    expect(rows[0]!.segments.at(-1)).toMatchObject({
      task: 'b0',
      state: 'RUNNING',
      start: 61,
      end: 100,
      host: 'h2',
    });
    expect(rows[1]!.segments).toEqual([
      { task: 'a1', state: 'PENDING', start: 5, end: 100, terminal: false },
    ]);
  });

  it('property: segments cover each task from its first event to its end without gaps', () => {
    const states = [
      'PENDING',
      'ASSIGNED',
      'STARTING',
      'RUNNING',
      'KILLING',
      'FINISHED',
      'FAILED',
      'KILLED',
      'LOST',
    ];
    const taskArb = fc.array(
      fc.record({ dt: fc.integer({ min: 0, max: 1000 }), s: fc.constantFrom(...states) }),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(fc.array(taskArb, { minLength: 1, maxLength: 6 }), (tasks) => {
        const events: TaskEventRecord[] = [];
        const endMs = 1_000_000;
        tasks.forEach((steps, k) => {
          let t = k * 7;
          for (const st of steps) {
            t += st.dt;
            events.push(ev(t, `t${k}`, k % 3, st.s));
          }
        });
        events.sort((a, b) => a.t - b.t);
        const rows = lifecycleRows(events, endMs);
        for (const row of rows) {
          for (const task of row.tasks) {
            const segs = row.segments.filter((s) => s.task === task);
            const own = events.filter((e) => e.task === task);
            expect(segs[0]!.start).toBe(own[0]!.t);
            for (let i = 1; i < segs.length; i++) expect(segs[i]!.start).toBe(segs[i - 1]!.end);
            const last = segs.at(-1)!;
            if (last.terminal) expect(last.end).toBe(last.start);
            else expect(last.end).toBe(endMs);
            // A terminal state ends the task: nothing after it is drawn.
            expect(segs.slice(0, -1).every((s) => !s.terminal)).toBe(true);
          }
        }
        expect(rows.reduce((n, r) => n + r.tasks.length, 0)).toBe(tasks.length);
      }),
    );
  });
});

describe('eventsByJob', () => {
  it('groups by job keeping order', () => {
    const a = { ...ev(1, 'x', 0, 'PENDING'), job: 'a/b/c' };
    const b = ev(2, 'y', 0, 'PENDING');
    const c = { ...ev(3, 'x', 0, 'ASSIGNED'), job: 'a/b/c' };
    expect([...eventsByJob([a, b, c]).get('a/b/c')!]).toEqual([a, c]);
  });
});
