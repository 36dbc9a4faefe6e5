import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AggregateMetric, ComparisonFile, ComparisonRun, RunSummary } from '../data/run-files.js';
import { type FixtureOptions, writeFixtureRun } from './fixture-run.js';

/** Writes a `sim compare` folder: one fixture run per policy and seed plus comparison.json. */
export async function writeFixtureComparison(
  dir: string,
  opts: Omit<FixtureOptions, 'seed' | 'policy'> & { policies: readonly string[]; seeds: readonly number[] },
): Promise<ComparisonFile> {
  await mkdir(dir, { recursive: true });
  const runs: ComparisonRun[] = [];
  for (const policy of opts.policies) {
    for (const seed of opts.seeds) {
      const sub = `${policy}-s${seed}`;
      const summary = await writeFixtureRun(join(dir, sub), { ...opts, policy, seed });
      runs.push({ policy, seed, dir: sub, summary });
    }
  }
  const metrics: Record<string, (s: RunSummary) => number> = {
    'delay.p50': (s) => s.schedulingDelayMs.p50 ?? 0,
    'delay.p99': (s) => s.schedulingDelayMs.p99 ?? 0,
    'utilization.cpu.mean': (s) => s.utilization.cpu?.mean ?? 0,
    preemptions: (s) => s.preemptions,
  };
  const comparison: ComparisonFile = {
    trace: runs[0]?.summary.trace ?? '',
    policies: opts.policies,
    seeds: opts.seeds,
    runs,
    aggregate: opts.policies.map((policy) => ({
      policy,
      metrics: Object.fromEntries(
        Object.entries(metrics).map(([name, f]) => [
          name,
          stats(runs.filter((r) => r.policy === policy).map((r) => f(r.summary))),
        ]),
      ),
    })),
  };
  await writeFile(join(dir, 'comparison.json'), JSON.stringify(comparison, null, 2) + '\n');
  return comparison;
}

function stats(xs: readonly number[]): AggregateMetric {
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1);
  return { mean, stdev: Math.sqrt(variance), min: Math.min(...xs), max: Math.max(...xs) };
}
