/**
 * Empirical distributions. The node side turns every PENDING→ASSIGNED delay of a run into a
 * fixed number of quantiles (so a million tasks cost a few kilobytes in the page); the page turns
 * those quantiles back into CDF points.
 */

/** Quantiles at probabilities i/(n-1), i = 0..n-1, by the nearest-rank method on sorted data. */
export function quantilesOf(values: Float64Array, n: number): number[] {
  if (values.length === 0) return [];
  const sorted = values.slice().sort();
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const p = n === 1 ? 1 : i / (n - 1);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
    out[i] = sorted[rank]!;
  }
  return out;
}

export interface CdfPoint {
  readonly x: number;
  readonly p: number;
}

/**
 * CDF points from quantiles: a step at each distinct value, p non-decreasing and ending at 1.
 * Repeated quantile values (e.g. most tasks placed in 0 ms) merge into one step at their highest p.
 */
export function cdfFromQuantiles(quantiles: readonly number[]): CdfPoint[] {
  const n = quantiles.length;
  if (n === 0) return [];
  const out: CdfPoint[] = [];
  for (let i = 0; i < n; i++) {
    const x = quantiles[i]!;
    const p = n === 1 ? 1 : i / (n - 1);
    const last = out[out.length - 1];
    if (last && last.x === x) out[out.length - 1] = { x, p };
    else out.push({ x, p });
  }
  return out;
}

/** Probability that a delay is <= x, read from CDF points (step function). */
export function cdfAt(points: readonly CdfPoint[], x: number): number {
  let p = 0;
  for (const pt of points) {
    if (pt.x <= x) p = pt.p;
    else break;
  }
  return p;
}
