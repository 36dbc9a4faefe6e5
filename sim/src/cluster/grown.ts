/** The typed arrays the simulator's tables are made of. */
type Column =
  | Float64Array<ArrayBuffer>
  | Int32Array<ArrayBuffer>
  | Uint32Array<ArrayBuffer>
  | Uint8Array<ArrayBuffer>;

/**
 * A copy of `old` with room for `length` entries: the old entries first, then `fill` (0 unless
 * given). Tables double their columns with this when they run out of slots.
 */
export function grown<A extends Column>(old: A, length: number, fill = 0): A {
  const next = new (old.constructor as new (n: number) => A)(length);
  if (fill !== 0) next.fill(fill, old.length);
  next.set(old);
  return next;
}
