import { join } from 'node:path';
import { generateTrace, PRESETS } from '@borealis/traces';
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../run/run-sim.js';
import { DEFAULTS } from '../run/sim-options.js';
import { tempDir } from '../testing/trace-text.js';

/**
 * A small, overloaded generated cell (40 hosts at 6× the preset's arrival rate, 70% of the cpu held by
 * standing services) keeps the cluster full, so production work preempts batch work all run long
 * while more batch work arrives; kills take the simulator's default latency. The audit recounts
 * every host from the tasks launched there: no host may ever hold more than its capacity, even
 * while victims are still dying.
 */
describe('a busy generated trace under --audit', () => {
  it('preempts often and never places a task over a host capacity', async () => {
    const trace = join(tempDir(), 'busy.jsonl');
    await generateTrace(
      {
        preset: PRESETS['google-2011']!,
        hosts: 40,
        days: 0.1,
        seed: '1',
        loadFactor: 6,
        serviceShare: 0.7,
        maxDurationMs: 2 * 3_600_000,
      },
      trace,
    );
    const summary = await runSimulation({
      trace,
      seed: 1,
      sampleIntervalMs: DEFAULTS.sampleIntervalMs,
      loadScale: 1,
      loadJitterMs: DEFAULTS.loadJitterMs,
      audit: true,
      preemption: true,
      launchLatencyMs: DEFAULTS.launchLatencyMs,
      killLatencyMs: DEFAULTS.killLatencyMs,
      eventLog: false,
    });
    expect(summary.preemptions).toBeGreaterThan(10);
    expect(summary.violationSamples).toEqual([]);
    expect(summary.violations).toBe(0);
  });
});
