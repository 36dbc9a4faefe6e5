import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * A write-only text file filled through a fixed buffer with synchronous writes: the simulation
 * loop stays synchronous and deterministic, lines are encoded straight into the buffer (no
 * per-line arrays or joins), and millions of short lines cost one system call per few megabytes.
 */
export class LineFile {
  private readonly fd: number;
  private readonly buffer: Buffer;
  private offset = 0;
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

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
