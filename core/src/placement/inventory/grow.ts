/**
 * Growth for the typed-array columns of the inventory and of placement classes. Columns grow by
 * doubling so that adding hosts one by one stays amortized O(1).
 */
type Column = Float64Array | Int32Array | Uint32Array | Int16Array | Uint8Array;

/** Returns `a` if it already holds `min` items, else a larger copy whose new tail is `fill`. */
export function grow<T extends Column>(a: T, min: number, fill = 0): T {
  if (a.length >= min) return a;
  const size = Math.max(min, a.length * 2, 16);
  const b = new (a.constructor as new (n: number) => T)(size);
  (b as Float64Array).set(a as Float64Array);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
