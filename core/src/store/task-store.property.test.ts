import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLegalTransition } from '../lifecycle/transitions.js';
import { ACTIVE_ON_HOST_STATES, isTerminal, TASK_STATES, type TaskState } from '../model/task-state.js';
import type { JobKind } from '../model/tier.js';
import type { TaskRecord } from './task-record.js';
import { TaskStore } from './task-store.js';
import { key, ManualClock, seededRandom, taskConfig } from './test-fixtures.js';

const JOBS: readonly { name: string; kind: JobKind; maxTaskFailures: number }[] = [
  { name: 'web', kind: 'service', maxTaskFailures: 1 },
  { name: 'etl', kind: 'adhoc', maxTaskFailures: 3 },
  { name: 'nightly', kind: 'cron', maxTaskFailures: -1 },
];
const HOSTS = ['h1', 'h2', 'h3'];

const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('add' as const), job: fc.nat(JOBS.length - 1) }),
    fc.record({
      op: fc.constant('move' as const),
      pick: fc.nat(1000),
      to: fc.constantFrom(...TASK_STATES),
      host: fc.nat(HOSTS.length - 1),
    }),
    fc.record({
      op: fc.constant('move' as const),
      pick: fc.nat(1000),
      to: fc.constantFrom<TaskState>('ASSIGNED', 'RUNNING', 'FAILED', 'FINISHED', 'LOST'),
      host: fc.nat(HOSTS.length - 1),
    }),
    fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 400_000 }) }),
    fc.constant({ op: 'release' as const }),
  ),
  { maxLength: 120 },
);

const ids = (tasks: readonly TaskRecord[]) => tasks.map((t) => t.id).sort();

/** The indexes must say exactly what a scan of every task says. */
function checkIndexes(store: TaskStore): void {
  const all = [...store.all()];
  expect(store.size).toBe(all.length);
  for (const t of all) expect(store.get(t.id)).toBe(t);
  for (const s of TASK_STATES) {
    const expected = all.filter((t) => t.state === s);
    expect(store.count(s)).toBe(expected.length);
    expect(ids(store.inState(s))).toEqual(ids(expected));
  }
  for (const { name } of JOBS) {
    const expected = all.filter((t) => t.job === `www/prod/${name}`);
    expect(ids(store.ofJob(key(name)))).toEqual(ids(expected));
    expect(store.countOfJob(`www/prod/${name}`)).toBe(expected.length);
  }
  for (const host of HOSTS) {
    const expected = all.filter((t) => t.host === host && ACTIVE_ON_HOST_STATES.has(t.state));
    expect(ids(store.onHost(host))).toEqual(ids(expected));
    expect(store.countOnHost(host)).toBe(expected.length);
  }
}

describe('TaskStore (properties)', () => {
  it('keeps its indexes in agreement with a scan, reschedules into exactly one next run, never revives', () => {
    fc.assert(
      fc.property(ops, fc.integer(), (script, seed) => {
        const clock = new ManualClock(0);
        const store = new TaskStore({ clock, random: seededRandom(seed) });
        const configs = JOBS.map((j) => taskConfig(j.maxTaskFailures));
        const nextInstance = JOBS.map(() => 0);
        const endedAs = new Map<string, TaskState>();

        for (const step of script) {
          if (step.op === 'add') {
            const j = JOBS[step.job]!;
            const instance = nextInstance[step.job]!++;
            store.add({ job: key(j.name), kind: j.kind, instance, config: configs[step.job]! });
          } else if (step.op === 'wait') clock.advance(step.ms);
          else if (step.op === 'release') {
            for (const r of store.releaseThrottled()) expect(r.task?.state).toBe('PENDING');
          } else {
            const live = [...store.all()];
            if (live.length === 0) continue;
            const task = live[step.pick % live.length]!;
            const from = task.state;
            const sizeBefore = store.size;
            const r = store.transition(task.id, step.to, { host: HOSTS[step.host]! });
            // Illegal moves are reported, and change nothing.
            if (r.result === 'illegal') {
              expect(isLegalTransition(from, step.to)).toBe(false);
              expect(task.state).toBe(from);
            }
            if (r.result === 'success') expect(isLegalTransition(from, r.next)).toBe(true);
            const reschedules = r.effects.filter((e) => e.kind === 'reschedule');
            if (reschedules.length === 1) {
              const next = r.replacement!;
              expect(store.size).toBe(sizeBefore + 1);
              expect(next).toMatchObject({
                state: reschedules[0]!.kind === 'reschedule' ? reschedules[0]!.state : 'never',
                ancestorId: task.id,
                job: task.job,
                instance: task.instance,
                failureCount: task.failureCount,
              });
              expect(next.config).toBe(task.config);
            } else {
              expect(reschedules.length).toBe(0);
              expect(r.replacement).toBeUndefined();
            }
          }
          // A task that ended stays ended until it is deleted.
          for (const [id, ended] of endedAs) {
            const t = store.get(id);
            if (t !== undefined) expect(t.state).toBe(ended);
          }
          for (const t of store.all()) if (isTerminal(t.state)) endedAs.set(t.id, t.state);
          // Each instance has at most one run that has not ended.
          const running = new Set<string>();
          for (const t of store.all()) {
            if (isTerminal(t.state)) continue;
            const instance = `${t.job}#${t.instance}`;
            expect(running.has(instance)).toBe(false);
            running.add(instance);
          }
          checkIndexes(store);
        }
      }),
      { numRuns: 200 },
    );
  });
});
