/**
 * Peak-keeping downsampling for line and area charts. A chart a few hundred pixels wide cannot
 * show 100,000 samples, but a capacity planner must still see the one spike that hit the
 * capacity line. Each bucket of consecutive samples keeps its first, last, minimum and maximum
 * sample (the M4 scheme), so the drawn envelope is pixel-identical to drawing every point.
 */

/**
 * Indices of the samples to keep from `values` (parallel to `times`, ascending), restricted to
 * [t0, t1] plus one neighbour on each side so lines run to the chart edges. NaN values are gaps:
 * never chosen as extremes, and a gap between two kept samples keeps one of its NaNs so the line
 * breaks there.
 */
export function peakKeepingIndices(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  buckets: number,
  t0 = Number.NEGATIVE_INFINITY,
  t1 = Number.POSITIVE_INFINITY,
): number[] {
  const n = times.length;
  let lo = lowerBound(times, t0);
  let hi = upperBound(times, t1);
  if (lo > 0) lo--;
  if (hi < n) hi++;
  const count = hi - lo;
  if (count <= 0) return [];
  if (count <= buckets * 4) return range(lo, hi);
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const s = lo + Math.floor((b * count) / buckets);
    const e = lo + Math.floor(((b + 1) * count) / buckets);
    if (e <= s) continue;
    let iMin = -1;
    let iMax = -1;
    for (let i = s; i < e; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      if (iMin < 0 || v < values[iMin]!) iMin = i;
      if (iMax < 0 || v > values[iMax]!) iMax = i;
    }
    pushSorted(out, withGaps(values, [s, iMin, iMax, e - 1]));
  }
  return out;
}

/**
 * The same for several series drawn together (a stack): a row is kept when it is the first,
 * last, or extreme of *any* series in its bucket, so every layer keeps its peaks and the rows
 * stay aligned across layers.
 */
export function peakKeepingRows(
  times: ArrayLike<number>,
  series: readonly ArrayLike<number>[],
  buckets: number,
  t0 = Number.NEGATIVE_INFINITY,
  t1 = Number.POSITIVE_INFINITY,
): number[] {
  if (series.length === 1) return peakKeepingIndices(times, series[0]!, buckets, t0, t1);
  const keep = new Set<number>();
  for (const s of series) for (const i of peakKeepingIndices(times, s, buckets, t0, t1)) keep.add(i);
  return [...keep].sort((a, b) => a - b);
}

/**
 * The candidates plus, between two consecutive non-NaN ones, the first NaN lying between them:
 * a line then breaks at the gap instead of bridging the samples on either side.
 */
function withGaps(values: ArrayLike<number>, candidates: number[]): number[] {
  const sorted = [...new Set(candidates.filter((i) => i >= 0))].sort((a, b) => a - b);
  const out: number[] = [];
  for (let k = 0; k < sorted.length; k++) {
    const b = sorted[k]!;
    const a = sorted[k - 1];
    if (a !== undefined && !Number.isNaN(values[a]!) && !Number.isNaN(values[b]!)) {
      for (let i = a + 1; i < b; i++) {
        if (Number.isNaN(values[i]!)) {
          out.push(i);
          break;
        }
      }
    }
    out.push(b);
  }
  return out;
}

function pushSorted(out: number[], candidates: number[]): void {
  const uniq = [...new Set(candidates.filter((i) => i >= 0))].sort((a, b) => a - b);
  for (const i of uniq) if (out.length === 0 || out[out.length - 1]! < i) out.push(i);
}

function range(lo: number, hi: number): number[] {
  const out = new Array<number>(hi - lo);
  for (let i = lo; i < hi; i++) out[i - lo] = i;
  return out;
}

/** First index with times[i] >= t. */
export function lowerBound(times: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with times[i] > t. */
export function upperBound(times: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
