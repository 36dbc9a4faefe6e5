/** Int32 entries per shared buffer (4 MB): a hundred `host` count arrays at 10,000 hosts. */
const CHUNK = 1 << 20;

/**
 * Int32Arrays for job ledgers (their per-value counts and their change logs), carved from a few
 * large buffers and taken back when a ledger is dropped or a log outgrows one.
 *
 * Typed arrays of more than 64 bytes get a backing store outside the V8 heap, and creating many
 * of them is slow: a one-day 10k-host google-2011 run starts counting `host` (40 KB per ledger at
 * 10,000 hosts, ~60 µs each) for a new ledger tens of thousands of times, and each ledger's log
 * grows a few times. A view into a shared buffer costs well under a microsecond, and a returned
 * array is reused at no cost.
 *
 * Arrays come back out as they were given back: a pool whose users give back only all-zero arrays
 * hands out only all-zero arrays (new ones are zero). A buffer is freed once no array in it is
 * referenced; memory is about the peak of arrays live at once, and pages no array has written stay
 * untouched.
 */
export class Int32Pool {
  /** Given-back arrays by key; all of a key's arrays have one length. */
  private readonly free = new Map<number, Int32Array[]>();
  private chunk: ArrayBuffer | undefined;
  private used = 0;

  /**
   * An array of `length` entries: zero if new, else as it was given back under `key`. A key's
   * arrays all have one length; asking for another drops them (a count array's length follows its
   * attribute's value count, which grows when hosts with new values arrive, and an old length would
   * never be asked for again).
   */
  take(key: number, length: number): Int32Array {
    const free = this.free.get(key);
    if (free !== undefined && free.length > 0) {
      const last = free[free.length - 1]!;
      if (last.length === length) {
        free.pop();
        return last;
      }
      free.length = 0;
    }
    if (length > CHUNK / 4) return new Int32Array(length);
    if (!this.chunk || this.used + length > CHUNK) {
      this.chunk = new ArrayBuffer(CHUNK * 4);
      this.used = 0;
    }
    const array = new Int32Array(this.chunk, this.used * 4, length);
    this.used += length;
    return array;
  }

  /** Takes back an array nobody reads or writes any more (kept while the key has few spares). */
  give(key: number, array: Int32Array): void {
    let free = this.free.get(key);
    if (!free) {
      free = [];
      this.free.set(key, free);
    }
    if (free.length < MAX_FREE) free.push(array);
  }
}

/** Spare arrays kept per key (40 MB of `host` count arrays at 10,000 hosts). */
const MAX_FREE = 1024;
