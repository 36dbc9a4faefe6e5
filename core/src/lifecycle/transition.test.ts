import { describe, expect, it } from 'vitest';
import { TASK_STATES, type TaskState } from '../model/task-state.js';
import type { LifecycleEffect } from './effects.js';
import { type TransitionContext, transition } from './transition.js';
import { LEGAL_TRANSITIONS } from './transitions.js';

const MIN = 60_000;
const service: TransitionContext = { kind: 'service', failureCount: 0, maxTaskFailures: 1, now: 100 * MIN };
const adhoc: TransitionContext = { ...service, kind: 'adhoc' };
/** A task that has been RUNNING for an hour: not flapping. */
const longRun = { runningSince: 40 * MIN };

const kinds = (effects: readonly LifecycleEffect[]): string[] => effects.map((e) => e.kind);
const rescheduleOf = (effects: readonly LifecycleEffect[]) => effects.find((e) => e.kind === 'reschedule');

describe('the transition table', () => {
  it('accepts exactly the listed transitions and reports every other one as illegal, changing nothing', () => {
    for (const from of TASK_STATES) {
      for (const to of TASK_STATES) {
        if (from === to) continue;
        const r = transition(from, to, service);
        if (LEGAL_TRANSITIONS[from].includes(to)) {
          expect([from, to, r.result, r.next]).toEqual([from, to, 'success', to]);
          expect(r.event).toEqual({ time: service.now, state: to, message: undefined });
        } else {
          expect([from, to, r.result, r.next]).toEqual([from, to, 'illegal', from]);
          expect(r.event).toBeUndefined();
        }
      }
    }
  });

  it('treats a move to the current state as a no-op without effects or event', () => {
    for (const s of TASK_STATES) {
      expect(transition(s, s, service)).toEqual({
        result: 'noop',
        from: s,
        next: s,
        effects: [],
        event: undefined,
      });
    }
  });

  it('records the time and the message of each transition', () => {
    const r = transition('RUNNING', 'FAILED', { ...adhoc, now: 1234, message: 'exit code 1' });
    expect(r.event).toEqual({ time: 1234, state: 'FAILED', message: 'exit code 1' });
  });
});

describe('effects on the way up', () => {
  it('launches a task when it is assigned', () => {
    expect(kinds(transition('PENDING', 'ASSIGNED', service).effects)).toEqual(['save', 'launch']);
  });

  it('forgets a pending or throttled task that is killed, without saving it', () => {
    expect(kinds(transition('PENDING', 'KILLING', service).effects)).toEqual(['delete']);
    expect(kinds(transition('THROTTLED', 'KILLING', service).effects)).toEqual(['delete']);
  });

  it('sends a kill when the scheduler stops a live task, and only once', () => {
    for (const to of ['KILLING', 'PREEMPTING', 'RESTARTING', 'DRAINING'] as const) {
      expect(kinds(transition('RUNNING', to, service).effects)).toEqual(['save', 'kill']);
    }
    expect(kinds(transition('PREEMPTING', 'KILLING', service).effects)).toEqual(['save']);
  });

  it('kills a task it believes dead or stopping that reports itself alive, still reporting illegal', () => {
    for (const from of [
      'FINISHED',
      'FAILED',
      'KILLED',
      'LOST',
      'DELETED',
      'RESTARTING',
      'KILLING',
    ] as const) {
      const r = transition(from, 'RUNNING', service);
      expect([r.result, r.next, kinds(r.effects)]).toEqual(['illegal', from, ['kill']]);
    }
    expect(kinds(transition('FINISHED', 'PENDING', service).effects)).toEqual([]);
  });

  it('deletes terminal tasks without saving them', () => {
    for (const from of ['FINISHED', 'FAILED', 'KILLED', 'LOST', 'KILLING'] as const) {
      expect(kinds(transition(from, 'DELETED', service).effects)).toEqual(['delete']);
    }
  });
});

describe('rescheduling', () => {
  it('brings services back after they finish, and leaves finished ad-hoc tasks alone', () => {
    expect(rescheduleOf(transition('RUNNING', 'FINISHED', { ...service, ...longRun }).effects)).toEqual({
      kind: 'reschedule',
      state: 'PENDING',
      delayMs: 0,
      consecutiveFlaps: 0,
    });
    expect(kinds(transition('RUNNING', 'FINISHED', { ...adhoc, ...longRun }).effects)).toEqual(['save']);
    expect(
      kinds(transition('RUNNING', 'FINISHED', { ...service, kind: 'cron', ...longRun }).effects),
    ).toEqual(['save']);
  });

  it('counts failures and brings ad-hoc tasks back while failures stay below maxTaskFailures', () => {
    const at = (failureCount: number, maxTaskFailures: number) =>
      kinds(transition('RUNNING', 'FAILED', { ...adhoc, ...longRun, failureCount, maxTaskFailures }).effects);
    expect(at(0, 3)).toEqual(['incrementFailures', 'save', 'reschedule']);
    expect(at(1, 3)).toEqual(['incrementFailures', 'save', 'reschedule']);
    expect(at(2, 3)).toEqual(['incrementFailures', 'save']); // the third failure is the last
    expect(at(0, 1)).toEqual(['incrementFailures', 'save']);
    expect(at(0, 0)).toEqual(['incrementFailures', 'save']);
    expect(at(10_000, -1)).toEqual(['incrementFailures', 'save', 'reschedule']);
  });

  it('brings services back after any number of failures', () => {
    const r = transition('STARTING', 'FAILED', {
      ...service,
      ...longRun,
      failureCount: 99,
      maxTaskFailures: 1,
    });
    expect(kinds(r.effects)).toEqual(['incrementFailures', 'save', 'reschedule']);
  });

  it('never brings back a task that was killed on purpose', () => {
    for (const to of ['FINISHED', 'FAILED', 'KILLED', 'LOST'] as const) {
      expect(kinds(transition('KILLING', to, service).effects)).toEqual(['save']);
      // Even when the kill was interrupted by a partition and the task is then given up as LOST.
      const ctx = { ...service, userKill: true, beforePartition: 'KILLING' as const };
      expect(kinds(transition('PARTITIONED', to, ctx).effects)).toEqual(['save']);
    }
  });

  it('brings back lost tasks of every kind, killing one whose launch may still be in flight', () => {
    expect(kinds(transition('RUNNING', 'LOST', { ...adhoc, ...longRun }).effects)).toEqual([
      'save',
      'reschedule',
    ]);
    expect(kinds(transition('ASSIGNED', 'LOST', adhoc).effects)).toEqual(['save', 'kill', 'reschedule']);
    // A lost task was not flapping, however short it ran.
    const r = transition('RUNNING', 'LOST', {
      ...service,
      runningSince: service.now - 1000,
      consecutiveFlaps: 3,
    });
    expect(rescheduleOf(r.effects)).toMatchObject({ state: 'PENDING', delayMs: 0, consecutiveFlaps: 0 });
  });

  it('brings back preempted, restarted and drained tasks without counting a failure', () => {
    for (const from of ['PREEMPTING', 'RESTARTING', 'DRAINING'] as const) {
      for (const to of ['KILLED', 'FAILED'] as const) {
        const r = transition(from, to, { ...adhoc, runningSince: adhoc.now - 1000 });
        expect(kinds(r.effects)).toEqual(['save', 'reschedule']);
        expect(rescheduleOf(r.effects)).toMatchObject({ state: 'PENDING', delayMs: 0 });
      }
    }
  });

  it('brings back a task killed from outside (not by the scheduler)', () => {
    expect(kinds(transition('RUNNING', 'KILLED', { ...adhoc, ...longRun }).effects)).toEqual([
      'save',
      'reschedule',
    ]);
  });
});

describe('flapping', () => {
  const flap = (consecutiveFlaps: number, ranMs: number | undefined) => {
    const runningSince = ranMs === undefined ? undefined : service.now - ranMs;
    return rescheduleOf(
      transition(runningSince === undefined ? 'STARTING' : 'RUNNING', 'FAILED', {
        ...service,
        consecutiveFlaps,
        ...(runningSince === undefined ? {} : { runningSince }),
      }).effects,
    );
  };

  it('throttles the replacement of a task that ran less than five minutes, doubling up to five minutes', () => {
    const delays = [0, 1, 2, 3, 4, 9].map((n) => flap(n, MIN));
    expect(delays.map((d) => d?.state)).toEqual(Array(6).fill('THROTTLED'));
    expect(delays.map((d) => d?.delayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
    expect(delays.map((d) => d?.consecutiveFlaps)).toEqual([1, 2, 3, 4, 5, 10]);
  });

  it('counts a task that never reached RUNNING as flapping', () => {
    expect(flap(0, undefined)).toMatchObject({ state: 'THROTTLED', delayMs: 30_000 });
  });

  it('forgives the history once a run lasts past the threshold', () => {
    expect(flap(6, 5 * MIN)).toEqual({
      kind: 'reschedule',
      state: 'PENDING',
      delayMs: 0,
      consecutiveFlaps: 0,
    });
  });

  it('follows a custom throttle policy', () => {
    const throttle = { flappingThresholdMs: 10_000, initialPenaltyMs: 1000, maxPenaltyMs: 3000 };
    const at = (ranMs: number, consecutiveFlaps: number) =>
      rescheduleOf(
        transition('RUNNING', 'FINISHED', {
          ...service,
          runningSince: service.now - ranMs,
          consecutiveFlaps,
          throttle,
        }).effects,
      );
    expect(at(9_999, 0)?.delayMs).toBe(1000);
    expect(at(9_999, 5)?.delayMs).toBe(3000);
    expect(at(10_000, 5)?.delayMs).toBe(0);
  });
});

describe('partitions', () => {
  it('parks live and stopping tasks in PARTITIONED', () => {
    for (const from of ['ASSIGNED', 'STARTING', 'RUNNING', 'KILLING', 'PREEMPTING', 'DRAINING'] as const) {
      const r = transition(from, 'PARTITIONED', service);
      expect([r.result, kinds(r.effects)]).toEqual(['success', ['save']]);
    }
  });

  it('lets a task that reappears resume, or resume being stopped with the kill sent again', () => {
    const back = (beforePartition: TaskState) =>
      transition('PARTITIONED', 'RUNNING', { ...service, beforePartition });
    expect(back('RUNNING')).toMatchObject({ result: 'success', next: 'RUNNING' });
    expect(kinds(back('RUNNING').effects)).toEqual(['save']);
    for (const stopping of ['KILLING', 'PREEMPTING', 'RESTARTING', 'DRAINING'] as const) {
      const r = back(stopping);
      expect([r.result, r.next, kinds(r.effects)]).toEqual(['success', stopping, ['save', 'kill']]);
    }
  });

  it('judges a task that ends during a partition by what it was doing before', () => {
    const ctx = { ...adhoc, ...longRun, maxTaskFailures: 5 };
    expect(
      kinds(transition('PARTITIONED', 'FAILED', { ...ctx, beforePartition: 'RUNNING' }).effects),
    ).toEqual(['incrementFailures', 'save', 'reschedule']);
    expect(
      kinds(transition('PARTITIONED', 'FAILED', { ...ctx, beforePartition: 'DRAINING' }).effects),
    ).toEqual(['save', 'reschedule']);
    expect(kinds(transition('PARTITIONED', 'LOST', { ...ctx, beforePartition: 'ASSIGNED' }).effects)).toEqual(
      ['save', 'kill', 'reschedule'],
    );
  });
});
