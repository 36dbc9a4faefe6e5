/** An append-only Float64 buffer that doubles when full; no allocation per value. */
export class GrowableFloat64 {
  private data: Float64Array;
  length = 0;

  constructor(initial = 1024) {
    this.data = new Float64Array(initial);
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  clear(): void {
    this.length = 0;
  }

  /** The values, sorted ascending in place (a view; valid until the next push). */
  sorted(): Float64Array {
    const view = this.data.subarray(0, this.length);
    view.sort();
    return view;
  }
}

/** Nearest-rank percentile of ascending values; 0 for none. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}

export function mean(values: Float64Array): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}
