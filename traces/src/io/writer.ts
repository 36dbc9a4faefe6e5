/**
 * Writes trace files: a header line then one record per line, gzipped when the path ends in
 * `.gz`. Lines are batched into large chunks and the writer waits for the stream to drain, so
 * a million-record trace streams out in constant memory. Output is a pure function of the
 * records written (node's gzip writes no timestamp), which keeps generated traces byte-identical.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { UserError } from '@borealis/core';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader, type TraceRecord } from '../format/record.js';

const FLUSH_AT = 256 * 1024;

export class TraceWriter {
  private buffer = '';
  private lastT = 0;
  private count = 0;
  private failure: Error | undefined;

  private constructor(
    private readonly out: Writable,
    private readonly file: WriteStream,
    readonly path: string,
  ) {
    const onError = (e: Error): void => {
      this.failure ??= new UserError(`cannot write ${path}: ${e.message}`);
    };
    out.on('error', onError);
    if (file !== out) file.on('error', onError);
  }

  /** Opens `path` (gzipped if it ends in .gz) and writes the header. */
  static async create(path: string, header: { name: string; source?: string; [k: string]: unknown }) {
    const file = createWriteStream(path);
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve());
      file.once('error', (e: NodeJS.ErrnoException) => {
        const why = e.code === 'EISDIR' ? 'is a folder' : e.code === 'ENOENT' ? 'no such folder' : e.message;
        reject(new UserError(`cannot write ${path}: ${why}`));
      });
    });
    let out: Writable = file;
    if (path.endsWith('.gz')) {
      const gz = createGzip({ level: 6 });
      gz.pipe(file);
      out = gz;
    }
    const w = new TraceWriter(out, file, path);
    const full: TraceHeader = { format: TRACE_FORMAT, version: TRACE_VERSION, ...header };
    w.buffer = `${JSON.stringify(full)}\n`;
    return w;
  }

  get recordsWritten(): number {
    return this.count;
  }

  /** Appends one record. Records must come in non-decreasing `t` (a programmer error otherwise). */
  async write(record: TraceRecord): Promise<void> {
    if (record.t < this.lastT) {
      throw new Error(`TraceWriter: record at t=${record.t} after t=${this.lastT} (${record.type})`);
    }
    this.lastT = record.t;
    this.count++;
    this.buffer += `${JSON.stringify(record)}\n`;
    if (this.buffer.length >= FLUSH_AT) await this.flush();
  }

  /**
   * Appends a record already serialized by JSON.stringify (importers' spilled runs), skipping a
   * parse and re-serialization round trip.
   */
  async writeSerialized(t: number, json: string): Promise<void> {
    if (t < this.lastT) throw new Error(`TraceWriter: record at t=${t} after t=${this.lastT}`);
    this.lastT = t;
    this.count++;
    this.buffer += `${json}\n`;
    if (this.buffer.length >= FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  /** Flushes and closes; resolves once the bytes are on disk. */
  async close(): Promise<void> {
    if (this.buffer.length) await this.flush();
    const done = once(this.file, 'close');
    this.out.end();
    await done;
    if (this.failure) throw this.failure;
  }
}
