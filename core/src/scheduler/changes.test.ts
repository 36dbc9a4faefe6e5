import { describe, expect, it } from 'vitest';
import { aHost, aJob } from '../testing/builders.js';
import { Harness } from '../testing/harness.js';
import type { Change } from './changes.js';

const kinds = (changes: readonly Change[]) => changes.map((c) => c.kind);

describe('typed changes', () => {
  it('records a submitted job, its tasks as they settle, and the id sequence, step by step', () => {
    const h = new Harness().hosts(aHost('h1').cpu(4)).settle();
    const hostSaved = h.changes.filter((c) => c.kind === 'host-saved');
    expect(hostSaved).toHaveLength(1);
    h.changes.length = 0;
    h.submit(aJob('www/prod/web').instances(2).cpu(1));
    expect(h.changes[0]).toMatchObject({ kind: 'job-saved', job: { instances: 2 } });
    const saved = h.changes.filter((c) => c.kind === 'task-saved');
    // Every task saved at least once, and the last record of each is RUNNING on h1 with its config.
    const last = new Map(saved.map((c) => [c.task.taskId, c.task]));
    expect([...last.values()].map((t) => [t.state, t.host, t.job, t.config.resources.cpu])).toEqual([
      ['RUNNING', 'h1', 'www/prod/web', 1],
      ['RUNNING', 'h1', 'www/prod/web', 1],
    ]);
    expect(h.changes.filter((c) => c.kind === 'ids-advanced').at(-1)).toEqual({
      kind: 'ids-advanced',
      next: 2,
      generation: 0,
    });
  });

  it('saves a task once per step however often it moved, with its state at the end of the step', () => {
    const h = new Harness({ autoRun: false }).hosts(aHost('h1'));
    h.submit(aJob('www/prod/web').instances(1));
    const [id] = h.scheduler.activeTasks({ role: 'www', environment: 'prod', name: 'web' });
    h.changes.length = 0;
    // STARTING and RUNNING within one step: one record, RUNNING.
    h.scheduler.taskStatus(id!, 'STARTING');
    h.scheduler.taskStatus(id!, 'RUNNING');
    h.settle();
    expect(h.changes).toEqual([
      {
        kind: 'task-saved',
        task: expect.objectContaining({ taskId: id, state: 'RUNNING', runningSince: 0, host: 'h1' }),
      },
    ]);
  });

  it('records a task that ends as deleted, its replacement as saved, and the failure carried over', () => {
    const h = new Harness().hosts(aHost('h1'));
    h.submit(aJob('www/prod/web').instances(1).maxTaskFailures(-1));
    const [first] = h.running('www/prod/web');
    h.changes.length = 0;
    h.report(first!.taskId, 'FAILED');
    expect(kinds(h.changes)).toContain('task-deleted');
    const deleted = h.changes.find((c) => c.kind === 'task-deleted');
    expect(deleted).toEqual({ kind: 'task-deleted', taskId: first!.taskId });
    const replacement = h.changes.find((c) => c.kind === 'task-saved' && c.task.taskId !== first!.taskId);
    expect(replacement).toMatchObject({ task: { ancestorId: first!.taskId, failures: 1 } });
    // Nothing saved for the ended task after its deletion.
    const afterDelete = h.changes.slice(h.changes.indexOf(deleted!));
    expect(afterDelete.some((c) => c.kind === 'task-saved' && c.task.taskId === first!.taskId)).toBe(false);
  });

  it('records quota, maintenance, host state, job removal and update progress', () => {
    const h = new Harness({ maintenance: { slaAware: false } }).hosts(aHost('h1'), aHost('h2'));
    h.scheduler.setQuota('www', { cpu: 10, ramMb: 100_000, diskMb: 1_000_000, gpus: 0 });
    h.submit(aJob('www/prod/web').instances(2).cpu(1));
    h.scheduler.setMaintenance(['h1'], 'DRAINING');
    h.scheduler.hostDown('h2');
    h.settle();
    h.kill('www/prod/web');
    const got = kinds(h.changes);
    expect(h.changes).toContainEqual({
      kind: 'quota-set',
      role: 'www',
      quota: { cpu: 10, ramMb: 100_000, diskMb: 1_000_000, gpus: 0 },
    });
    expect(h.changes).toContainEqual({ kind: 'host-maintenance', host: 'h1', mode: 'DRAINING' });
    expect(h.changes).toContainEqual({ kind: 'host-maintenance', host: 'h1', mode: 'DRAINED' });
    expect(h.changes).toContainEqual(expect.objectContaining({ kind: 'host-saved', up: false }));
    expect(got.at(-1) === 'job-removed' || got.includes('job-removed')).toBe(true);

    const u = new Harness().hosts(aHost('h1'));
    u.submit(aJob('www/prod/api').instances(2).cpu(1));
    u.changes.length = 0;
    expect(u.scheduler.startUpdate(aJob('www/prod/api').instances(2).cpu(2).build()).ok).toBe(true);
    u.settle();
    const updates = u.changes.filter((c) => c.kind === 'update-saved');
    expect(updates.length).toBeGreaterThan(0);
    expect(updates[0]).toMatchObject({ update: { job: 'www/prod/api', operation: 'update' } });
  });

  it('records nothing when recording is off, and steps then carry effects only', () => {
    const h = new Harness({ recordChanges: false }).hosts(aHost('h1'));
    h.submit(aJob('www/prod/web').instances(2));
    expect(h.changes).toEqual([]);
    expect(h.effects.filter((e) => e.kind === 'launch')).toHaveLength(2);
  });
});
