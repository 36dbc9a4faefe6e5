import type { Int32Pool } from './int32-pool.js';

/**
 * An append-only log of fixed-size integer records with absolute sequence numbers. Readers keep a
 * cursor (the sequence number of the next record they have not seen). Old records are dropped by
 * `trim`; a reader whose cursor falls below `base` has missed records and must rebuild from
 * scratch instead of replaying.
 *
 * Storage is allocated on the first push (every job ledger has a log and most never write to it:
 * an eager Int32Array(64) per ledger was 0.7% of a 4 h 10k-host run) and doubles as needed, from
 * `pool` when given (which gets outgrown arrays back, and all of it on `release`).
 */
export class ChangeLog {
  private data: Int32Array = NO_RECORDS;
  /** Sequence number of the first record still stored. */
  base = 0;
  /** Sequence number the next record will get. */
  head = 0;

  constructor(
    readonly stride: number,
    private readonly pool?: Int32Pool,
  ) {}

  push1(a: number): void {
    const at = (this.head - this.base) * this.stride;
    if (at + this.stride > this.data.length) this.reserve(at + this.stride);
    this.data[at] = a;
    this.head++;
  }

  push4(a: number, b: number, c: number, d: number): void {
    const at = (this.head - this.base) * this.stride;
    if (at + 4 > this.data.length) this.reserve(at + 4);
    const data = this.data;
    data[at] = a;
    data[at + 1] = b;
    data[at + 2] = c;
    data[at + 3] = d;
    this.head++;
  }

  /** Field `field` of record `seq` (base ≤ seq < head). */
  at(seq: number, field = 0): number {
    return this.data[(seq - this.base) * this.stride + field]!;
  }

  /** Keeps only the newest `keep` records once more than `2 × keep` are stored (amortized O(1)). */
  trim(keep: number): void {
    const stored = this.head - this.base;
    if (stored <= 2 * keep) return;
    const drop = stored - keep;
    this.data.copyWithin(0, drop * this.stride, stored * this.stride);
    this.base += drop;
  }

  /**
   * Nobody will read this log again: its storage goes back to the pool and no record is stored any
   * more (`base` = `head`, so a reader that still came by would rebuild rather than replay).
   */
  release(): void {
    if (this.pool && this.data.length > 0) this.pool.give(this.data.length, this.data);
    this.data = NO_RECORDS;
    this.base = this.head;
  }

  private reserve(min: number): void {
    const old = this.data;
    const size = Math.max(min, 2 * old.length, 16);
    // Pooled by length: a log's sizes are 16 × 2^k.
    const data = this.pool ? this.pool.take(size, size) : new Int32Array(size);
    data.set(old.subarray(0, (this.head - this.base) * this.stride));
    if (this.pool && old.length > 0) this.pool.give(old.length, old);
    this.data = data;
  }
}

const NO_RECORDS = new Int32Array(0);
