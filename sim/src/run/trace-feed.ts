import type { TraceRecord } from '@borealis/traces';

/**
 * A look-ahead over the streamed trace: one batch of records (a read chunk's worth, about a
 * thousand) is held and the next is read only when it runs dry, so the simulation loop awaits
 * once per batch rather than once (or, through the reader's layers, several times) per record,
 * and the trace is never loaded whole.
 */
export class TraceFeed {
  private buffer: readonly TraceRecord[] = [];
  private head = 0;
  private done = false;
  private readonly iterator: AsyncIterator<readonly TraceRecord[]>;
  records = 0;

  constructor(source: AsyncIterable<readonly TraceRecord[]>) {
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
    while (this.buffer.length === 0) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        break;
      }
      this.buffer = next.value;
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
