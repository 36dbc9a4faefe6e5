import { createScheduler } from '@borealis/core';
import { openTrace } from '@borealis/traces';
import { describe, expect, it } from 'vitest';
import { host, job, tempDir, writeTrace } from '../testing/trace-text.js';
import { DEFAULTS } from './sim-options.js';
import { Simulation } from './simulation.js';
import type { TraceApplier } from './trace-applier.js';

const MIN = 60_000;

/** Runs a trace through the real core; returns the run's summary and its trace applier. */
async function run(records: object[]) {
  const trace = writeTrace(records);
  const sim = new Simulation({
    options: {
      trace,
      seed: 1,
      out: tempDir(),
      sampleIntervalMs: MIN,
      loadScale: 1,
      loadJitterMs: DEFAULTS.loadJitterMs,
      audit: true,
      preemption: true,
      launchLatencyMs: [1000, 2000],
      killLatencyMs: 500,
      eventLog: false,
    },
    trace: await openTrace(trace),
    createScheduler,
  });
  const summary = await sim.run();
  return { summary, applier: (sim as unknown as { applier: TraceApplier }).applier };
}

describe('TraceApplier per-job state', () => {
  it('forgets a job once its tasks ended, keeps live, restarting and cron jobs', async () => {
    const records: object[] = [host(0, 'a'), host(0, 'b')];
    // 30 short batch jobs spread over 30 minutes, each done within a minute or two.
    for (let i = 0; i < 30; i++) records.push(job(i * MIN, `r/e/batch${i}`, { durationMs: 20_000 }));
    // A service (restarts after every exit) and a long job: both still have live tasks at the end.
    records.push(job(0, 'r/e/svc', { kind: 'service', durationMs: 5 * MIN }));
    records.push(job(0, 'r/e/long', { durationMs: 3_600_000 }));
    // A cron job: its runs come back, so its behaviour stays.
    records.push(job(0, 'r/e/cron', { kind: 'cron', cron: '*/10 * * * *', durationMs: 10_000 }));
    records.push(job(40 * MIN, 'r/e/last', { durationMs: 10_000 }));
    records.sort((x, y) => (x as { t: number }).t - (y as { t: number }).t);
    const { summary, applier } = await run(records);
    expect(summary.tasks.finished).toBeGreaterThanOrEqual(30);
    expect(applier.released).toBeGreaterThanOrEqual(29);
    expect(applier.behaviours.has('r/e/svc')).toBe(true);
    expect(applier.behaviours.has('r/e/long')).toBe(true);
    expect(applier.behaviours.has('r/e/cron')).toBe(true);
    expect(applier.endlessRestarts.get('r/e/svc')).toBe('any-exit');
    expect(applier.behaviours.has('r/e/batch0')).toBe(false);
    expect(applier.jobResources.has('r/e/batch0')).toBe(false);
    expect(applier.jobsHeld).toBeLessThanOrEqual(5);
  });
});
