import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ComparePayload, CompareRunPayload } from '../data/payload.js';
import type { ComparisonFile, RunSummary } from '../data/run-files.js';
import { loadTimeseries, scanEvents } from './load-run.js';

/**
 * Time-series rows for all runs of a comparison together: overlays need shape rather than every
 * sample, and there may be dozens of runs; each run gets an equal share, never under 5,000.
 */
const COMPARE_ROWS_TOTAL = 80_000;

/** Builds the comparison page's data from a `sim compare` folder (comparison.json + run folders). */
export async function loadComparePayload(
  dir: string,
  label = basename(resolve(dir)),
): Promise<ComparePayload> {
  const comparison = JSON.parse(await readFile(join(dir, 'comparison.json'), 'utf8')) as ComparisonFile;
  const reductions: string[] = [];
  const runs: CompareRunPayload[] = [];
  for (const run of comparison.runs) {
    const runDir = join(dir, run.dir);
    const summary = await readSummary(runDir, run.summary);
    const own: string[] = [];
    const rowsPerRun = Math.max(5000, Math.floor(COMPARE_ROWS_TOTAL / Math.max(1, comparison.runs.length)));
    const timeseries = await loadTimeseries(runDir, rowsPerRun, own);
    reductions.push(...own.map((r) => `${run.dir}: ${r}`));
    // Only the delay distribution is needed from events: budget 0 skips collecting lines.
    const { delays } = await scanEvents(join(runDir, 'events.jsonl'), 0);
    runs.push({ label: run.dir, policy: run.policy, seed: run.seed, summary, timeseries, delays });
  }
  return { kind: 'compare', label, comparison, runs, reductions };
}

async function readSummary(runDir: string, fallback: RunSummary): Promise<RunSummary> {
  try {
    return JSON.parse(await readFile(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  } catch {
    return fallback;
  }
}
