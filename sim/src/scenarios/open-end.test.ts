import { describe, expect, it } from 'vitest';
import { RESTART_LOOP_EXITS } from '../run/restart-loops.js';
import { runSimulation } from '../run/run-sim.js';
import { DEFAULTS, type SimOptions } from '../run/sim-options.js';
import { type RunFiles, readRunFiles } from '../testing/run-files.js';
import { host, job, tempDir, writeTrace } from '../testing/trace-text.js';

/**
 * How a run without --until ends (sim/README.md, "Ending"), through the real core: only finite
 * work keeps it going; instances that end on their own and come back for ever stop counting once
 * they have done so RESTART_LOOP_EXITS times in a row. Assertions read the run folder.
 */
const MIN = 60_000;

async function simulate(records: object[], extra: Partial<SimOptions> = {}) {
  const out = tempDir();
  const notices: string[] = [];
  await runSimulation(
    {
      trace: writeTrace(records),
      seed: 1,
      out,
      sampleIntervalMs: MIN,
      loadScale: 1,
      loadJitterMs: DEFAULTS.loadJitterMs,
      audit: true,
      preemption: true,
      launchLatencyMs: [1000, 2000],
      killLatencyMs: 500,
      eventLog: true,
      ...extra,
    },
    { onNotice: (m) => notices.push(m) },
  );
  const r = readRunFiles(out);
  expect(r.summary.violationSamples).toEqual([]);
  const t = r.summary.tasks;
  expect(t.created).toBe(t.submitted + t.rescheduled);
  expect(
    t.finished + t.failed + t.killed + t.killedBeforeLaunch + t.lost + t.pendingAtEnd + t.runningAtEnd,
  ).toBe(t.created);
  // Nothing in the files lies beyond the end of the run.
  expect(Math.max(0, ...r.events.map((e) => e.t))).toBeLessThanOrEqual(r.summary.simulatedMs);
  expect(r.rows.at(-1)!.t).toBe(r.summary.simulatedMs);
  return { ...r, notices };
}

const service = (
  t: number,
  key: string,
  task: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) =>
  job(t, key, {
    kind: 'service',
    tier: 'preferred',
    maxTaskFailures: -1,
    task: { cpu: 1, ramMb: 1024, diskMb: 0, ...task },
    ...extra,
  });

const failedRuns = (r: RunFiles, key: string) =>
  r.events.filter((e) => e.job === key && e.state === 'FAILED');

describe('the end of a run without --until', () => {
  it('ends a crash-looping service after it failed RESTART_LOOP_EXITS times, throttled ever longer', async () => {
    const r = await simulate([host(0, 'a'), service(0, 'r/e/crash', { failAfterMs: 20_000 })]);
    const failures = failedRuns(r, 'r/e/crash');
    expect(failures).toHaveLength(RESTART_LOOP_EXITS);
    expect(r.summary.tasks).toMatchObject({
      submitted: 1,
      failed: RESTART_LOOP_EXITS,
      rescheduled: RESTART_LOOP_EXITS,
    });
    // The flapping penalty doubles from 30 s: each replacement waits longer than the one before.
    const throttled = r.events.filter((e) => e.state === 'THROTTLED').map((e) => e.t);
    const released = r.events.filter((e) => e.reason === 'throttle expired').map((e) => e.t);
    const waits = released.map((t, i) => t - throttled[i]!);
    expect(waits.slice(0, 4)).toEqual([30_000, 60_000, 120_000, 240_000]);
    // It stops at the first step after the fifth failure: the last replacement released, not run.
    expect(r.summary.simulatedMs).toBe(failures.at(-1)!.t + 300_000);
    expect(r.events.at(-1)).toMatchObject({ state: 'ASSIGNED', t: r.summary.simulatedMs });
    expect(r.notices.join('\n')).toMatch(/1 instance was restart-looping at the end/);
  });

  it('ends a service that keeps failing its health check (restarted, not throttled)', async () => {
    const r = await simulate([
      host(0, 'a'),
      service(0, 'r/e/sick', { unhealthy: true, healthCheck: { type: 'http' } }),
    ]);
    const restarts = r.events.filter((e) => e.state === 'RESTARTING');
    expect(restarts).toHaveLength(RESTART_LOOP_EXITS);
    expect(restarts.every((e) => e.reason === 'failed health check')).toBe(true);
    expect(r.summary.tasks).toMatchObject({ killed: RESTART_LOOP_EXITS, rescheduled: RESTART_LOOP_EXITS });
    expect(r.summary.simulatedMs).toBeLessThan(5 * MIN);
  });

  it('ends a service that finishes and comes back for ever', async () => {
    const r = await simulate([host(0, 'a'), service(0, 'r/e/cycle', {}, { durationMs: 10 * MIN })]);
    const finished = r.events.filter((e) => e.state === 'FINISHED');
    expect(finished).toHaveLength(RESTART_LOOP_EXITS);
    // Runs of ten minutes are not flapping: each comes back at once.
    expect(r.events.some((e) => e.state === 'THROTTLED')).toBe(false);
    expect(r.summary.simulatedMs).toBeLessThan(RESTART_LOOP_EXITS * 11 * MIN);
  });

  it('waits for finite work to complete while a crash loop goes on beside it', async () => {
    const r = await simulate([
      host(0, 'a'),
      service(0, 'r/e/crash', { failAfterMs: 20_000 }),
      job(0, 'r/e/batch', { durationMs: 2 * 3_600_000 }),
    ]);
    const done = r.events.find((e) => e.job === 'r/e/batch' && e.state === 'FINISHED')!;
    expect(done.t).toBe(2 * 3_600_000 + 3000);
    expect(r.summary.simulatedMs).toBeGreaterThanOrEqual(done.t);
    // The core caps the flapping penalty at 5 minutes, so the loop ran all along: ~25 more times.
    expect(failedRuns(r, 'r/e/crash').length).toBeGreaterThan(20);
    // Perpetual activity right after it does not stretch the run: one penalty at most.
    expect(r.summary.simulatedMs - done.t).toBeLessThanOrEqual(5 * MIN);
  });

  it('lets an update that fixes a crash-looping service keep the run going until the fix runs', async () => {
    const settings = { strategy: 'batch', batchSize: 1, watchSecs: 30, maxPerInstanceFailures: 1 };
    const r = await simulate([
      host(0, 'a'),
      host(0, 'b'),
      service(0, 'r/e/web', { failAfterMs: 20_000 }),
      { ...service(30 * MIN, 'r/e/web', { ramMb: 512 }), type: 'job_update', settings },
    ]);
    expect(r.summary.updates).toMatchObject({ started: 1, rolledForward: 1 });
    expect(r.markers).toEqual([expect.objectContaining({ kind: 'update', status: 'ROLLED_FORWARD' })]);
    expect(r.events.at(-1)).toMatchObject({ job: 'r/e/web', state: 'RUNNING' });
    expect(r.summary.tasks.runningAtEnd).toBe(1);
    expect(r.notices).toEqual([]);
  });

  it('retries an always-failing ad-hoc task with unlimited failures RESTART_LOOP_EXITS times, then ends', async () => {
    const r = await simulate([
      host(0, 'a'),
      job(0, 'r/e/flaky', { maxTaskFailures: -1, durationMs: 10_000, outcomes: 'failed' }),
    ]);
    expect(failedRuns(r, 'r/e/flaky')).toHaveLength(RESTART_LOOP_EXITS);
    expect(r.summary.tasks.failed).toBe(RESTART_LOOP_EXITS);
    expect(r.notices.join('\n')).toMatch(/restart-looping/);
  });

  it('retries an always-failing ad-hoc task with a failure limit to the end of its retries, however many', async () => {
    const r = await simulate([
      host(0, 'a'),
      job(0, 'r/e/limited', { maxTaskFailures: 8, durationMs: 10_000, outcomes: 'failed' }),
    ]);
    expect(failedRuns(r, 'r/e/limited')).toHaveLength(8);
    expect(r.summary.tasks).toMatchObject({ failed: 8, pendingAtEnd: 0, runningAtEnd: 0 });
    expect(r.summary.simulatedMs).toBe(r.events.at(-1)!.t);
    expect(r.notices).toEqual([]);
  });

  it('still runs a crash loop to --until when one is given', async () => {
    const r = await simulate([host(0, 'a'), service(0, 'r/e/crash', { failAfterMs: 20_000 })], {
      untilMs: 60 * MIN,
    });
    expect(r.summary.simulatedMs).toBe(60 * MIN);
    expect(failedRuns(r, 'r/e/crash').length).toBeGreaterThan(RESTART_LOOP_EXITS + 5);
    expect(r.notices).toEqual([]);
  });
});
