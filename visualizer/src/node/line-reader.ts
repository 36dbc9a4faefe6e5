import { type FileHandle, open } from 'node:fs/promises';

/** Bytes read per call: few reads over a 700 MB events.jsonl, and a line rarely straddles two. */
const CHUNK = 4 << 20;

/**
 * The lines of a file as byte ranges of one reused buffer, for scans over files too large to
 * decode whole (a day's events.jsonl is ~700 MB). readline decoded every byte to UTF-16 and split
 * with a RegExp (~3 s of a 10k-host day); here lines are found with Buffer.indexOf (memchr) and a
 * caller decodes only the bytes it needs.
 *
 *   const r = await LineReader.open(path);
 *   while (await r.fill()) while (r.next()) use(r.buf, r.start, r.end);
 *
 * A line ends at '\n'; a '\r' just before it is dropped, as readline did with CRLF files. A last
 * line without '\n' is a line. (Lone '\r' is not a line break here: run files are JSON lines and
 * JSON.stringify escapes a CR inside a string.) The range stays valid until the next fill().
 */
export class LineReader {
  /** The current line is buf[start, end). */
  buf: Buffer;
  start = 0;
  end = 0;
  /** buf[0, filled) holds file bytes; pos is where the next line starts. */
  private view: Buffer;
  private filled = 0;
  private pos = 0;
  private eof = false;

  private constructor(
    private readonly file: FileHandle,
    chunk: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunk);
    this.view = this.buf.subarray(0, 0);
  }

  /** `chunk`: the initial buffer size (tests use tiny ones to cross chunk boundaries). */
  static async open(path: string, chunk = CHUNK): Promise<LineReader> {
    return new LineReader(await open(path, 'r'), chunk);
  }

  /**
   * Reads more of the file behind the unfinished line left in the buffer. False (and the file
   * closed) once everything has been handed out.
   */
  async fill(): Promise<boolean> {
    if (this.eof) {
      if (this.pos < this.filled) return true; // the last line had no '\n': next() hands it out
      await this.file.close();
      return false;
    }
    const rest = this.filled - this.pos;
    // A line longer than the buffer: grow it so the line fits whole.
    if (rest > this.buf.length >> 1) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, this.pos, this.filled);
      this.buf = bigger;
    } else if (rest > 0) {
      this.buf.copy(this.buf, 0, this.pos, this.filled);
    }
    this.filled = rest;
    this.pos = 0;
    while (this.filled < this.buf.length) {
      const { bytesRead } = await this.file.read(this.buf, this.filled, this.buf.length - this.filled, null);
      if (bytesRead === 0) {
        this.eof = true;
        break;
      }
      this.filled += bytesRead;
    }
    this.view = this.buf.subarray(0, this.filled);
    return this.filled > 0 || !this.eof ? true : this.fill();
  }

  /** Moves to the next complete line in the buffer; false when fill() must read more. */
  next(): boolean {
    if (this.pos >= this.filled) return false;
    let nl = this.view.indexOf(10, this.pos);
    if (nl < 0) {
      if (!this.eof) return false;
      nl = this.filled; // the file's last line, without '\n'
    }
    this.start = this.pos;
    this.end = nl > this.pos && this.buf[nl - 1] === 13 ? nl - 1 : nl;
    this.pos = nl + 1;
    return true;
  }
}
