import { describe, expect, it } from 'vitest';
import { runSimulation } from '../run/run-sim.js';
import { DEFAULTS } from '../run/sim-options.js';
import { readRunFiles } from '../testing/run-files.js';
import { host, job, tempDir, writeTrace } from '../testing/trace-text.js';

async function simulate(records: object[], untilMs: number) {
  const out = tempDir();
  await runSimulation({
    trace: writeTrace(records),
    seed: 1,
    out,
    untilMs,
    sampleIntervalMs: 60_000,
    loadScale: 1,
    loadJitterMs: DEFAULTS.loadJitterMs,
    audit: true,
    preemption: true,
    launchLatencyMs: [1000, 2000],
    killLatencyMs: 500,
    eventLog: true,
  });
  return readRunFiles(out).summary;
}

/**
 * Tasks never placed are part of the scheduling delay: each counts as waiting until the end of
 * the run, so a run that leaves work pending cannot report a better tail than one that places it.
 */
describe('scheduling delay with tasks never placed', () => {
  it('counts them as waiting until the end, says how many, and keeps the placed-only figures', async () => {
    // One 4-cpu host; ten 1-cpu tasks at t=0: four run, six wait the whole hour.
    const s = await simulate(
      [host(0, 'h1'), job(0, 'batch/devel/ten', { kind: 'service', instances: 10 })],
      3_600_000,
    );
    expect(s.tasks.pendingAtEnd).toBe(6);
    expect(s.schedulingDelayMs).toMatchObject({
      censored: 6,
      p99: 3_600_000,
      max: 3_600_000,
      p50: 3_600_000,
    });
    expect(s.placedDelayMs).toMatchObject({ p99: 0, max: 0 });
  });

  it('makes a run that leaves work pending look worse than one that places it late', async () => {
    // Two 4-cpu tasks, one 4-cpu host: the second waits for the first (30 min) in the long run,
    // and never runs in the short one. Placed-only delays would call the short run the better.
    const records = [
      host(0, 'h1'),
      job(0, 'batch/devel/a', { task: { cpu: 4, ramMb: 1024, diskMb: 0 }, durationMs: 1_800_000 }),
      job(0, 'batch/devel/b', { task: { cpu: 4, ramMb: 1024, diskMb: 0 }, durationMs: 60_000 }),
    ];
    const long = await simulate(records, 3_600_000);
    const short = await simulate(records, 1_200_000);
    expect(long.schedulingDelayMs.censored).toBe(0);
    expect(short.schedulingDelayMs.censored).toBe(1);
    expect(short.placedDelayMs.max).toBe(0);
    expect(short.schedulingDelayMs.max).toBe(1_200_000);
    expect(long.schedulingDelayMs.max).toBeGreaterThan(1_800_000);
  });
});
