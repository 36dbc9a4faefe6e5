import { describe, expect, it } from 'vitest';
import { aHost, aJob } from '../testing/builders.js';
import { Harness } from '../testing/harness.js';

const WEB = 'www/prod/web';
const key = { role: 'www', environment: 'prod', name: 'web' };
const cluster = () =>
  new Harness().hosts(...Array.from({ length: 6 }, (_, i) => aHost(`h${i}`).cpu(8).ramMb(16384)));

const cmdOf = (h: Harness, job = WEB) => h.tasks(job).map((t) => t.config.processes[0]!.cmdline);

describe('rolling updates', () => {
  it('rolls forward in batches: each batch waits for the last to be healthy for watchSecs', () => {
    const h = cluster();
    h.submit(aJob(WEB).instances(6).cmdline('v1'));
    const v2 = aJob(WEB)
      .instances(6)
      .cmdline('v2')
      .update({ strategy: { kind: 'batch', groupSize: 2, autoPause: false }, watchSecs: 30 });
    const r = h.scheduler.startUpdate(v2.build());
    expect(r.ok).toBe(true);
    h.settle();
    // Batch 1 (instances 0, 1) replaced; the others untouched while it is watched.
    expect(cmdOf(h)).toEqual(['v2', 'v2', 'v1', 'v1', 'v1', 'v1']);
    h.advance(29_000);
    expect(cmdOf(h)).toEqual(['v2', 'v2', 'v1', 'v1', 'v1', 'v1']);
    h.advance(1_000);
    expect(cmdOf(h)).toEqual(['v2', 'v2', 'v2', 'v2', 'v1', 'v1']);
    h.advance(60_000);
    expect(cmdOf(h)).toEqual(Array(6).fill('v2'));
    const info = h.scheduler.updateInfo(key)!;
    expect(info.status).toBe('ROLLED_FORWARD');
    expect(info.endedAt! - info.startedAt).toBe(90_000);
    const begun = h.updateEvents
      .filter((e) => e.action === 'INSTANCE_UPDATING')
      .map((e) => [e.time, e.instance]);
    expect(begun).toEqual([
      [0, 0],
      [0, 1],
      [30_000, 2],
      [30_000, 3],
      [60_000, 4],
      [60_000, 5],
    ]);
    expect(h.scheduler.lifecycleCounters().updates).toMatchObject({
      started: 1,
      rolledForward: 1,
      meanDurationMs: 90_000,
    });
    // Old tasks were killed for the update, never rescheduled.
    expect(
      h.effects.filter((e) => e.kind === 'kill').every((e) => e.kind === 'kill' && e.reason === 'update'),
    ).toBe(true);
    h.assertNoOvercommit();
  });

  it('adds new instances first, then updates changed ones, then kills removed ones; unchanged ones stay', () => {
    const h = cluster();
    h.submit(aJob(WEB).instances(4).cmdline('v1'));
    const before = h.tasks(WEB).map((t) => t.taskId);
    // Same config, 2 fewer instances: only removals. Then a new config with more instances.
    h.scheduler.startUpdate(aJob(WEB).instances(2).cmdline('v1').update().build());
    h.settle();
    expect(h.tasks(WEB).map((t) => t.taskId)).toEqual(before.slice(0, 2));
    h.scheduler.startUpdate(aJob(WEB).instances(3).cmdline('v2').update().build());
    h.advance(1000);
    const ops = h.updateEvents
      .filter((e) => e.action === 'INSTANCE_UPDATING' && e.updateId.endsWith('#2'))
      .map((e) => e.instance);
    expect(ops).toEqual([2, 0, 1]);
    expect(cmdOf(h)).toEqual(['v2', 'v2', 'v2']);
  });

  it('rolls back automatically when the new config fails, ending with the old config everywhere', () => {
    const h = cluster();
    h.submit(aJob(WEB).instances(4).cmdline('v1').healthCheck());
    h.advance(20_000);
    expect(h.running(WEB).every((t) => t.healthy)).toBe(true);
    const bad = aJob(WEB)
      .instances(4)
      .cmdline('v2')
      .healthCheck()
      .failAfterMs(60_000)
      .update({
        strategy: { kind: 'batch', groupSize: 2, autoPause: false },
        watchSecs: 120,
        maxPerInstanceFailures: 1,
        maxTotalFailures: 1,
      });
    expect(h.scheduler.startUpdate(bad.build()).ok).toBe(true);
    h.advance(3_600_000);
    const info = h.scheduler.updateInfo(key)!;
    expect(info.status).toBe('ROLLED_BACK');
    expect(cmdOf(h)).toEqual(['v1', 'v1', 'v1', 'v1']);
    expect(h.running(WEB)).toHaveLength(4);
    const statuses = h.updateEvents.filter((e) => e.kind === 'status').map((e) => e.status);
    expect(statuses).toEqual(['ROLLING_FORWARD', 'ROLLING_BACK', 'ROLLED_BACK']);
    // Both instances of the first batch failed twice (more than maxPerInstanceFailures 1): two failed
    // instances exceed maxTotalFailures 1. Instances 2 and 3 were never touched.
    expect(
      h.updateEvents.filter((e) => e.action === 'INSTANCE_UPDATE_FAILED').map((e) => e.instance),
    ).toEqual([0, 1]);
    expect(
      h.updateEvents
        .filter((e) => e.action === 'INSTANCE_ROLLED_BACK')
        .map((e) => e.instance)
        .sort(),
    ).toEqual([0, 1]);
    expect(h.scheduler.lifecycleCounters().updates).toMatchObject({ started: 1, rolledBack: 1, failed: 0 });
  });

  it('fails without rollback when rollbackOnFailure is off, leaving the mix in place', () => {
    const h = cluster();
    h.submit(aJob(WEB).instances(3).cmdline('v1'));
    const bad = aJob(WEB)
      .instances(3)
      .cmdline('v2')
      .failAfterMs(10_000)
      .update({ rollbackOnFailure: false, watchSecs: 60 });
    h.scheduler.startUpdate(bad.build());
    h.advance(600_000);
    expect(h.scheduler.updateInfo(key)?.status).toBe('FAILED');
    expect(h.scheduler.lifecycleCounters().updates.failed).toBe(1);
  });

  it('counts a task that never passes its health check as a failure', () => {
    const h = cluster();
    h.submit(aJob(WEB).instances(2).cmdline('v1'));
    const sick = aJob(WEB)
      .instances(2)
      .cmdline('v2')
      .healthCheck({ maxConsecutiveFailures: 2 })
      .unhealthy()
      .update({ watchSecs: 30 });
    h.scheduler.startUpdate(sick.build());
    h.advance(600_000);
    expect(h.scheduler.updateInfo(key)?.status).toBe('ROLLED_BACK');
    expect(h.effects.some((e) => e.kind === 'kill' && e.reason === 'unhealthy')).toBe(true);
    expect(cmdOf(h)).toEqual(['v1', 'v1']);
  });

  it('pauses after each batch with autoPause, and pause/resume hold and release the update', () => {
    const h = cluster();
    h.submit(aJob(WEB).instances(4).cmdline('v1'));
    const v2 = aJob(WEB)
      .instances(4)
      .cmdline('v2')
      .update({ strategy: { kind: 'variableBatch', groupSizes: [1, 3], autoPause: true }, watchSecs: 10 });
    h.scheduler.startUpdate(v2.build());
    h.advance(10_000);
    expect(h.scheduler.updateInfo(key)?.status).toBe('ROLL_FORWARD_PAUSED');
    h.advance(100_000);
    expect(cmdOf(h)).toEqual(['v2', 'v1', 'v1', 'v1']);
    expect(h.scheduler.pauseUpdate(key).ok).toBe(false);
    expect(h.scheduler.resumeUpdate(key).ok).toBe(true);
    h.settle();
    expect(cmdOf(h)).toEqual(['v2', 'v2', 'v2', 'v2']);
    // A user pause in the middle of the watch holds the batch until resumed.
    expect(h.scheduler.pauseUpdate(key)).toMatchObject({
      ok: true,
      value: { status: 'ROLL_FORWARD_PAUSED' },
    });
    h.advance(60_000);
    expect(h.scheduler.updateInfo(key)?.status).toBe('ROLL_FORWARD_PAUSED');
    h.scheduler.resumeUpdate(key);
    h.settle();
    expect(h.scheduler.updateInfo(key)?.status).toBe('ROLLED_FORWARD');
  });

  it('aborts: the update stops where it is and ends ABORTED', () => {
    const h = cluster();
    h.submit(aJob(WEB).instances(4).cmdline('v1'));
    h.scheduler.startUpdate(aJob(WEB).instances(4).cmdline('v2').update({ watchSecs: 30 }).build());
    h.advance(31_000);
    expect(h.scheduler.abortUpdate(key)).toMatchObject({ ok: true, value: { status: 'ABORTED' } });
    h.advance(300_000);
    expect(cmdOf(h)).toEqual(['v2', 'v2', 'v1', 'v1']);
    expect(h.scheduler.abortUpdate(key).ok).toBe(false);
    expect(h.scheduler.lifecycleCounters().updates.aborted).toBe(1);
  });

  it('allows one active update per job and rejects what it cannot do', () => {
    const h = cluster();
    h.scheduler.setQuota('www', { cpu: 6, ramMb: 1e6, diskMb: 1e7, gpus: 0 });
    expect(h.scheduler.startUpdate(aJob(WEB).build()).ok).toBe(false);
    h.submit(aJob(WEB).instances(4).cmdline('v1'));
    h.scheduler.startUpdate(aJob(WEB).instances(4).cmdline('v2').update({ watchSecs: 30 }).build());
    const second = h.scheduler.startUpdate(aJob(WEB).instances(4).cmdline('v3').build());
    expect(second.ok).toBe(false);
    if (!second.ok)
      expect(second.problems[0]?.message).toMatch(/already has an active update .*ROLLING_FORWARD/);
    expect(h.scheduler.restartJob(key).ok).toBe(false);
    h.advance(200_000);
    // 4 cpu used of 6: growing to 8 instances needs 4 more.
    const big = h.scheduler.startUpdate(aJob(WEB).instances(8).cmdline('v2').build());
    expect(big.ok).toBe(false);
    if (!big.ok) {
      expect(big.problems[0]?.message).toBe(
        'quota exceeded for role www: update of www/prod/web to 8 instances needs cpu 4, ramMb 4096, diskMb 4096; role has cpu 2, ramMb 995904, diskMb 9995904 of cpu 6, ramMb 1000000, diskMb 10000000 left',
      );
    }
  });
});

describe('job operations', () => {
  it('restarts a job in batches: every task replaced, same config, one batch at a time', () => {
    const h = cluster();
    h.submit(aJob(WEB).instances(4).cmdline('v1'));
    const before = h.tasks(WEB).map((t) => t.taskId);
    const r = h.scheduler.restartJob(key, { batchSize: 2, watchSecs: 20 });
    expect(r.ok && r.value.operation).toBe('restart');
    h.settle();
    const mid = h.tasks(WEB).map((t) => t.taskId);
    expect(mid.slice(2)).toEqual(before.slice(2));
    expect(mid.slice(0, 2).some((id) => before.includes(id))).toBe(false);
    h.advance(20_000);
    h.advance(20_000);
    const after = h.tasks(WEB);
    expect(after.every((t) => !before.includes(t.taskId) && t.state === 'RUNNING')).toBe(true);
    expect(cmdOf(h)).toEqual(['v1', 'v1', 'v1', 'v1']);
    expect(h.scheduler.updateInfo(key)?.status).toBe('ROLLED_FORWARD');
    expect(h.effects.filter((e) => e.kind === 'kill').map((e) => e.kind === 'kill' && e.reason)).toEqual(
      Array(4).fill('restart'),
    );
    expect(h.scheduler.lifecycleCounters().updates).toMatchObject({ restarts: 1, started: 0 });
    expect(h.scheduler.restartJob(key, { batchSize: 0 }).ok).toBe(false);
    expect(h.scheduler.restartJob(key, { instances: [9] }).ok).toBe(false);
  });

  it('adds instances with the current config, within quota', () => {
    const h = cluster();
    h.scheduler.setQuota('www', { cpu: 5, ramMb: 1e6, diskMb: 1e7, gpus: 0 });
    h.submit(aJob(WEB).instances(3));
    const r = h.scheduler.addInstances(key, 2);
    expect(r.ok).toBe(true);
    h.settle();
    expect(h.tasks(WEB).map((t) => t.instance)).toEqual([0, 1, 2, 3, 4]);
    const over = h.scheduler.addInstances(key, 1);
    expect(over.ok).toBe(false);
    if (!over.ok)
      expect(over.problems[0]?.message).toMatch(
        /^quota exceeded for role www: adding 1 instances to www\/prod\/web/,
      );
    expect(h.scheduler.addInstances(key, 0).ok).toBe(false);
    expect(h.scheduler.addInstances({ ...key, name: 'nope' }, 1).ok).toBe(false);
  });

  it('kills listed instances, then the whole job, which ends its update', () => {
    const h = cluster();
    h.submit(aJob(WEB).instances(3).cmdline('v1'));
    expect(h.kill(WEB, [1])).toBe(1);
    expect(h.tasks(WEB).map((t) => t.instance)).toEqual([0, 2]);
    expect(h.scheduler.killJob(key, [-1]).ok).toBe(false);
    h.scheduler.startUpdate(aJob(WEB).instances(3).cmdline('v2').update({ watchSecs: 60 }).build());
    h.settle();
    h.kill(WEB);
    expect(h.tasks(WEB)).toHaveLength(0);
    expect(h.scheduler.updateInfo(key)?.status).toBe('ERROR');
    expect(h.scheduler.killJob(key).ok).toBe(false);
  });
});

describe('simulated health checks', () => {
  it("healthChecks 'simulated': the core plays the checks, so updates of health-checked jobs progress and unhealthy ones roll back", () => {
    const h = new Harness({ healthChecks: 'simulated' }).hosts(aHost('h0'), aHost('h1'));
    h.submit(aJob(WEB).instances(2).cmdline('v1').healthCheck());
    h.advance(14_999);
    expect(h.running(WEB).some((t) => t.healthy)).toBe(false);
    h.advance(1);
    expect(h.running(WEB).every((t) => t.healthy)).toBe(true);
    h.scheduler.startUpdate(
      aJob(WEB).instances(2).cmdline('v2').healthCheck().update({ watchSecs: 10 }).build(),
    );
    h.advance(60_000);
    expect(h.scheduler.updateInfo(key)?.status).toBe('ROLLED_FORWARD');
    h.scheduler.startUpdate(
      aJob(WEB).instances(2).cmdline('v3').healthCheck().unhealthy().update({ watchSecs: 10 }).build(),
    );
    h.advance(600_000);
    expect(h.scheduler.updateInfo(key)?.status).toBe('ROLLED_BACK');
    expect(cmdOf(h)).toEqual(['v2', 'v2']);
    expect(h.effects.some((e) => e.kind === 'kill' && e.reason === 'unhealthy')).toBe(true);
  });
});
