import { describe, expect, it } from 'vitest';
import { parseRunFlags } from '../options/run-options.js';
import { runSimulation } from '../run/run-sim.js';
import { DEFAULTS, type SimOptions } from '../run/sim-options.js';
import { type RunFiles, readRunFiles } from '../testing/run-files.js';
import { host, job, tempDir, writeTrace } from '../testing/trace-text.js';

/** What-ifs from the command line: load scaling, host failures, runs whose backlog stops draining. */
const MIN = 60_000;
const HOUR = 60 * MIN;

async function simulate(
  records: object[],
  extra: Partial<SimOptions> = {},
  notices: string[] = [],
): Promise<RunFiles> {
  const out = tempDir();
  await runSimulation(
    {
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
      ...extra,
    },
    { onNotice: (m) => notices.push(m) },
  );
  const r = readRunFiles(out);
  expect(r.summary.violationSamples).toEqual([]);
  return r;
}

const standing = job(0, 'www/prod/web', { kind: 'service', instances: 2, tier: 'preferred' });
const arrivals = [1, 2, 3, 4].map((i) => job(i * MIN, `batch/devel/j${i}`, { durationMs: 10 * MIN }));

describe('--load-scale', () => {
  it('scales arrivals and leaves the services standing at t=0 alone', async () => {
    const r = await simulate([host(0, 'h1', { cpu: 16, ramMb: 65536 }), standing, ...arrivals], {
      loadScale: 2,
    });
    const jobs = new Set(r.events.map((e) => e.job));
    expect(jobs.has('www/prod/web-x1')).toBe(false);
    expect([...jobs].filter((j) => j.startsWith('batch/')).length).toBe(8);
    expect(r.summary.options).toMatchObject({ loadScale: 2, loadScaleStanding: false });
  });

  it('copies the standing services too with --load-scale-standing', async () => {
    const r = await simulate([host(0, 'h1', { cpu: 16, ramMb: 65536 }), standing, ...arrivals], {
      loadScale: 2,
      loadScaleStanding: true,
    });
    expect(new Set(r.events.map((e) => e.job)).has('www/prod/web-x1')).toBe(true);
  });
});

describe('--fail', () => {
  const rackHosts = [1, 2, 3, 4].map((i) => host(0, `h${i}`, { attributes: { rack: i <= 2 ? 'r1' : 'r2' } }));
  const web = job(0, 'www/prod/web', {
    kind: 'service',
    instances: 4,
    tier: 'preferred',
    constraints: { host: 'limit:1' },
  });

  it('takes a rack down at its time and brings it back after the duration', async () => {
    const failures = [parseRunFlags({ trace: writeTrace([]), fail: ['rack=r1@10m+20m'] }).failures![0]!];
    const r = await simulate([...rackHosts, web], { failures, untilMs: HOUR });
    const lost = r.events.filter((e) => e.state === 'LOST');
    expect(lost.map((e) => [e.t, e.host])).toEqual([
      [10 * MIN, 'h1'],
      [10 * MIN, 'h2'],
    ]);
    // Back at 30 min: the two replacements (limit:1, two hosts left) run there again.
    const back = r.events.filter((e) => e.state === 'ASSIGNED' && e.t >= 30 * MIN).map((e) => e.host);
    expect(back.sort()).toEqual(['h1', 'h2']);
    expect(r.summary.injectedFailures).toEqual([
      { spec: 'rack=r1@10m+20m', hosts: 2, atMs: 10 * MIN, untilMs: 30 * MIN },
    ]);
    expect(r.summary.options).toMatchObject({ failures: ['rack=r1@10m+20m'] });
  });

  it('names a selector no host matches, with the values there are', async () => {
    const failures = [parseRunFlags({ trace: writeTrace([]), fail: ['rack=r9@1h'] }).failures![0]!];
    await expect(simulate([...rackHosts, web], { failures })).rejects.toThrow(
      '--fail rack=r9@1h: no host has rack=r9 (known: r1, r2)',
    );
  });
});

describe('an open-ended run whose backlog stops draining', () => {
  it('stops once the pending count reached no new low for six hours, and says so', async () => {
    // A 3-day task holds the only host; the task behind it could run only after it.
    const notices: string[] = [];
    const r = await simulate(
      [
        host(0, 'h1'),
        job(0, 'batch/devel/long', { task: { cpu: 4, ramMb: 1024, diskMb: 0 }, durationMs: 72 * HOUR }),
        job(MIN, 'batch/devel/next', { task: { cpu: 4, ramMb: 1024, diskMb: 0 }, durationMs: MIN }),
      ],
      {},
      notices,
    );
    expect(r.summary.tasks.pendingAtEnd).toBe(1);
    expect(r.summary.simulatedMs).toBeGreaterThanOrEqual(6 * HOUR);
    expect(r.summary.simulatedMs).toBeLessThanOrEqual(7 * HOUR);
    expect(notices.join('\n')).toMatch(/1 tasks pending.*no new low for 6h.*--until/);
  });
});
