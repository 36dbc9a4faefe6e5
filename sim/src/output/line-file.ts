import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * A write-only text file filled through a large in-memory buffer with synchronous writes: the
 * simulation loop stays synchronous and deterministic, and millions of short lines cost one
 * system call per megabyte.
 */
export class LineFile {
  private readonly fd: number;
  private parts: string[] = [];
  private pending = 0;
  lines = 0;

  constructor(
    path: string,
    private readonly flushAt = 1 << 20,
  ) {
    this.fd = openSync(path, 'w');
  }

  write(line: string): void {
    this.parts.push(line);
    this.lines++;
    this.pending += line.length + 1;
    if (this.pending >= this.flushAt) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    writeSync(this.fd, `${this.parts.join('\n')}\n`);
    this.parts = [];
    this.pending = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
