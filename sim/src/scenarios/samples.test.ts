import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../run/run-sim.js';
import { DEFAULTS } from '../run/sim-options.js';
import { readRunFiles } from '../testing/run-files.js';
import { tempDir } from '../testing/trace-text.js';

const samples = fileURLToPath(new URL('../../../traces/samples/', import.meta.url));
const files = readdirSync(samples).filter((f) => f.endsWith('.jsonl') || f.endsWith('.jsonl.gz'));

describe('every shipped sample trace under --audit', () => {
  it('finds the samples', () => expect(files.length).toBeGreaterThan(0));

  for (const file of files) {
    it(`${file}: no violations, every task accounted for`, async () => {
      const out = tempDir();
      await runSimulation({
        trace: samples + file,
        seed: 1,
        out,
        sampleIntervalMs: DEFAULTS.sampleIntervalMs,
        loadScale: 1,
        loadJitterMs: DEFAULTS.loadJitterMs,
        audit: true,
        preemption: true,
        launchLatencyMs: DEFAULTS.launchLatencyMs,
        killLatencyMs: DEFAULTS.killLatencyMs,
        eventLog: true,
      });
      const { summary, events } = readRunFiles(out);
      expect(summary.violationSamples).toEqual([]);
      expect(summary.violations).toBe(0);
      const t = summary.tasks;
      expect(t.created).toBe(t.submitted + t.rescheduled);
      expect(
        t.finished + t.failed + t.killed + t.killedBeforeLaunch + t.lost + t.pendingAtEnd + t.runningAtEnd,
      ).toBe(t.created);
      expect(t.submitted).toBeGreaterThan(0);
      // every task id the core created appears in events.jsonl
      expect(new Set(events.map((e) => e.task)).size).toBe(t.created);
    });
  }
});
