import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { RunSummary } from '@borealis/visualizer';
import { ensureBundle, writeReport } from '@borealis/visualizer/node';
import { launchChromium, measureRender, writeFixtureRun } from '@borealis/visualizer/testing';
import type { Browser } from 'playwright-core';
import { timed } from '../harness/timed.js';
import type { BenchSuite, Figures } from '../index.js';

const DAY_MS = 86_400_000;
const TARGET_MS = 3000;
const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/**
 * report.html of 10,000-host, one-day runs opened from disk in Debian's chromium: the time from
 * navigation to every chart drawn and painted (median of fresh page loads), against the 3 s
 * target; also the time to write the report (events.jsonl streamed twice, heat map reduced).
 * Two runs: a real simulator run (the sample trace's workload on 10,000 hosts for a day: the
 * heat map at full size, few tasks) and the visualizer's seeded fixture at a heavy load (378k
 * tasks, 1.9M task events), which the simulator cannot yet produce in bench time.
 */
export const visualizer: BenchSuite = {
  name: 'visualizer',
  description: 'report.html render time in chromium, 10,000 hosts × 1 day (navigation to all charts drawn)',
  async run({ quick, log }) {
    const hosts = quick ? 500 : 10_000;
    const base = join(tmpdir(), `borealis-bench-visualizer-${process.pid}`);
    await ensureBundle();
    const browser = await launchChromium();
    try {
      const out: Figures[] = [];
      const simDir = join(base, 'simulator');
      log(`visualizer: simulator run of the sample trace on ${hosts} hosts for a day`);
      await promisify(execFile)(
        process.execPath,
        [
          join(ROOT, 'cli', 'bin', 'borealis.mjs'),
          'sim',
          'run',
          '--trace',
          join(ROOT, 'traces', 'samples', 'sample.jsonl'),
          '--hosts',
          String(hosts),
          '--until',
          '1d',
          '--out',
          simDir,
        ],
        { cwd: ROOT, maxBuffer: 64 << 20 },
      );
      out.push(
        await measure(
          browser,
          simDir,
          'simulator: sim run traces/samples/sample.jsonl --hosts N --until 1d',
          quick,
          log,
        ),
      );
      const fixtureDir = join(base, 'fixture');
      log(`visualizer: writing a ${hosts}-host one-day fixture run`);
      await writeFixtureRun(fixtureDir, {
        hosts,
        durationMs: DAY_MS,
        sampleIntervalMs: 60_000,
        seed: 1,
        taskScale: 3,
      });
      out.push(
        await measure(
          browser,
          fixtureDir,
          'fixture: @borealis/visualizer/testing writeFixtureRun (seed 1, taskScale 3)',
          quick,
          log,
        ),
      );
      return out;
    } finally {
      await browser.close();
      await rm(base, { recursive: true, force: true });
    }
  },
};

async function measure(
  browser: Browser,
  dir: string,
  source: string,
  quick: boolean,
  log: (m: string) => void,
): Promise<Figures> {
  const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as RunSummary;
  log(`visualizer: writing and rendering report.html (${source.split(':')[0]})`);
  const written = await timed(() => writeReport(dir));
  const render = await measureRender(browser, written.value, quick ? 2 : 5);
  const timeseries = await readFile(join(dir, 'timeseries.csv'), 'utf8');
  return {
    source,
    browser: 'Debian chromium (headless, --disable-gpu), viewport 1400×900',
    hosts: summary.hosts,
    simulatedMs: summary.simulatedMs,
    samples: timeseries.trimEnd().split('\n').length - 1,
    tasks: summary.tasks.submitted ?? 0,
    taskEvents: await countLines(join(dir, 'events.jsonl')),
    preemptions: summary.preemptions,
    reportMb: Math.round(((await stat(written.value)).size / 2 ** 20) * 10) / 10,
    writeReport: written.figures,
    renderMs: { median: render.medianMs, runs: render.runsMs },
    chartsDrawn: render.charts,
    targetMs: TARGET_MS,
    withinTarget: render.medianMs < TARGET_MS,
  };
}

async function countLines(path: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(path)) {
    const buf = chunk as Buffer;
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  }
  return n;
}
