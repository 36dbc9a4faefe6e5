/**
 * Stacks per-tier allocation series into layers for an area chart. Tiers are stacked in a fixed
 * order (preferred at the bottom: it is what must fit; preemptible and revocable ride on top and
 * are what preemption eats), so a layer's top is the running total.
 */
export interface StackLayer {
  readonly key: string;
  /** Bottom and top per kept row, parallel to `rows`. */
  readonly y0: Float64Array;
  readonly y1: Float64Array;
}

export interface Stack {
  readonly rows: readonly number[];
  readonly layers: readonly StackLayer[];
  /** Top of the highest visible layer per kept row. */
  readonly total: Float64Array;
}

/**
 * `series` maps layer keys (in stacking order) to full-length columns; `rows` selects which rows
 * to keep (e.g. from peak-keeping downsampling); `hidden` layers are left out of the stack so the
 * remaining ones close ranks when a legend entry is toggled off. Missing values count as 0.
 */
export function stackTiers(
  series: readonly { key: string; values: ArrayLike<number> }[],
  rows: readonly number[],
  hidden: ReadonlySet<string> = new Set(),
): Stack {
  const n = rows.length;
  const total = new Float64Array(n);
  const layers: StackLayer[] = [];
  for (const { key, values } of series) {
    if (hidden.has(key)) continue;
    const y0 = new Float64Array(n);
    const y1 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[rows[i]!]!;
      y0[i] = total[i]!;
      total[i] = total[i]! + (Number.isFinite(v) && v > 0 ? v : 0);
      y1[i] = total[i]!;
    }
    layers.push({ key, y0, y1 });
  }
  return { rows, layers, total };
}
