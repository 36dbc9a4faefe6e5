const EMPTY = -1;
/** Int32 entries per slot: key a, key b, value. */
const SLOT = 3;

/**
 * A hash map from a pair of non-negative int32 keys (a, b) to a non-negative int32 value, in one
 * Int32Array: open addressing with linear probing, kept at most half full, and deletion by shifting
 * later entries of the probe run back (no tombstones, so lookups never slow down with churn).
 * Keys and value of a slot sit side by side, so a probe touches one cache line.
 */
export class PairTable {
  private slots = new Int32Array(16 * SLOT).fill(EMPTY);
  private mask = 15;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The value of (a, b), or -1. */
  get(a: number, b: number): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let i = hash(a, b) & mask; ; i = (i + 1) & mask) {
      const at = i * SLOT;
      const value = slots[at + 2]!;
      if (value === EMPTY) return EMPTY;
      if (slots[at] === a && slots[at + 1] === b) return value;
    }
  }

  /** Sets the value of (a, b), which must not be present. */
  add(a: number, b: number, value: number): void {
    if (2 * (this.count + 1) > this.mask + 1) this.resize(2 * (this.mask + 1));
    this.place(a, b, value);
    this.count++;
  }

  /** Removes (a, b) if present. */
  delete(a: number, b: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = hash(a, b) & mask;
    for (; ; i = (i + 1) & mask) {
      const at = i * SLOT;
      if (slots[at + 2] === EMPTY) return;
      if (slots[at] === a && slots[at + 1] === b) break;
    }
    this.count--;
    // Backward shift: move each later entry of the run into the hole unless its home slot lies
    // cyclically after the hole (then it is still reachable from its home without crossing it).
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const from = j * SLOT;
      if (slots[from + 2] === EMPTY) break;
      const home = hash(slots[from]!, slots[from + 1]!) & mask;
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      const to = i * SLOT;
      slots[to] = slots[from]!;
      slots[to + 1] = slots[from + 1]!;
      slots[to + 2] = slots[from + 2]!;
      i = j;
    }
    slots[i * SLOT + 2] = EMPTY;
  }

  private place(a: number, b: number, value: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = hash(a, b) & mask;
    while (slots[i * SLOT + 2] !== EMPTY) i = (i + 1) & mask;
    const at = i * SLOT;
    slots[at] = a;
    slots[at + 1] = b;
    slots[at + 2] = value;
  }

  private resize(capacity: number): void {
    const old = this.slots;
    this.slots = new Int32Array(capacity * SLOT).fill(EMPTY);
    this.mask = capacity - 1;
    for (let at = 0; at < old.length; at += SLOT) {
      if (old[at + 2] !== EMPTY) this.place(old[at]!, old[at + 1]!, old[at + 2]!);
    }
  }
}

/** Mixes two int32s into a well-spread int32 (multiplicative hashing, then a final avalanche). */
function hash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}
