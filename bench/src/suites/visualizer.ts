import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBundle, writeReport } from '@borealis/visualizer/node';
import { launchChromium, measureRender, writeFixtureRun } from '@borealis/visualizer/testing';
import { timed } from '../harness/timed.js';
import type { BenchSuite } from '../index.js';

const DAY_MS = 86_400_000;
const TARGET_MS = 3000;

/**
 * report.html of a 10,000-host, one-day run (one-minute samples) opened from disk in Debian's
 * chromium: the time from navigation to every chart drawn and painted (median of 5 fresh page
 * loads), against the 3 s target. Also times writing the report (streaming events.jsonl twice,
 * reducing the heat map). The run comes from the visualizer's seeded fixture writer, which writes
 * the same files as the simulator, at a size the simulator cannot produce yet.
 */
export const visualizer: BenchSuite = {
  name: 'visualizer',
  description: 'report.html render time in chromium, 10,000 hosts × 1 day (navigation to all charts drawn)',
  async run({ quick, log }) {
    const hosts = quick ? 500 : 10_000;
    const sampleIntervalMs = 60_000;
    const dir = join(tmpdir(), `borealis-bench-visualizer-${process.pid}`);
    try {
      log(`visualizer: writing a ${hosts}-host one-day fixture run`);
      const summary = await writeFixtureRun(dir, {
        hosts,
        durationMs: DAY_MS,
        sampleIntervalMs,
        seed: 1,
        taskScale: 3,
      });
      await ensureBundle();
      log('visualizer: writing report.html');
      const written = await timed(() => writeReport(dir));
      const reportBytes = (await stat(written.value)).size;
      log('visualizer: rendering in chromium');
      const browser = await launchChromium();
      try {
        const render = await measureRender(browser, written.value, quick ? 2 : 5);
        return {
          source: 'fixture: @borealis/visualizer/testing writeFixtureRun (seed 1, taskScale 3)',
          browser: 'Debian chromium (headless, --disable-gpu), viewport 1400×900',
          hosts,
          simulatedMs: DAY_MS,
          sampleIntervalMs,
          tasks: summary.tasks.submitted ?? 0,
          taskEvents: summary.events ?? 0,
          preemptions: summary.preemptions,
          reportMb: Math.round((reportBytes / 2 ** 20) * 10) / 10,
          writeReport: written.figures,
          renderMs: { median: render.medianMs, runs: render.runsMs },
          chartsDrawn: render.charts,
          targetMs: TARGET_MS,
          withinTarget: render.medianMs < TARGET_MS,
        };
      } finally {
        await browser.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
