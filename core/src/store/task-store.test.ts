import { describe, expect, it } from 'vitest';
import { TaskStore } from './task-store.js';
import { key, ManualClock, seededRandom, taskConfig } from './test-fixtures.js';

function setup(options: { keepEvents?: boolean } = {}) {
  const clock = new ManualClock(1000);
  const store = new TaskStore({ clock, random: seededRandom(7), ...options });
  return { clock, store };
}

describe('TaskStore', () => {
  it('prunes an ended task as a DELETED transition would, without an event or listeners', () => {
    const { clock, store } = setup();
    const heard: string[] = [];
    store.onEvent((_, e) => heard.push(e.state));
    const [a, b] = store.addJob({ key: key('web'), kind: 'adhoc', instances: 2, task: taskConfig() });
    store.transition(a!.id, 'ASSIGNED', { host: 'h1' });
    store.transition(a!.id, 'RUNNING');
    expect(store.prune(a!.id)).toBe(false); // still running
    expect(store.prune(b!.id)).toBe(false); // pending
    expect(store.prune('nope')).toBe(false);
    store.transition(a!.id, 'FINISHED');
    clock.advance(5);
    heard.length = 0;
    expect(store.prune(a!.id)).toBe(true);
    expect(heard).toEqual([]);
    expect(a!.state).toBe('DELETED');
    expect(a!.stateSince).toBe(1005);
    expect(store.get(a!.id)).toBeUndefined();
    expect(store.events(a!.id)).toEqual([]);
    expect(store.count('FINISHED')).toBe(0);
    expect(store.countOfJob('www/prod/web')).toBe(1);
    expect(store.countOnHost('h1')).toBe(0);
    // Its slot is reused like that of a task deleted by transition.
    const [c] = store.addJob({ key: key('api'), kind: 'adhoc', instances: 1, task: taskConfig() });
    expect(c!.slot).toBe(a!.slot);
    expect(store.prune(a!.id)).toBe(false);
  });

  it('refuses an id already in use and keeps the task that holds it', () => {
    const clock = new ManualClock(1000);
    const store = new TaskStore({ clock, random: seededRandom(7), ids: () => 'same' });
    const [a] = store.addJob({ key: key('web'), kind: 'adhoc', instances: 1, task: taskConfig() });
    expect(() => store.addJob({ key: key('api'), kind: 'adhoc', instances: 1, task: taskConfig() })).toThrow(
      /already in use/,
    );
    expect(store.get('same')).toBe(a);
    expect(store.size).toBe(1);
    expect(store.count('PENDING')).toBe(1);
    expect(store.count('INIT')).toBe(0);
    expect(store.countOfJob('www/prod/api')).toBe(0);
  });

  it('transitions and prunes a record in hand as it would by id; a record no longer live goes by id', () => {
    const { store } = setup();
    const [a, b] = store.addJob({ key: key('web'), kind: 'adhoc', instances: 2, task: taskConfig() });
    expect(store.transitionTask(a!, 'ASSIGNED', { host: 'h1', ports: { http: 1 } }).next).toBe('ASSIGNED');
    expect(a!.host).toBe('h1');
    expect(store.countOnHost('h1')).toBe(1);
    expect(store.pruneTask(a!)).toBe(false); // not ended
    store.transitionTask(a!, 'KILLING');
    store.transitionTask(a!, 'KILLED');
    expect(store.pruneTask(a!)).toBe(true);
    expect(store.pruneTask(a!)).toBe(false);
    // Its slot now belongs to a new task: the old record is judged by its id, as an unknown task.
    const [c] = store.addJob({ key: key('api'), kind: 'adhoc', instances: 1, task: taskConfig() });
    expect(c!.slot).toBe(a!.slot);
    const late = store.transitionTask(a!, 'RUNNING');
    expect(late.task).toBeUndefined();
    expect(late.from).toBe('DELETED');
    expect(c!.state).toBe('PENDING');
    expect(store.pruneTask(a!)).toBe(false);
    expect(store.transitionTask(b!, 'KILLING').task).toBe(b);
  });

  it('creates a job as PENDING tasks that share one config and get deterministic ids', () => {
    const { store } = setup();
    const config = taskConfig();
    const tasks = store.addJob({ key: key('web'), kind: 'service', instances: 3, task: config });
    expect(tasks.map((t) => t.id)).toEqual(['www-prod-web-0-0', 'www-prod-web-1-1', 'www-prod-web-2-2']);
    expect(tasks.every((t) => t.config === config && t.state === 'PENDING' && t.job === 'www/prod/web')).toBe(
      true,
    );
    expect(tasks[0]!.job).toBe(tasks[2]!.job);
    expect(store.count('PENDING')).toBe(3);
    expect(store.countOfJob('www/prod/web')).toBe(3);
    expect(store.events(tasks[1]!.id)).toEqual([{ time: 1000, state: 'PENDING', message: undefined }]);
  });

  it('assigns tasks to hosts and indexes them there while they hold resources', () => {
    const { clock, store } = setup();
    const [a, b] = store.addJob({ key: key('web'), kind: 'adhoc', instances: 2, task: taskConfig() });
    const assigned = store.transition(a!.id, 'ASSIGNED', { host: 'h1', ports: { http: 31000 } });
    expect(assigned.effects.map((e) => e.kind)).toEqual(['save', 'launch']);
    store.transition(b!.id, 'ASSIGNED', { host: 'h1' });
    expect(
      store
        .onHost('h1')
        .map((t) => t.id)
        .sort(),
    ).toEqual([a!.id, b!.id].sort());
    expect(a!.ports).toEqual({ http: 31000 });
    clock.advance(10 * 60_000);
    store.transition(a!.id, 'RUNNING');
    store.transition(a!.id, 'FINISHED');
    expect(store.onHost('h1').map((t) => t.id)).toEqual([b!.id]);
    expect(a!.host).toBe('h1'); // kept for the record
    expect(store.hosts()).toEqual(['h1']);
  });

  it('refuses to assign without a host', () => {
    const { store } = setup();
    const [a] = store.addJob({ key: key('web'), kind: 'adhoc', instances: 1, task: taskConfig() });
    expect(() => store.transition(a!.id, 'ASSIGNED')).toThrow(/needs a host/);
  });

  it('reschedules a failed task as the next run of its instance, carrying the failure count', () => {
    const { clock, store } = setup();
    const [a] = store.addJob({ key: key('etl'), kind: 'adhoc', instances: 1, task: taskConfig(3) });
    store.transition(a!.id, 'ASSIGNED', { host: 'h1' });
    store.transition(a!.id, 'RUNNING');
    clock.advance(60 * 60_000);
    const failed = store.transition(a!.id, 'FAILED', { message: 'exit 1' });
    const next = failed.replacement!;
    expect(next).toMatchObject({
      instance: 0,
      state: 'PENDING',
      ancestorId: a!.id,
      failureCount: 1,
      job: a!.job,
    });
    expect(a!.failureCount).toBe(1);
    expect(store.events(next.id)).toEqual([
      { time: clock.time, state: 'PENDING', message: `rescheduled from ${a!.id}` },
    ]);
    expect(store.events(a!.id).map((e) => e.state)).toEqual(['PENDING', 'ASSIGNED', 'RUNNING', 'FAILED']);
  });

  it('throttles a flapping task and releases it when the penalty is over', () => {
    const { clock, store } = setup();
    const [a] = store.addJob({ key: key('web'), kind: 'service', instances: 1, task: taskConfig() });
    store.transition(a!.id, 'ASSIGNED', { host: 'h1' });
    store.transition(a!.id, 'RUNNING');
    clock.advance(10_000);
    const next = store.transition(a!.id, 'FAILED').replacement!;
    expect(next).toMatchObject({ state: 'THROTTLED', notBefore: clock.time + 30_000, consecutiveFlaps: 1 });
    expect(store.nextThrottleRelease()).toBe(clock.time + 30_000);
    clock.advance(29_999);
    expect(store.releaseThrottled()).toEqual([]);
    clock.advance(1);
    expect(store.releaseThrottled().map((r) => r.task?.id)).toEqual([next.id]);
    expect(next).toMatchObject({ state: 'PENDING', notBefore: 0 });
    // It flaps again: the penalty doubles.
    store.transition(next.id, 'ASSIGNED', { host: 'h2' });
    const third = store.transition(next.id, 'FAILED').replacement!;
    expect(third).toMatchObject({ state: 'THROTTLED', notBefore: clock.time + 60_000, consecutiveFlaps: 2 });
  });

  it('forgets a task killed while pending, and deletes ended tasks on request', () => {
    const { store } = setup();
    const [a, b] = store.addJob({ key: key('web'), kind: 'adhoc', instances: 2, task: taskConfig() });
    const killed = store.transition(a!.id, 'KILLING');
    expect(killed.effects.map((e) => e.kind)).toEqual(['delete']);
    expect(store.get(a!.id)).toBeUndefined();
    expect(a!.state).toBe('DELETED');
    store.transition(b!.id, 'ASSIGNED', { host: 'h1' });
    store.transition(b!.id, 'LOST');
    const lostReplacement = store.transition(b!.id, 'DELETED');
    expect(lostReplacement.result).toBe('success');
    expect(store.get(b!.id)).toBeUndefined();
    expect(store.size).toBe(1); // the replacement of the LOST task
    expect(store.counts()).toMatchObject({ PENDING: 1, LOST: 0, KILLING: 0 });
  });

  it('kills a task it does not know that reports itself running', () => {
    const { store } = setup();
    const r = store.transition('ghost-0', 'RUNNING');
    expect(r).toMatchObject({ result: 'illegal', from: 'DELETED', next: 'DELETED', task: undefined });
    expect(r.effects.map((e) => e.kind)).toEqual(['kill']);
  });

  it('never brings back a user-killed task, even when it is lost during a partition', () => {
    const { store } = setup();
    const [a] = store.addJob({ key: key('web'), kind: 'service', instances: 1, task: taskConfig() });
    store.transition(a!.id, 'ASSIGNED', { host: 'h1' });
    store.transition(a!.id, 'RUNNING');
    store.transition(a!.id, 'KILLING');
    store.transition(a!.id, 'PARTITIONED');
    expect(a!.beforePartition).toBe('KILLING');
    expect(store.transition(a!.id, 'RUNNING')).toMatchObject({ result: 'success', next: 'KILLING' });
    store.transition(a!.id, 'PARTITIONED');
    const lost = store.transition(a!.id, 'LOST');
    expect(lost.replacement).toBeUndefined();
    expect(store.size).toBe(1);
  });

  it('tells listeners about every transition, and can stop', () => {
    const { store } = setup({ keepEvents: false });
    const heard: string[] = [];
    const stop = store.onEvent((task, event) => heard.push(`${task.instance}:${event.state}`));
    const [a] = store.addJob({ key: key('web'), kind: 'service', instances: 1, task: taskConfig() });
    store.transition(a!.id, 'ASSIGNED', { host: 'h1' });
    stop();
    store.transition(a!.id, 'RUNNING');
    expect(heard).toEqual(['0:PENDING', '0:ASSIGNED']);
    expect(store.events(a!.id)).toEqual([]); // not kept
  });

  it('samples tasks of a state with the seeded random source, reproducibly', () => {
    const pick = () => {
      const { store } = setup();
      store.addJob({ key: key('web'), kind: 'service', instances: 50, task: taskConfig() });
      return [store.sample('PENDING')?.id, store.sample('PENDING')?.id, store.sample('RUNNING')];
    };
    const first = pick();
    expect(first[0]).toMatch(/^www-prod-web-/);
    expect(first[2]).toBeUndefined();
    expect(pick()).toEqual(first);
  });

  it('reuses the slots of deleted tasks', () => {
    const { store } = setup();
    const [a] = store.addJob({ key: key('web'), kind: 'adhoc', instances: 1, task: taskConfig() });
    store.transition(a!.id, 'KILLING');
    const [b] = store.addJob({ key: key('api'), kind: 'adhoc', instances: 1, task: taskConfig() });
    expect(b!.slot).toBe(a!.slot);
    expect(store.bySlotIndex(b!.slot)).toBe(b);
    expect(store.capacity).toBe(1);
    expect(store.events(b!.id).length).toBe(1);
    expect(store.jobs()).toEqual(['www/prod/api']);
  });
});
