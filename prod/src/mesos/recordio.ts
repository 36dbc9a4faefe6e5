/**
 * RecordIO, the framing of Mesos's event streams: `<decimal byte length>\n<that many bytes>`, records
 * back to back. HTTP chunks have nothing to do with records: a chunk may end inside a length prefix or
 * a payload, or hold many records. So the decoder works on bytes (never on strings, where multi-byte
 * UTF-8 would make character counts differ from byte counts) and carries partial state across pushes.
 */

/** 64 MiB: far above any Mesos event, low enough that a corrupt prefix cannot make us allocate gigabytes. */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

export class RecordIOError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordIOError';
  }
}

const NEWLINE = 0x0a;
const ZERO = 0x30;
const NINE = 0x39;

export class RecordIODecoder {
  private length = 0;
  private digits = 0;
  /** The record being filled when it spans chunks; null while reading a length prefix. */
  private partial: Buffer | null = null;
  private filled = 0;
  /** Payload bytes still expected for the current record (-1 while reading a prefix). */
  private remaining = -1;
  /** Bytes consumed so far, for error messages that say where the stream went wrong. */
  private offset = 0;

  constructor(private readonly maxRecordBytes = DEFAULT_MAX_RECORD_BYTES) {}

  /**
   * Feeds one chunk; returns the records it completes, in order. A record that lies wholly inside the
   * chunk is returned as a view of it (no copy), so do not reuse the chunk's memory afterwards.
   * Throws RecordIOError on a malformed length prefix or a record above the size limit.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const records: Uint8Array[] = [];
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.remaining < 0) {
        const c = chunk[i]!;
        i++;
        if (c === NEWLINE) {
          if (this.digits === 0) this.fail('an empty length prefix', i - 1);
          this.startRecord(records);
        } else if (c >= ZERO && c <= NINE) {
          this.length = this.length * 10 + (c - ZERO);
          this.digits++;
          if (this.length > this.maxRecordBytes) {
            throw new RecordIOError(
              `RecordIO record at byte ${this.offset + i - this.digits} is larger than the limit of ` +
                `${this.maxRecordBytes} bytes (its length prefix reads ${this.length} so far)`,
            );
          }
        } else {
          this.fail(`byte 0x${c.toString(16).padStart(2, '0')} in a length prefix`, i - 1);
        }
        continue;
      }
      const take = Math.min(this.remaining, n - i);
      if (this.partial === null && take === this.remaining) {
        records.push(chunk.subarray(i, i + take));
      } else {
        this.partial ??= Buffer.allocUnsafe(this.remaining);
        this.partial.set(chunk.subarray(i, i + take), this.filled);
        this.filled += take;
        if (this.filled === this.partial.length) records.push(this.partial);
      }
      i += take;
      this.remaining -= take;
      if (this.remaining === 0) this.endRecord();
    }
    this.offset += n;
    return records;
  }

  /** True when the stream so far ends exactly between records. */
  get atRecordBoundary(): boolean {
    return this.remaining < 0 && this.digits === 0;
  }

  /** Call when the stream ends: throws if it stopped inside a record. */
  end(): void {
    if (!this.atRecordBoundary) {
      throw new RecordIOError(`RecordIO stream ended inside a record after ${this.offset} bytes`);
    }
  }

  private startRecord(records: Uint8Array[]): void {
    if (this.length === 0) {
      records.push(new Uint8Array(0));
      this.length = 0;
      this.digits = 0;
      return;
    }
    this.remaining = this.length;
  }

  private endRecord(): void {
    this.partial = null;
    this.filled = 0;
    this.remaining = -1;
    this.length = 0;
    this.digits = 0;
  }

  private fail(what: string, indexInChunk: number): never {
    throw new RecordIOError(`Malformed RecordIO: ${what} at byte ${this.offset + indexInChunk}`);
  }
}

/** One record: the payload's byte length in decimal, a newline, the payload. */
export function encodeRecord(payload: Uint8Array): Buffer {
  const header = Buffer.from(`${payload.length}\n`, 'latin1');
  const out = Buffer.allocUnsafe(header.length + payload.length);
  header.copy(out, 0);
  out.set(payload, header.length);
  return out;
}
