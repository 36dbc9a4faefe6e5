import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../cli/summary-table.js';
import { runSimulation } from '../run/run-sim.js';
import { DEFAULTS, type SimOptions } from '../run/sim-options.js';
import { type RunFiles, readRunFiles } from '../testing/run-files.js';
import { host, job, tempDir, writeTrace } from '../testing/trace-text.js';

/**
 * The job lifecycle (issue 7) through the simulator and the real core: rolling updates, rollback
 * of a failing config, cron collision policies over a day, SLA-aware drains. Every assertion
 * reads the run folder (events.jsonl, markers.jsonl, summary.json, timeseries.csv). Restarts and
 * pause/resume have no trace record, so the core's own tests cover them.
 */
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

async function simulate(records: object[] | string, extra: Partial<SimOptions> = {}): Promise<RunFiles> {
  const out = tempDir();
  await runSimulation({
    trace: typeof records === 'string' ? records : writeTrace(records),
    seed: 1,
    out,
    sampleIntervalMs: 60_000,
    loadScale: 1,
    loadJitterMs: DEFAULTS.loadJitterMs,
    audit: true,
    preemption: true,
    launchLatencyMs: [1000, 2000],
    killLatencyMs: 500,
    eventLog: true,
    ...extra,
  });
  const r = readRunFiles(out);
  expect(r.summary.violationSamples).toEqual([]);
  const t = r.summary.tasks;
  expect(t.created).toBe(t.submitted + t.rescheduled);
  expect(
    t.finished + t.failed + t.killed + t.killedBeforeLaunch + t.lost + t.pendingAtEnd + t.runningAtEnd,
  ).toBe(t.created);
  return r;
}

const hosts = (n: number, from = 1) => Array.from({ length: n }, (_, i) => host(0, `h${i + from}`));

/** A preferred service, one instance per host. */
const web = (t: number, instances: number, task: Record<string, unknown> = {}) =>
  job(t, 'www/prod/web', {
    kind: 'service',
    instances,
    tier: 'preferred',
    constraints: { host: 'limit:1' },
    task: { cpu: 1, ramMb: 1024, diskMb: 0, ...task },
  });

const settings = {
  strategy: 'batch',
  batchSize: 2,
  autoPause: false,
  watchSecs: 30,
  maxPerInstanceFailures: 1,
  maxTotalFailures: 2,
  rollbackOnFailure: true,
};
const update = (t: number, task: Record<string, unknown>) => ({
  ...web(t, 6, task),
  type: 'job_update',
  settings,
});

const lastRow = (r: RunFiles) => r.rows[r.rows.length - 1]!;

describe('job lifecycle through the simulator', () => {
  it('rolls an update forward in batches of two, each after the previous one was healthy for watchSecs', async () => {
    const r = await simulate([...hosts(8), web(0, 6), update(10 * MIN, { ramMb: 1536 })]);
    const kills = r.events.filter((e) => e.state === 'KILLING' && e.reason === 'update');
    const batches = new Map<number, number[]>();
    for (const k of kills) batches.set(k.t, [...(batches.get(k.t) ?? []), k.instance]);
    expect([...batches.values()].map((b) => b.sort())).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    // The next batch starts only once the previous batch's new tasks have run for watchSecs.
    const starts = [...batches.keys()];
    for (let b = 1; b < starts.length; b++) {
      const previous = batches.get(starts[b - 1]!)!;
      const running = r.events.filter(
        (e) =>
          e.state === 'RUNNING' && previous.includes(e.instance) && e.t > starts[b - 1]! && e.t < starts[b]!,
      );
      expect(running).toHaveLength(2);
      for (const e of running) expect(starts[b]! - e.t).toBeGreaterThanOrEqual(30_000);
    }
    expect(r.events.filter((e) => e.state === 'PENDING' && e.reason === 'added by update')).toHaveLength(6);
    expect(r.summary.updates).toMatchObject({ started: 1, rolledForward: 1, rolledBack: 0, failed: 0 });
    expect(r.summary.updates.meanDurationMs).toBeGreaterThan(60_000);
    expect(r.markers).toEqual([
      expect.objectContaining({
        kind: 'update',
        start: 10 * MIN,
        status: 'ROLLED_FORWARD',
        job: 'www/prod/web',
      }),
    ]);
    expect(r.markers[0]!.end - r.markers[0]!.start).toBe(r.summary.updates.meanDurationMs);
    // Every instance now runs the new config: 6 × 1536 MB.
    expect(lastRow(r)).toMatchObject({ running: 6, alloc_ramMb_preferred: 6 * 1536 });
  });

  it('rolls an update to a config that fails after 20 s back, ending ROLLED_BACK with the old config everywhere', async () => {
    const r = await simulate([
      ...hosts(8),
      web(0, 6),
      update(10 * MIN, { ramMb: 1536 }),
      update(30 * MIN, { ramMb: 2048, failAfterMs: 20_000 }),
    ]);
    expect(r.summary.updates).toMatchObject({ started: 2, rolledForward: 1, rolledBack: 1, failed: 0 });
    const [, second, rollback] = r.markers;
    expect(second).toMatchObject({ kind: 'update', start: 30 * MIN, status: 'ROLLED_BACK' });
    expect(rollback).toMatchObject({ kind: 'rollback', status: 'ROLLED_BACK', end: second!.end });
    expect(rollback!.start).toBeGreaterThan(second!.start);
    // The failing config's tasks failed 20 s after RUNNING; none fails after the rollback ended.
    const failed = r.events.filter((e) => e.state === 'FAILED');
    expect(failed.length).toBeGreaterThanOrEqual(3);
    for (const f of failed) {
      const running = r.events.find((e) => e.task === f.task && e.state === 'RUNNING')!;
      expect(f.t - running.t).toBe(20_000);
      expect(f.t).toBeLessThanOrEqual(second!.end);
    }
    // The old config (1536 MB) runs on all six instances again.
    expect(lastRow(r)).toMatchObject({ running: 6, pending: 0, alloc_ramMb_preferred: 6 * 1536 });
    expect(r.summary.tasks.runningAtEnd).toBe(6);
  });

  const cron = (policy: string) =>
    job(0, 'ops/prod/backup', {
      kind: 'cron',
      cron: '*/15 * * * *',
      collisionPolicy: policy,
      durationMs: 20 * MIN,
    });

  it('runs a */15 cron job with CANCEL_NEW over a day: every other trigger finds the last run still going', async () => {
    const r = await simulate([host(0, 'h1'), cron('CANCEL_NEW')], { untilMs: DAY });
    // Triggers at 0:15, 0:30, …, 24:00; runs take 20 min, so the trigger after each start collides.
    expect(r.summary.cron).toEqual({ triggers: 96, runs: 48, collisions: 48, tasks: 48 });
    expect(r.summary.tasks).toMatchObject({ submitted: 48, rescheduled: 0, finished: 47, runningAtEnd: 1 });
    const starts = r.events.filter((e) => e.state === 'PENDING' && e.reason === 'cron run').map((e) => e.t);
    expect(starts).toEqual(Array.from({ length: 48 }, (_, i) => (15 + 30 * i) * MIN));
  });

  it('runs a */15 cron job with KILL_EXISTING over a day: each trigger kills the last run and starts anew', async () => {
    const r = await simulate([host(0, 'h1'), cron('KILL_EXISTING')], { untilMs: DAY });
    // The trigger at exactly 24:00 kills its predecessor; its own run would start once that kill
    // is confirmed, 500 ms after the end of the run.
    expect(r.summary.cron).toEqual({ triggers: 96, runs: 95, collisions: 95, tasks: 95 });
    const collisionKills = r.events.filter(
      (e) => e.state === 'KILLING' && e.reason?.startsWith('cron collision'),
    );
    expect(collisionKills.map((e) => e.t)).toEqual(Array.from({ length: 95 }, (_, i) => (30 + 15 * i) * MIN));
    expect(r.summary.tasks).toMatchObject({ submitted: 95, finished: 0, killed: 94, runningAtEnd: 1 });
  });

  it('drains two hosts one task at a time as the SLA allows, without forcing', async () => {
    // 20 instances on 20 hosts (95 % SLA: one may be down); two spare hosts join later.
    const r = await simulate([
      ...hosts(20),
      web(0, 20),
      host(35 * MIN, 'h21'),
      host(35 * MIN, 'h22'),
      { t: 40 * MIN, type: 'host_drain', hosts: ['h1', 'h2'], sla: true },
    ]);
    const drains = r.events.filter((e) => e.state === 'DRAINING');
    expect(drains.map((e) => e.host).sort()).toEqual(['h1', 'h2']);
    expect(drains[0]!.t).toBe(40 * MIN);
    // The second waits until the first one's replacement has been healthy for 30 minutes.
    const replacement = r.events.find(
      (e) => e.state === 'RUNNING' && e.instance === drains[0]!.instance && e.t > drains[0]!.t,
    )!;
    expect(drains[1]!.t - replacement.t).toBeGreaterThanOrEqual(30 * MIN);
    expect(drains[1]!.t - drains[0]!.t).toBeLessThan(60 * MIN);
    expect(r.summary.maintenance).toEqual({ hostsDrained: 2, slaDelayedKills: 1, forcedKills: 0 });
    expect(r.markers).toEqual([
      expect.objectContaining({ kind: 'drain', start: 40 * MIN, hosts: ['h1', 'h2'], outcome: 'DRAINED' }),
    ]);
    expect(r.markers[0]!.end).toBe(drains[1]!.t + 500);
    // Every instance runs again, on the spare hosts instead of the drained ones.
    expect(r.summary.tasks.runningAtEnd).toBe(20);
    const rescheduledTo = r.events.filter((e) => e.state === 'ASSIGNED' && e.t > 40 * MIN).map((e) => e.host);
    expect(rescheduledTo.sort()).toEqual(['h21', 'h22']);
  });

  it('forces a drain the SLA never allows once the drain timeout passes', async () => {
    // 20 instances, one per host, no spare host: after the first stop (19 left, what 95 % needs)
    // the replacement has nowhere to run, so the second host's instance can never go.
    const r = await simulate([
      ...hosts(20),
      web(0, 20),
      { t: 40 * MIN, type: 'host_drain', hosts: ['h1', 'h2'], sla: true },
    ]);
    const drain = r.events.filter((e) => e.state === 'DRAINING');
    // The core's default drain timeout is one hour.
    expect(drain.map((e) => e.t)).toEqual([40 * MIN, 100 * MIN]);
    expect(drain[1]!.reason).toMatch(/timed out/);
    expect(r.summary.maintenance).toEqual({ hostsDrained: 2, slaDelayedKills: 1, forcedKills: 1 });
    expect(r.markers).toEqual([
      expect.objectContaining({ kind: 'drain', start: 40 * MIN, end: 100 * MIN + 500, outcome: 'DRAINED' }),
    ]);
  });

  it('marks hosts activated while still draining and brings them back', async () => {
    // An SLA-aware drain of the only host of a 20-instance service that has not run 30 minutes yet:
    // every stop waits, and the activation ends the drain before any.
    const r = await simulate([
      host(0, 'h1', { cpu: 8, ramMb: 32768 }),
      job(0, 'www/prod/web', {
        kind: 'service',
        instances: 20,
        tier: 'preferred',
        task: { cpu: 0.25, ramMb: 256, diskMb: 0 },
      }),
      { t: 10 * MIN, type: 'host_drain', hosts: ['h1'], sla: true },
      { t: 20 * MIN, type: 'host_activate', hosts: ['h1'] },
    ]);
    expect(r.markers).toEqual([
      expect.objectContaining({ kind: 'drain', start: 10 * MIN, end: 20 * MIN, outcome: 'NONE' }),
      expect.objectContaining({ kind: 'activate', start: 20 * MIN, end: 20 * MIN, hosts: ['h1'] }),
    ]);
    expect(r.summary.maintenance.hostsDrained).toBe(0);
    expect(r.events.some((e) => e.state === 'DRAINING')).toBe(false);
  });

  it('plays the lifecycle sample: both updates, both cron policies, a forced drain, all in the output', async () => {
    const sample = fileURLToPath(new URL('../../../traces/samples/lifecycle.jsonl', import.meta.url));
    const r = await simulate(sample, { sampleIntervalMs: DEFAULTS.sampleIntervalMs });
    const s = r.summary;
    expect(s.updates).toMatchObject({ started: 2, rolledForward: 1, rolledBack: 1, failed: 0 });
    // ops/prod/backup (CANCEL_NEW) skips runs, ops/prod/report (KILL_EXISTING) kills them.
    expect(s.cron.collisions).toBeGreaterThan(0);
    expect(s.cron.runs).toBeLessThan(s.cron.triggers);
    const jobsWithCollisionKills = new Set(
      r.events.filter((e) => e.reason?.startsWith('cron collision')).map((e) => e.job),
    );
    expect([...jobsWithCollisionKills]).toEqual(['ops/prod/report']);
    expect(s.maintenance.hostsDrained).toBe(2);
    expect(s.maintenance.forcedKills).toBeGreaterThan(0);
    // The unhealthy service is restarted over and over until it is killed.
    const unhealthy = r.events.filter((e) => e.job === 'api/prod/flaky' && e.reason?.includes('health'));
    expect(unhealthy.length).toBeGreaterThan(10);
    expect(r.markers.map((m) => m.kind)).toEqual(['update', 'update', 'rollback', 'drain', 'activate']);
    const table = formatSummary(s);
    expect(table).toMatch(/updates\s+2 started: 1 rolled forward, 1 rolled back/);
    expect(table).toMatch(/cron\s+\d+ triggers, \d+ runs \(\d+ tasks\), \d+ collisions/);
    expect(table).toMatch(/maintenance\s+2 hosts drained, \d+ kills delayed for SLA, [1-9]\d* forced kills/);
  });
});
