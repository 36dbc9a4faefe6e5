import type { Effect, JobConfig, ReportedState, TaskEvent } from '@borealis/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nullScheduler } from './sim-baseline.js';

/** The null policy spelled out plainly (a scan of every task per host failure): what it must do. */
function reference(now: () => number) {
  const hosts: string[] = [];
  const down = new Set<string>();
  const tasks = new Map<string, { job: string; instance: number; state: string; host?: string }>();
  const byJob = new Map<string, string[]>();
  let pending: string[] = [];
  const events: TaskEvent[] = [];
  const effects: Exclude<Effect, { kind: 'reconcile' }>[] = [];
  let next = 0;
  let ids = 0;
  const emit = (id: string, state: string) => {
    const t = tasks.get(id)!;
    t.state = state;
    events.push({
      time: now(),
      taskId: id,
      job: t.job,
      instance: t.instance,
      state,
      host: t.host,
    } as TaskEvent);
    if (['FINISHED', 'FAILED', 'KILLED', 'LOST'].includes(state)) tasks.delete(id);
  };
  const lose = (h: string) => {
    down.add(h);
    for (const [id, t] of tasks) if (t.host === h) emit(id, 'LOST');
  };
  return {
    events,
    effects,
    tasks,
    addHost: (h: string) => hosts.push(h),
    hostDown: lose,
    hostUp: (h: string) => down.delete(h),
    submit: (job: string, n: number) => {
      const list: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = `${job}/${i}/${++ids}`;
        tasks.set(id, { job, instance: i, state: 'INIT' });
        list.push(id);
        pending.push(id);
        emit(id, 'PENDING');
      }
      byJob.set(job, list);
    },
    kill: (job: string, instances?: number[]) => {
      const list = byJob.get(job) ?? [];
      const chosen = instances ? [...new Set(instances)].sort((a, b) => a - b).map((i) => list[i]) : list;
      for (const id of chosen) {
        const t = id === undefined ? undefined : tasks.get(id);
        if (!t || id === undefined) continue;
        if (t.host === undefined) emit(id, 'KILLED');
        else effects.push({ kind: 'kill', taskId: id, host: t.host, reason: 'user' });
      }
    },
    status: (id: string, state: string) => {
      if (tasks.has(id)) emit(id, state);
    },
    tick: () => {
      for (const id of pending) {
        const t = tasks.get(id);
        if (t?.state !== 'PENDING') continue;
        let host = hosts[next++ % hosts.length]!;
        for (let tries = 0; down.has(host) && tries < hosts.length; tries++)
          host = hosts[next++ % hosts.length]!;
        t.host = host;
        emit(id, 'ASSIGNED');
        effects.push({ kind: 'launch', taskId: id, job: t.job, instance: t.instance, host } as Exclude<
          Effect,
          { kind: 'reconcile' }
        >);
      }
      pending = [];
    },
  };
}

const config = (name: string, instances: number) =>
  ({ key: { role: 'r', environment: 'prod', name }, instances, task: {} }) as unknown as JobConfig;

const STATES: ReportedState[] = ['STARTING', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED', 'LOST'];

describe('nullScheduler', () => {
  it('emits the same events and effects as the plain null policy, host failures included', () => {
    const op = fc.oneof(
      { arbitrary: fc.tuple(fc.constant('submit'), fc.nat(3), fc.nat(9)), weight: 3 },
      { arbitrary: fc.tuple(fc.constant('tick'), fc.constant(0), fc.constant(0)), weight: 3 },
      fc.tuple(fc.constant('status'), fc.nat(50), fc.nat(STATES.length - 1)),
      { arbitrary: fc.tuple(fc.constant('down'), fc.nat(4), fc.constant(0)), weight: 2 },
      fc.tuple(fc.constant('up'), fc.nat(4), fc.constant(0)),
      fc.tuple(fc.constant('kill'), fc.nat(3), fc.integer({ min: -1, max: 4 })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        let time = 0;
        const clock = { now: () => time };
        const s = nullScheduler({ clock, random: () => 0 } as never);
        const got: TaskEvent[] = [];
        s.onTaskEvent((e) => got.push(e));
        // The null scheduler launches and kills only.
        const gotEffects: Exclude<Effect, { kind: 'reconcile' }>[] = [];
        const ref = reference(clock.now);
        for (let h = 0; h < 4; h++) {
          s.addHost({ id: `h${h}` } as never);
          ref.addHost(`h${h}`);
        }
        for (const [kind, a, b] of ops) {
          time++;
          const ids = [...ref.tasks.keys()];
          if (kind === 'submit') {
            s.submitJob(config(`j${a}`, b));
            ref.submit(`r/prod/j${a}`, b);
          } else if (kind === 'tick') {
            if (s.nextWakeup() !== undefined) s.tick();
            ref.tick();
          } else if (kind === 'status' && ids.length > 0) {
            const id = ids[a % ids.length]!;
            s.taskStatus(id, STATES[b]!);
            ref.status(id, STATES[b]!);
          } else if (kind === 'down') {
            s.hostDown(`h${a % 4}`);
            ref.hostDown(`h${a % 4}`);
          } else if (kind === 'up') {
            s.hostUp(`h${a % 4}`);
            ref.hostUp(`h${a % 4}`);
          } else if (kind === 'kill') {
            s.killJob({ role: 'r', environment: 'prod', name: `j${a}` }, b < 0 ? undefined : [b, b]);
            ref.kill(`r/prod/j${a}`, b < 0 ? undefined : [b, b]);
          }
          for (const e of s.takeEffects()) if (e.kind !== 'reconcile') gotEffects.push(e);
        }
        expect(got).toEqual(ref.events);
        expect(gotEffects.map(({ kind, taskId, host }) => ({ kind, taskId, host }))).toEqual(
          ref.effects.map(({ kind, taskId, host }) => ({ kind, taskId, host })),
        );
      }),
    );
  });
});
