import { COMPARE_METRICS, METRICS, type MetricName } from '../analysis/metric-names.js';
import type { RunSummary } from '../output/summary.js';

export interface Spread {
  readonly mean: number;
  /** Sample standard deviation across seeds (0 for a single seed). */
  readonly stdev: number;
  readonly min: number;
  readonly max: number;
}

export interface PolicyAggregate {
  readonly policy: string;
  readonly metrics: Readonly<Record<string, Spread>>;
}

export function spread(values: readonly number[]): Spread {
  const n = values.length;
  if (n === 0) return { mean: 0, stdev: 0, min: 0, max: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  const r = (v: number): number => Math.round(v * 1e6) / 1e6;
  return {
    mean: r(mean),
    stdev: r(Math.sqrt(variance)),
    min: r(Math.min(...values)),
    max: r(Math.max(...values)),
  };
}

/** Mean and spread across seeds of each compared metric, per policy, in the order given. */
export function aggregate(
  policies: readonly string[],
  runs: readonly { readonly policy: string; readonly summary: RunSummary }[],
  metrics: readonly MetricName[] = COMPARE_METRICS,
): PolicyAggregate[] {
  return policies.map((policy) => {
    const mine = runs.filter((r) => r.policy === policy);
    const out: Record<string, Spread> = {};
    for (const m of metrics) out[m] = spread(mine.map((r) => METRICS[m](r.summary)));
    return { policy, metrics: out };
  });
}
