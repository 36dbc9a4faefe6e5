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
 * hands out only all-zero arrays (new ones are zero). Buffers are never freed, so memory is the
 * peak of arrays live at once; pages no array has written stay untouched.
 */
export class Int32Pool {
  private readonly free = new Map<number, Int32Array[]>();
  private chunk: ArrayBuffer | undefined;
  private used = 0;

  /** An array of `length` entries: zero if new, else as it was given back. */
  take(length: number): Int32Array {
    const reused = this.free.get(length)?.pop();
    if (reused) return reused;
    if (length > CHUNK / 4) return new Int32Array(length);
    if (!this.chunk || this.used + length > CHUNK) {
      this.chunk = new ArrayBuffer(CHUNK * 4);
      this.used = 0;
    }
    const array = new Int32Array(this.chunk, this.used * 4, length);
    this.used += length;
    return array;
  }

  /** Takes back an array nobody reads or writes any more. */
  give(array: Int32Array): void {
    let list = this.free.get(array.length);
    if (!list) {
      list = [];
      this.free.set(array.length, list);
    }
    list.push(array);
  }
}
