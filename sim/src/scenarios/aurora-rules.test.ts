import { describe, expect, it } from 'vitest';
import { runSimulation } from '../run/run-sim.js';
import { DEFAULTS } from '../run/sim-options.js';
import { type RunFiles, readRunFiles } from '../testing/run-files.js';
import { host, job, tempDir, writeTrace } from '../testing/trace-text.js';

/**
 * Four rules where Borealis follows Aurora's source (ConfigurationManager, QuotaManager,
 * SchedulerThriftInterface drainHosts / slaDrainHosts, SlaManager), each checked through the
 * simulator on the run folder it writes.
 */
const MIN = 60_000;

async function simulate(records: object[]): Promise<RunFiles> {
  const out = tempDir();
  await runSimulation({
    trace: writeTrace(records),
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
  });
  const r = readRunFiles(out);
  expect(r.summary.violationSamples).toEqual([]);
  return r;
}

const service = (t: number, key: string, instances: number, extra: Record<string, unknown> = {}) =>
  job(t, key, {
    kind: 'service',
    instances,
    tier: 'preferred',
    task: { cpu: 0.25, ramMb: 256, diskMb: 0 },
    ...extra,
  });

describe("Aurora's rules, on the run output", () => {
  it('rejects at submit a job whose dedicated constraint names another role', async () => {
    const r = await simulate([
      host(0, 'h1', { attributes: { dedicated: 'db/mysql' } }),
      service(0, 'www/prod/web', 1, { constraints: { dedicated: 'db/mysql' } }),
      service(0, 'db/prod/mysql', 1, { constraints: { dedicated: 'db/mysql' } }),
    ]);
    expect(r.summary.jobs).toMatchObject({ submitted: 1, rejected: 1 });
    expect(r.summary.jobs.rejectReasons).toEqual({
      'job <job>: only db may use hosts dedicated for that role ("db/mysql"); the job\'s role is www': 1,
    });
    expect(r.events.map((e) => e.job)).not.toContain('www/prod/web');
    expect(r.summary.tasks).toMatchObject({ pendingAtEnd: 0, runningAtEnd: 1 });
  });

  it('does not charge dedicated production jobs to quota', async () => {
    const r = await simulate([
      host(0, 'shared'),
      host(0, 'ded', { attributes: { dedicated: 'www/db' } }),
      { t: 0, type: 'quota_set', role: 'www', cpu: 1, ramMb: 1024, diskMb: 1024, gpus: 0 },
      // 3 cpu of dedicated production work on a 1-cpu quota: accepted and run.
      service(0, 'www/prod/db', 3, {
        task: { cpu: 1, ramMb: 256, diskMb: 0 },
        constraints: { dedicated: 'www/db' },
      }),
      // The shared pool's quota is still whole: 1 cpu fits, a second job does not.
      service(1000, 'www/prod/web', 1, { task: { cpu: 1, ramMb: 256, diskMb: 0 } }),
      service(2000, 'www/prod/more', 1, { task: { cpu: 1, ramMb: 256, diskMb: 0 } }),
    ]);
    expect(r.summary.jobs).toMatchObject({ submitted: 2, rejected: 1 });
    expect(Object.keys(r.summary.jobs.rejectReasons)[0]).toMatch(
      /^quota exceeded for role www: job <job> needs cpu 1/,
    );
    const dbHosts = r.events
      .filter((e) => e.job === 'www/prod/db' && e.state === 'ASSIGNED')
      .map((e) => e.host);
    expect(dbHosts).toEqual(['ded', 'ded', 'ded']);
  });

  it('a plain drain empties the host at once, whatever the jobs SLAs', async () => {
    const r = await simulate([
      host(0, 'h1', { cpu: 8, ramMb: 32768 }),
      host(0, 'h2', { cpu: 8, ramMb: 32768 }),
      service(0, 'www/prod/web', 20, { constraints: { host: 'limit:10' } }),
      { t: 40 * MIN, type: 'host_drain', hosts: ['h1'] },
    ]);
    const drained = r.events.filter((e) => e.state === 'DRAINING');
    expect(drained).toHaveLength(10);
    expect(new Set(drained.map((e) => e.t))).toEqual(new Set([40 * MIN]));
    expect(r.summary.maintenance).toEqual({ hostsDrained: 1, slaDelayedKills: 0, forcedKills: 0 });
    expect(r.markers).toEqual([
      expect.objectContaining({ kind: 'drain', start: 40 * MIN, end: 40 * MIN + 500 }),
    ]);
  });

  it('an SLA-aware drain waits only for jobs with at least 20 instances', async () => {
    const r = await simulate([
      host(0, 'h1', { cpu: 8, ramMb: 32768 }),
      host(0, 'h2', { cpu: 8, ramMb: 32768 }),
      host(0, 'h3', { cpu: 8, ramMb: 32768 }),
      // 19 instances: below Aurora's minimum, never waited for. 20: its 95 % SLA holds the drain.
      service(0, 'www/prod/small', 19, { constraints: { host: 'limit:10' } }),
      service(0, 'www/prod/big', 20, { constraints: { host: 'limit:10' } }),
      { t: 10 * MIN, type: 'host_drain', hosts: ['h1'], sla: true },
    ]);
    const drained = r.events.filter((e) => e.state === 'DRAINING');
    const at = (job: string) => drained.filter((e) => e.job === job).map((e) => e.t);
    const small = at('www/prod/small');
    expect(small.length).toBeGreaterThan(0);
    expect(small.every((t) => t === 10 * MIN)).toBe(true);
    // Nothing of big's had run 30 minutes at 10 min: each of its stops waited.
    const big = at('www/prod/big');
    expect(big.length).toBeGreaterThan(0);
    expect(big.every((t) => t > 10 * MIN)).toBe(true);
    expect(r.summary.maintenance.slaDelayedKills).toBe(big.length);
  });
});
