import type { TaskEvent, TaskState } from '@borealis/core';
import { describe, expect, it } from 'vitest';
import { type EndlessRestart, RESTART_LOOP_EXITS, RestartLoops } from './restart-loops.js';

const kinds: Record<string, EndlessRestart> = { 'r/e/svc': 'any-exit', 'r/e/retry': 'failure' };

/** Drives RestartLoops with hand-made events; tasks with ids ending in "-end" have a scheduled exit. */
function harness() {
  const loops = new RestartLoops(
    (job) => kinds[job],
    (id) => id.endsWith('-end'),
  );
  let time = 0;
  const send = (job: string, taskId: string, state: TaskState, reason?: string): boolean =>
    loops.observe({ time: time++, taskId, job, instance: 0, state, reason } as TaskEvent);
  /** One run of a task: placed, started, running, then ended with `end`. Returns the perpetual flags. */
  const run = (job: string, taskId: string, end: TaskState, reason?: string): boolean[] =>
    (['PENDING', 'ASSIGNED', 'STARTING', 'RUNNING'] as const)
      .map((s) => send(job, taskId, s))
      .concat([send(job, taskId, end, reason)]);
  return { loops, send, run };
}

describe('RestartLoops', () => {
  it('calls a service instance looping after RESTART_LOOP_EXITS own exits in a row, and its later events perpetual', () => {
    const { loops, send, run } = harness();
    for (let i = 0; i < RESTART_LOOP_EXITS; i++) {
      expect(run('r/e/svc', `t${i}-end`, i % 2 ? 'FINISHED' : 'FAILED')).not.toContain(true);
    }
    expect(loops.instances).toBe(1);
    expect(send('r/e/svc', 'next-end', 'THROTTLED')).toBe(true);
    expect(loops.throttled).toBe(1);
    expect(send('r/e/svc', 'next-end', 'PENDING')).toBe(true);
    expect([loops.throttled, loops.inFlight]).toEqual([0, 0]);
    expect(send('r/e/svc', 'next-end', 'ASSIGNED')).toBe(true);
    expect(loops.inFlight).toBe(1);
    expect(loops.perpetual('next-end')).toBe(true);
    send('r/e/svc', 'next-end', 'RUNNING');
    // The scheduled exit is queued: still one event in flight.
    expect(loops.inFlight).toBe(1);
    send('r/e/svc', 'next-end', 'FAILED');
    expect(loops.inFlight).toBe(0);
    expect(loops.perpetual('next-end')).toBe(false);
    // Running until killed: nothing in flight, only a health-check restart's kill.
    send('r/e/svc', 'forever', 'ASSIGNED');
    send('r/e/svc', 'forever', 'RUNNING');
    expect(loops.inFlight).toBe(0);
    send('r/e/svc', 'forever', 'RESTARTING', 'failed health check');
    expect(loops.inFlight).toBe(1);
  });

  it('ends the loop on a deliberate kill: the kill and what follows are finite again', () => {
    const { loops, send, run } = harness();
    for (let i = 0; i < RESTART_LOOP_EXITS; i++) run('r/e/svc', `t${i}`, 'FAILED');
    send('r/e/svc', 'x-end', 'ASSIGNED');
    expect(loops.inFlight).toBe(1);
    expect(send('r/e/svc', 'x-end', 'KILLING', 'update')).toBe(false);
    expect([loops.instances, loops.inFlight]).toEqual([0, 0]);
    expect(run('r/e/svc', 'fixed', 'FAILED')).not.toContain(true);
  });

  it('breaks a streak with a rolling restart, a kill while pending or a finish that does not come back', () => {
    const { loops, send, run } = harness();
    for (let i = 0; i < RESTART_LOOP_EXITS - 1; i++) run('r/e/svc', `a${i}`, 'FAILED');
    send('r/e/svc', 'b', 'RESTARTING', 'restart');
    for (let i = 0; i < RESTART_LOOP_EXITS - 1; i++) run('r/e/svc', `c${i}`, 'FAILED');
    expect(loops.instances).toBe(0);
    // Ad-hoc with unlimited retries: failures count, a finish ends the streak.
    for (let i = 0; i < RESTART_LOOP_EXITS - 1; i++) run('r/e/retry', `d${i}`, 'FAILED');
    run('r/e/retry', 'e', 'FINISHED');
    for (let i = 0; i < RESTART_LOOP_EXITS - 1; i++) run('r/e/retry', `f${i}`, 'FAILED');
    expect(loops.instances).toBe(0);
    run('r/e/retry', 'g', 'FAILED');
    expect(loops.instances).toBe(1);
    send('r/e/retry', 'h', 'THROTTLED');
    expect(loops.throttled).toBe(1);
    // Killed while throttled: forgotten, nothing left in flight.
    send('r/e/retry', 'h', 'KILLING', 'user');
    expect([loops.instances, loops.throttled, loops.inFlight]).toEqual([0, 0, 0]);
  });

  it('ignores jobs whose instances do not come back for ever', () => {
    const { loops, run } = harness();
    for (let i = 0; i < 2 * RESTART_LOOP_EXITS; i++) run('r/e/limited', `t${i}`, 'FAILED');
    expect(loops.instances).toBe(0);
  });
});
