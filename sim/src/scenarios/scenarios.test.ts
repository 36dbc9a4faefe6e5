import { describe, expect, it } from 'vitest';
import { runSimulation } from '../run/run-sim.js';
import { DEFAULTS, type SimOptions } from '../run/sim-options.js';
import { readRunFiles } from '../testing/run-files.js';
import { host, job, tempDir, writeTrace } from '../testing/trace-text.js';

/**
 * Small hand-written traces through the real core; every assertion reads the run folder, the
 * simulator's public output, never its internals.
 */
async function simulate(records: object[] | string, extra: Partial<SimOptions> = {}) {
  const trace = typeof records === 'string' ? records : writeTrace(records);
  const out = tempDir();
  await runSimulation({
    trace,
    seed: 1,
    out,
    sampleIntervalMs: 10_000,
    loadScale: 1,
    loadJitterMs: DEFAULTS.loadJitterMs,
    audit: true,
    preemption: true,
    preemptionDelayMs: 0,
    launchLatencyMs: [1000, 2000],
    killLatencyMs: 500,
    eventLog: true,
    ...extra,
  });
  return readRunFiles(out);
}

const hosts = (n: number, extra: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => host(0, `h${i + 1}`, extra));

/** Every task the core created ends in exactly one bucket. */
function expectAccounted(s: ReturnType<typeof readRunFiles>['summary']): void {
  const t = s.tasks;
  expect(t.created).toBe(t.submitted + t.rescheduled);
  expect(
    t.finished + t.failed + t.killed + t.killedBeforeLaunch + t.lost + t.pendingAtEnd + t.runningAtEnd,
  ).toBe(t.created);
  expect(s.violations).toBe(0);
}

describe('simulator scenarios (real core, assertions on the run files)', () => {
  it('fills capacity exactly, then leaves one task pending', async () => {
    const r = await simulate([...hosts(2), job(0, 'batch/prod/fill', { kind: 'service', instances: 9 })]);
    expect(r.summary.tasks).toMatchObject({ submitted: 9, launched: 8, pendingAtEnd: 1, runningAtEnd: 8 });
    const last = r.rows[r.rows.length - 1]!;
    expect(last).toMatchObject({ running: 8, pending: 1, cap_cpu: 8, alloc_cpu_preemptible: 8 });
    expect(Object.keys(r.summary.pendingReasons).join()).toMatch(/cpu/);
    expect(r.summary.utilization.cpu.peak).toBe(1);
    expectAccounted(r.summary);
  });

  it('spreads a limit:1 job over distinct hosts and keeps the extra instance pending', async () => {
    const r = await simulate([
      ...hosts(3),
      job(0, 'www/prod/web', { kind: 'service', instances: 4, constraints: { host: 'limit:1' } }),
    ]);
    const placed = r.events.filter((e) => e.state === 'ASSIGNED').map((e) => e.host);
    expect(placed).toHaveLength(3);
    expect(new Set(placed).size).toBe(3);
    expect(r.summary.tasks.pendingAtEnd).toBe(1);
    expectAccounted(r.summary);
  });

  it('lets production work preempt batch work on a full cluster', async () => {
    const r = await simulate([
      ...hosts(1),
      job(0, 'batch/devel/crunch', { kind: 'service', instances: 4, tier: 'preemptible' }),
      job(10_000, 'www/prod/api', { kind: 'service', instances: 2, tier: 'preferred', priority: 10 }),
    ]);
    expect(r.preemptions.length).toBeGreaterThanOrEqual(1);
    for (const p of r.preemptions) {
      expect(p.preemptor.job).toBe('www/prod/api');
      expect(p.victims.every((v) => v.tier === 'preemptible')).toBe(true);
    }
    const victims = r.preemptions.flatMap((p) => p.victims.map((v) => v.task));
    expect(victims).toHaveLength(2);
    for (const v of victims) expect(r.events.some((e) => e.task === v && e.state === 'KILLED')).toBe(true);
    const prodRunning = r.events.filter((e) => e.job === 'www/prod/api' && e.state === 'RUNNING');
    expect(prodRunning).toHaveLength(2);
    expect(r.summary.tasks.preempted).toBe(2);
    expect(r.summary.preemptions).toBe(r.preemptions.length);
    expect(r.rows.reduce((n, row) => n + (row.preempted ?? 0), 0)).toBe(2);
    expectAccounted(r.summary);
  });

  it('loses tasks with a failed host and reschedules them elsewhere', async () => {
    const r = await simulate([
      ...hosts(2),
      job(0, 'www/prod/web', { kind: 'service', instances: 2, constraints: { host: 'limit:1' } }),
      { t: 20_000, type: 'host_down', host: 'h1' },
    ]);
    const lost = r.events.filter((e) => e.state === 'LOST');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ t: 20_000, host: 'h1' });
    // the replacement for the lost instance goes to h2 (h1 is down; limit:1 still holds there only once)
    const replacement = r.events.find(
      (e) => e.instance === lost[0]!.instance && e.state === 'PENDING' && e.task !== lost[0]!.task,
    );
    expect(replacement).toBeDefined();
    expect(r.summary.tasks).toMatchObject({ lost: 1, rescheduled: 1 });
    expect(r.rows.reduce((n, row) => n + (row.lost ?? 0), 0)).toBe(1);
    expect(r.rows[r.rows.length - 1]).toMatchObject({ hosts_up: 1 });
    expectAccounted(r.summary);
  });

  it('finishes ad-hoc tasks at their durations', async () => {
    const r = await simulate([
      ...hosts(1),
      job(5000, 'batch/devel/etl', { instances: 2, durationMs: [30_000, 50_000] }),
    ]);
    const finished = r.events.filter((e) => e.state === 'FINISHED').map((e) => [e.instance, e.t]);
    // submitted at 5 s, RUNNING 3 s later, then the duration
    expect(finished).toEqual([
      [0, 38_000],
      [1, 58_000],
    ]);
    expect(r.summary.simulatedMs).toBe(58_000);
    expect(r.summary.tasks).toMatchObject({ finished: 2, runningAtEnd: 0 });
    expectAccounted(r.summary);
  });

  it('kills a job: running instances end KILLED after the kill latency and never come back', async () => {
    const r = await simulate([
      ...hosts(1),
      job(0, 'www/prod/web', { kind: 'service', instances: 2 }),
      { t: 20_000, type: 'job_kill', job: 'www/prod/web' },
    ]);
    const killed = r.events.filter((e) => e.state === 'KILLED');
    expect(killed.map((e) => e.t)).toEqual([20_500, 20_500]);
    expect(r.events.filter((e) => e.state === 'PENDING')).toHaveLength(2);
    expect(r.summary.jobs.killed).toBe(1);
    expect(r.summary.tasks).toMatchObject({ killed: 2, runningAtEnd: 0, pendingAtEnd: 0 });
    expectAccounted(r.summary);
  });

  it('forgets tasks killed while still pending', async () => {
    const r = await simulate([
      ...hosts(1),
      job(0, 'batch/devel/big', { kind: 'service', instances: 2, task: { cpu: 8, ramMb: 1, diskMb: 0 } }),
      { t: 10_000, type: 'job_kill', job: 'batch/devel/big' },
    ]);
    expect(r.events.filter((e) => e.state === 'KILLING').map((e) => e.t)).toEqual([10_000, 10_000]);
    expect(r.summary.tasks).toMatchObject({
      killedBeforeLaunch: 2,
      pendingAtEnd: 0,
      runningAtEnd: 0,
      launched: 0,
    });
    expect(r.rows.at(-1)).toMatchObject({ pending: 0, running: 0 });
    expectAccounted(r.summary);
  });

  it('rejects a production job over its role quota', async () => {
    const r = await simulate([
      ...hosts(2),
      { t: 0, type: 'quota_set', role: 'www', cpu: 2, ramMb: 8192, diskMb: 100000, gpus: 0 },
      job(0, 'www/prod/web', { kind: 'service', instances: 4, tier: 'preferred' }),
      job(0, 'www/prod/small', { kind: 'service', instances: 2, tier: 'preferred' }),
    ]);
    expect(r.summary.jobs).toMatchObject({ submitted: 1, rejected: 1 });
    expect(Object.keys(r.summary.jobs.rejectReasons).join()).toMatch(/quota/i);
    expect(r.events.some((e) => e.job === 'www/prod/web')).toBe(false);
    expect(r.summary.tasks).toMatchObject({ submitted: 2, runningAtEnd: 2 });
    expectAccounted(r.summary);
  });

  it('replays recorded outcomes: failed instances FAIL, killed ones are killed for good', async () => {
    const r = await simulate([
      ...hosts(1),
      job(0, 'batch/devel/mixed', {
        instances: 3,
        durationMs: 10_000,
        outcomes: ['finished', 'failed', 'killed'],
        maxTaskFailures: 1,
      }),
    ]);
    const end = (i: number) => r.events.filter((e) => e.instance === i).at(-1)?.state;
    expect([end(0), end(1), end(2)]).toEqual(['FINISHED', 'FAILED', 'KILLED']);
    expectAccounted(r.summary);
  });
});

describe('--load-scale', () => {
  it('doubles submissions with jittered copies and applies kills to the copies too', async () => {
    const r = await simulate(
      [
        ...hosts(4),
        // Arrivals (t > 0): services standing at t=0 are not scaled.
        ...Array.from({ length: 10 }, (_, i) => job(1000, `www/prod/s${i}`, { kind: 'service' })),
        ...Array.from({ length: 10 }, (_, i) => ({ t: 30_000, type: 'job_kill', job: `www/prod/s${i}` })),
      ],
      { loadScale: 2, loadJitterMs: 60_000 },
    );
    const jobs = new Set(r.events.map((e) => e.job));
    expect(
      jobs.has('www/prod/s0-x1') || r.summary.ignoredRecords['job_submit: copy killed before it arrived'],
    ).toBeTruthy();
    const copies = r.summary.jobs.submitted - 10;
    const calledOff = r.summary.ignoredRecords['job_submit: copy killed before it arrived'] ?? 0;
    expect(copies + calledOff).toBe(10);
    expect(r.summary.tasks.runningAtEnd).toBe(0);
    expectAccounted(r.summary);
  });
});

describe('Mesos offer cycle', () => {
  it('places work only on offered hosts: declined hosts sit out their refuse filter', async () => {
    const r = await simulate(
      [
        ...hosts(2),
        job(500, 'batch/devel/early', { durationMs: 10_000 }),
        job(1500, 'batch/devel/late', { durationMs: 10_000 }),
      ],
      { offers: { allocationIntervalMs: 2000, offerHoldMs: 1000, refuseMs: 5000 } },
    );
    const assigned = (j: string) => r.events.find((e) => e.job === j && e.state === 'ASSIGNED')!;
    // Offers made at t=0 are held until 1 s: the early job uses one at once.
    const early = assigned('batch/devel/early');
    expect(early.t).toBe(500);
    // The used host comes back in the next allocation round (2 s); the other host's offer was
    // declined at 1 s and is filtered until 6 s. So the late job can only get the used host.
    const late = assigned('batch/devel/late');
    expect(late.t).toBeGreaterThanOrEqual(2000);
    expect(late.host).toBe(early.host);
    expect(r.summary.tasks).toMatchObject({ finished: 2, pendingAtEnd: 0 });
    expectAccounted(r.summary);
  });
});

describe('determinism', () => {
  const records = writeTrace([
    ...hosts(40, { cpu: 8 }),
    ...Array.from({ length: 30 }, (_, i) =>
      job(i * 1000, `batch/devel/j${i}`, { instances: 3, durationMs: 20_000 + ((i * 7919) % 30_000) }),
    ),
  ]);

  it('writes identical files for identical inputs, except wallMs and machine', async () => {
    const a = await simulate(records, { policy: 'random-k' });
    const b = await simulate(records, { policy: 'random-k' });
    for (const name of ['events.jsonl', 'preemptions.jsonl', 'timeseries.csv', 'hosts.json'] as const) {
      expect(a.raw[name], name).toBe(b.raw[name]);
    }
    const strip = (s: string) => s.replace(/"wallMs": \d+/, '').replace(/"machine": \{[^}]*\}/, '');
    expect(strip(a.raw['summary.json']!)).toBe(strip(b.raw['summary.json']!));
  });

  it('changes a seeded-random policy run when the seed changes', async () => {
    const a = await simulate(records, { policy: 'random-k', seed: 1 });
    const b = await simulate(records, { policy: 'random-k', seed: 2 });
    expect(a.raw['events.jsonl']).not.toBe(b.raw['events.jsonl']);
  });
});
