import { closeSync, openSync, writeSync } from 'node:fs';
import { BackgroundWriter } from './background-writer.js';

/** Bytes one UTF-16 unit can take once JSON-escaped (`\u001f`, a lone surrogate) and encoded. */
export const JSON_BYTES_PER_UNIT = 6;

/**
 * A write-only text file filled through a fixed buffer with synchronous writes: the simulation
 * loop stays synchronous and deterministic, and millions of short lines cost one system call per
 * few megabytes. Lines come in whole (`write`) or are encoded piece by piece straight into the
 * buffer (`reserve`, then `ascii` / `int` / `jsonString`, then `endLine`): events.jsonl gets
 * millions of lines, and building each as a string first and then copying it across into the
 * buffer cost more than everything else the simulator does per event.
 */
export class LineFile {
  private readonly fd: number;
  private buffer: Buffer;
  private offset = 0;
  /** With `background`, full buffers go to a writer thread instead of writeSync here. */
  private readonly writer?: BackgroundWriter;
  private closed = false;
  lines = 0;

  /**
   * `background`: write through a thread of its own (see BackgroundWriter), for large files
   * written while the simulation runs; the bytes on disk are the same.
   */
  constructor(path: string, bufferBytes = 4 << 20, options: { background?: boolean } = {}) {
    this.fd = openSync(path, 'w');
    if (options.background) {
      this.writer = new BackgroundWriter(this.fd, bufferBytes, path);
      this.buffer = this.writer.next();
    } else this.buffer = Buffer.allocUnsafe(bufferBytes);
  }

  write(line: string): void {
    this.lines++;
    // UTF-8 needs at most 3 bytes per UTF-16 unit; +1 for the newline.
    const worst = line.length * 3 + 1;
    if (this.offset + worst > this.buffer.length) {
      this.flush();
      if (worst > this.buffer.length) {
        this.writer?.drain();
        writeSync(this.fd, `${line}\n`);
        return;
      }
    }
    this.offset += this.buffer.write(line, this.offset, 'utf8');
    this.buffer[this.offset++] = 10;
  }

  /**
   * Makes room for `bytes` more bytes of the line being built, flushing what came before. False
   * when the line would not fit even in an empty buffer: build it as a string and `write` it.
   * Call only between lines.
   */
  reserve(bytes: number): boolean {
    if (this.offset + bytes <= this.buffer.length) return true;
    this.flush();
    return bytes <= this.buffer.length;
  }

  /** Text known to be ASCII and to need no JSON escaping (keys, punctuation, enum values). */
  ascii(text: string): void {
    const b = this.buffer;
    let o = this.offset;
    for (let i = 0; i < text.length; i++) b[o++] = text.charCodeAt(i);
    this.offset = o;
  }

  /** A number as JSON.stringify prints it; non-negative safe integers without a string in between. */
  int(v: number): void {
    if (!(v >= 0 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v))) {
      this.ascii(`${v}`);
      return;
    }
    const b = this.buffer;
    let digits = 1;
    for (let n = v; n >= 10; n = Math.floor(n / 10)) digits++;
    let o = this.offset + digits;
    this.offset = o;
    let n = v;
    do {
      const q = Math.floor(n / 10);
      b[--o] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
  }

  /** A string as JSON.stringify would write it: plain printable ASCII directly, anything else escaped by JSON.stringify. */
  jsonString(s: string): void {
    const b = this.buffer;
    let o = this.offset;
    b[o++] = 34;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c === 34 || c === 92 || c > 126) {
        this.offset += this.buffer.write(JSON.stringify(s), this.offset, 'utf8');
        return;
      }
      b[o++] = c;
    }
    b[o++] = 34;
    this.offset = o;
  }

  endLine(): void {
    this.buffer[this.offset++] = 10;
    this.lines++;
  }

  flush(): void {
    if (this.writer) {
      if (this.offset > 0) {
        this.writer.submit(this.offset);
        this.buffer = this.writer.next();
      }
    } else {
      let written = 0;
      while (written < this.offset)
        written += writeSync(this.fd, this.buffer, written, this.offset - written);
    }
    this.offset = 0;
  }

  /** Writes what is buffered and closes the file; with a writer thread, waits until all is on disk. */
  close(): void {
    // Twice would close whatever file reused the descriptor number in between.
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
      this.writer?.stop();
    } finally {
      closeSync(this.fd);
    }
  }
}
