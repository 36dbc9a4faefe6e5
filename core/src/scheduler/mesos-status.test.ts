import { describe, expect, it } from 'vitest';
import { coreStateOf, MESOS_TASK_STATES } from '../lifecycle/mesos-states.js';
import { aHost, aJob } from '../testing/builders.js';
import { Harness } from '../testing/harness.js';

const web = { role: 'www', environment: 'prod', name: 'web' };

/** A harness whose cluster does nothing by itself: the test plays Mesos. */
function cluster(instances = 2, options = {}) {
  const h = new Harness({ autoRun: false, ...options }).hosts(aHost('h1'), aHost('h2'));
  h.submit(aJob('www/prod/web').instances(instances).cpu(1));
  h.pendingEffects = [];
  const ids = [...h.scheduler.activeTasks(web)];
  for (const id of ids) {
    h.scheduler.mesosStatus({ taskId: id, state: 'STARTING' });
    h.scheduler.mesosStatus({ taskId: id, state: 'RUNNING' });
  }
  h.settle();
  return { h, ids };
}

describe('Mesos status updates', () => {
  it('maps every Mesos task state, ERROR as FAILED and the gone family as LOST', () => {
    const mapped = Object.fromEntries(MESOS_TASK_STATES.map((s) => [s, coreStateOf(s) ?? '-']));
    expect(mapped).toEqual({
      STAGING: '-',
      STARTING: 'STARTING',
      RUNNING: 'RUNNING',
      KILLING: '-',
      FINISHED: 'FINISHED',
      FAILED: 'FAILED',
      KILLED: 'KILLED',
      ERROR: 'FAILED',
      LOST: 'LOST',
      DROPPED: 'LOST',
      UNREACHABLE: 'PARTITIONED',
      GONE: 'LOST',
      GONE_BY_OPERATOR: 'LOST',
      UNKNOWN: 'LOST',
    });
  });

  it('kills a task it does not know that Mesos says is running, on the agent it came from', () => {
    const { h } = cluster(1);
    h.scheduler.mesosStatus({ taskId: 'stray-0-99', state: 'RUNNING', agentId: 'agent-7' });
    h.settle();
    expect(h.pendingEffects).toEqual([
      { kind: 'kill', taskId: 'stray-0-99', host: 'agent-7', reason: 'unknown-task', agentId: 'agent-7' },
    ]);
    // A terminal update for an unknown task asks for nothing.
    h.pendingEffects = [];
    h.scheduler.mesosStatus({ taskId: 'stray-0-98', state: 'FAILED', agentId: 'agent-7' });
    h.settle();
    expect(h.pendingEffects).toEqual([]);
  });

  it('ignores duplicate and stale updates: no change, no effect', () => {
    const { h, ids } = cluster(1);
    const before = h.changes.length;
    h.scheduler.mesosStatus({ taskId: ids[0]!, state: 'RUNNING' });
    h.scheduler.mesosStatus({ taskId: ids[0]!, state: 'STARTING' });
    h.scheduler.mesosStatus({ taskId: ids[0]!, state: 'STAGING' });
    h.settle();
    expect(h.changes.length).toBe(before);
    expect(h.pendingEffects).toEqual([]);
    expect(h.scheduler.task(ids[0]!)?.state).toBe('RUNNING');
  });

  it('UNREACHABLE partitions a task; back in time it resumes, too late it is LOST and rescheduled', () => {
    const { h, ids } = cluster(2, { partitionDelayMs: 60_000 });
    const [a, b] = ids as [string, string];
    h.scheduler.mesosStatus({ taskId: a, state: 'UNREACHABLE' });
    h.scheduler.mesosStatus({ taskId: b, state: 'UNREACHABLE' });
    h.settle();
    expect(h.scheduler.task(a)?.state).toBe('PARTITIONED');
    h.advance(30_000);
    h.scheduler.mesosStatus({ taskId: a, state: 'RUNNING' });
    h.advance(40_000);
    expect(h.scheduler.task(a)?.state).toBe('RUNNING');
    expect(h.scheduler.task(b)).toBeUndefined();
    const replacement = h.scheduler.activeTasks(web).find((id) => id !== a && id !== b);
    expect(h.scheduler.task(replacement!)).toMatchObject({ instance: 1, state: 'ASSIGNED' });
  });

  it('times a partition from when it began: the deadline of an earlier one does not end a later one', () => {
    const { h, ids } = cluster(1, { partitionDelayMs: 60_000 });
    const [a] = ids as [string];
    h.scheduler.mesosStatus({ taskId: a, state: 'UNREACHABLE' });
    h.advance(30_000);
    h.scheduler.mesosStatus({ taskId: a, state: 'RUNNING' });
    h.advance(20_000);
    h.scheduler.mesosStatus({ taskId: a, state: 'UNREACHABLE' });
    h.advance(20_000); // 70 s: the first partition's deadline has passed
    expect(h.scheduler.task(a)?.state).toBe('PARTITIONED');
    h.advance(45_000); // 115 s: the second one's has
    expect(h.scheduler.task(a)).toBeUndefined();
  });

  it('counts ERROR as a failure and DROPPED as a loss', () => {
    const { h, ids } = cluster(2);
    h.scheduler.mesosStatus({ taskId: ids[0]!, state: 'ERROR', message: 'bad image' });
    h.scheduler.mesosStatus({ taskId: ids[1]!, state: 'DROPPED' });
    h.settle();
    const saved = h.changes.filter((c) => c.kind === 'task-saved').map((c) => c.task);
    expect(saved.find((t) => t.ancestorId === ids[0])?.failures).toBe(1);
    expect(saved.find((t) => t.ancestorId === ids[1])?.failures).toBe(0);
  });
});

describe('reconciliation', () => {
  it('asks for every task on a host (explicit) or for all (implicit)', () => {
    const { h, ids } = cluster(2);
    h.scheduler.requestReconciliation('explicit');
    h.scheduler.requestReconciliation('implicit');
    h.settle();
    const [explicit, implicit] = h.pendingEffects;
    expect(explicit).toMatchObject({ kind: 'reconcile' });
    expect(explicit?.kind === 'reconcile' && explicit.tasks.map((t) => t.taskId).sort()).toEqual(
      [...ids].sort(),
    );
    expect(implicit).toEqual({ kind: 'reconcile', tasks: [] });
  });

  it('ends agreeing with the cluster: unknown running tasks killed, unreported ones LOST and rescheduled', () => {
    const { h, ids } = cluster(3);
    const [kept, lost, finished] = ids as [string, string, string];
    h.scheduler.reconcile([
      { taskId: kept, state: 'RUNNING', agentId: 'a1' },
      { taskId: finished, state: 'FINISHED', agentId: 'a1' },
      { taskId: 'ghost-0-7', state: 'RUNNING', agentId: 'a2' },
    ]);
    h.settle();
    expect(h.scheduler.task(kept)?.state).toBe('RUNNING');
    expect(h.scheduler.task(lost)).toBeUndefined();
    expect(h.scheduler.task(finished)).toBeUndefined();
    expect(h.pendingEffects.filter((e) => e.kind === 'kill')).toContainEqual(
      expect.objectContaining({ taskId: 'ghost-0-7', reason: 'unknown-task', agentId: 'a2' }),
    );
    // The lost one and the finished service instance come back; every instance has a live task.
    const live = h.scheduler.activeTasks(web).map((id) => h.scheduler.task(id)!);
    expect(live.map((t) => t.instance).sort()).toEqual([0, 1, 2]);
    expect(h.changes).toContainEqual(expect.objectContaining({ kind: 'task-deleted', taskId: lost }));
  });
});
