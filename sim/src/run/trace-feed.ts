import type { TraceRecord } from '@borealis/traces';

/**
 * A bounded look-ahead over the streamed trace: at most `lookahead` records are held, refilled
 * from the async reader only when the buffer runs dry, so the simulation loop awaits once per
 * batch rather than once per record, and the trace is never loaded whole.
 */
export class TraceFeed {
  private buffer: TraceRecord[] = [];
  private head = 0;
  private done = false;
  private readonly iterator: AsyncIterator<TraceRecord>;
  records = 0;

  constructor(
    source: AsyncIterable<TraceRecord>,
    private readonly lookahead = 4096,
  ) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** True when the buffer is empty and more records may follow: call refill() before peeking. */
  get needsRefill(): boolean {
    return this.head >= this.buffer.length && !this.done;
  }

  get exhausted(): boolean {
    return this.done && this.head >= this.buffer.length;
  }

  async refill(): Promise<void> {
    this.buffer = [];
    this.head = 0;
    while (this.buffer.length < this.lookahead) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        break;
      }
      this.buffer.push(next.value);
    }
  }

  /** Time of the next record; Infinity when none is buffered. */
  peekTime(): number {
    return this.head < this.buffer.length ? this.buffer[this.head]!.t : Number.POSITIVE_INFINITY;
  }

  shift(): TraceRecord {
    const r = this.buffer[this.head++];
    if (r === undefined) throw new Error('TraceFeed.shift on an empty buffer');
    this.records++;
    return r;
  }

  /** Stops reading early (at --until): closes the file. */
  async close(): Promise<void> {
    if (!this.done) await this.iterator.return?.();
    this.done = true;
  }
}
