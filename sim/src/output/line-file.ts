import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * A write-only text file filled through a fixed buffer with synchronous writes: the simulation
 * loop stays synchronous and deterministic, and millions of short lines cost one system call per
 * few megabytes. (events.jsonl, millions of lines, goes through EventLog and a thread of its own.)
 */
export class LineFile {
  private readonly fd: number;
  private readonly buffer: Buffer;
  private offset = 0;
  private closed = false;
  lines = 0;

  constructor(path: string, bufferBytes = 4 << 20) {
    this.fd = openSync(path, 'w');
    this.buffer = Buffer.allocUnsafe(bufferBytes);
  }

  write(line: string): void {
    this.lines++;
    // UTF-8 needs at most 3 bytes per UTF-16 unit; +1 for the newline.
    const worst = line.length * 3 + 1;
    if (this.offset + worst > this.buffer.length) {
      this.flush();
      if (worst > this.buffer.length) {
        writeSync(this.fd, `${line}\n`);
        return;
      }
    }
    this.offset += this.buffer.write(line, this.offset, 'utf8');
    this.buffer[this.offset++] = 10;
  }

  flush(): void {
    let written = 0;
    while (written < this.offset) written += writeSync(this.fd, this.buffer, written, this.offset - written);
    this.offset = 0;
  }

  /** Writes what is buffered and closes the file (once: twice would close whatever reused the descriptor). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}
