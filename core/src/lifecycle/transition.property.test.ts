import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTerminal, TASK_STATES, type TaskState } from '../model/task-state.js';
import { JOB_KINDS } from '../model/tier.js';
import { type TransitionContext, transition } from './transition.js';
import { isLegalTransition, KILL_PENDING_STATES } from './transitions.js';

const state = fc.constantFrom(...TASK_STATES);
const context = fc.record({
  kind: fc.constantFrom(...JOB_KINDS),
  failureCount: fc.nat(10),
  maxTaskFailures: fc.integer({ min: -1, max: 10 }),
  runningSince: fc.option(fc.nat(1_000_000), { nil: undefined }),
  consecutiveFlaps: fc.nat(20),
  userKill: fc.boolean(),
});

/** Walks one task through a random sequence of requested states, as a driver would. */
function walk(steps: readonly { to: TaskState; ctx: Omit<TransitionContext, 'now'> }[]) {
  let current: TaskState = 'INIT';
  let beforePartition: TaskState | undefined;
  const trail: { from: TaskState; to: TaskState; r: ReturnType<typeof transition> }[] = [];
  steps.forEach(({ to, ctx }, now) => {
    const r = transition(current, to, { ...ctx, now, beforePartition });
    trail.push({ from: current, to, r });
    if (r.result === 'success') {
      if (r.next === 'PARTITIONED') beforePartition = current;
      current = r.next;
    }
  });
  return trail;
}

const steps = fc.array(fc.record({ to: state, ctx: context }), { maxLength: 40 });

describe('transition (properties)', () => {
  it('reports every move outside the table as illegal and never changes state then', () => {
    fc.assert(
      fc.property(steps, (s) => {
        for (const { from, to, r } of walk(s)) {
          if (from === to) expect(r.result).toBe('noop');
          else if (r.result === 'illegal') {
            expect(r.next).toBe(from);
            expect(r.event).toBeUndefined();
            expect(isLegalTransition(from, to)).toBe(false);
          } else {
            expect(r.result).toBe('success');
            expect(isLegalTransition(from, r.next)).toBe(true);
            expect(r.event?.state).toBe(r.next);
            // The only success that lands elsewhere than asked: a partitioned task resuming its kill.
            if (r.next !== to) expect([from, KILL_PENDING_STATES.has(r.next)]).toEqual(['PARTITIONED', true]);
          }
        }
      }),
    );
  });

  it('never revives a terminal task', () => {
    fc.assert(
      fc.property(steps, (s) => {
        let ended: TaskState | undefined;
        for (const { r } of walk(s)) {
          if (ended !== undefined) expect([ended, 'DELETED']).toContain(r.next);
          else if (isTerminal(r.next)) ended = r.next;
        }
      }),
    );
  });

  it('reschedules at most once, only into an end, and never after a deliberate kill', () => {
    fc.assert(
      fc.property(steps, (s) => {
        for (const { from, r } of walk(s)) {
          const reschedules = r.effects.filter((e) => e.kind === 'reschedule');
          expect(reschedules.length).toBeLessThanOrEqual(1);
          if (reschedules.length === 1) {
            expect(r.result).toBe('success');
            expect(['FINISHED', 'FAILED', 'KILLED', 'LOST']).toContain(r.next);
            expect(from).not.toBe('KILLING');
          }
        }
      }),
    );
  });
});
