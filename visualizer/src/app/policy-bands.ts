import type { Series } from './charts/time-chart.js';

export interface PolicyRun {
  readonly policy: string;
  readonly label: string;
  readonly color: string;
  readonly t: Float64Array;
  readonly values: Float64Array;
}

/**
 * The runs of a comparison as one series per policy: across the policy's seeds, the mean as the
 * line and min–max as a band, so policies read apart at a glance and seed noise shows as width.
 * Samples are matched by index where the runs' times agree (they share the sample grid; a run that
 * ended earlier simply stops contributing). A policy with one run keeps its own line.
 */
export function policyBands(runs: readonly PolicyRun[], format: Series['format']): Series[] {
  const policies = [...new Set(runs.map((r) => r.policy))];
  return policies.map((policy) => {
    const mine = runs.filter((r) => r.policy === policy);
    const first = mine[0]!;
    if (mine.length === 1) {
      return {
        key: first.label,
        label: first.label,
        color: first.color,
        t: first.t,
        values: first.values,
        format,
      };
    }
    const grid = mine.reduce((a, r) => (r.t.length > a.t.length ? r : a), first).t;
    const mean = new Float64Array(grid.length).fill(Number.NaN);
    const lo = new Float64Array(grid.length).fill(Number.NaN);
    const hi = new Float64Array(grid.length).fill(Number.NaN);
    for (let i = 0; i < grid.length; i++) {
      let n = 0;
      let sum = 0;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const r of mine) {
        if (i >= r.t.length || r.t[i] !== grid[i]) continue;
        const v = r.values[i]!;
        if (Number.isNaN(v)) continue;
        n++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (n === 0) continue;
      mean[i] = sum / n;
      lo[i] = min;
      hi[i] = max;
    }
    return {
      key: policy,
      label: `${policy} (${mine.length} seeds: mean, band min–max)`,
      color: first.color,
      t: grid,
      values: mean,
      band: { lo, hi },
      format,
    };
  });
}
