/**
 * Cuts decoded text chunks into lines the way node:readline does with `crlfDelay: Infinity`:
 * `\n`, `\r\n` and a lone `\r` each end a line, a `\r\n` split across two chunks counts once, and a
 * last line without a terminator is still a line. It hands back all the complete lines of a chunk at
 * once, so a reader pays one call per chunk instead of an event and a promise per line. Memory is
 * one chunk plus the unfinished line.
 */
export class LineSplitter {
  /** The unfinished line carried over from the previous chunk. */
  private partial = '';
  /** The previous chunk ended in `\r`: a `\n` opening the next one belongs to it. */
  private skipNewline = false;

  /** The lines completed by `chunk`, in order. */
  push(chunk: string): string[] {
    const lines: string[] = [];
    // An empty chunk (a decoder holding back half a character) changes nothing, not even a pending \r.
    if (chunk.length === 0) return lines;
    let start = 0;
    if (this.skipNewline) {
      this.skipNewline = false;
      if (chunk.charCodeAt(0) === 10) start = 1;
    }
    const plain = chunk.indexOf('\r', start) === -1;
    for (;;) {
      const nl = plain ? chunk.indexOf('\n', start) : nextBreak(chunk, start);
      if (nl === -1) break;
      const line = chunk.slice(start, nl);
      lines.push(this.partial === '' ? line : this.partial + line);
      this.partial = '';
      start = nl + 1;
      if (!plain && chunk.charCodeAt(nl) === 13) {
        if (nl + 1 === chunk.length) this.skipNewline = true;
        else if (chunk.charCodeAt(nl + 1) === 10) start = nl + 2;
      }
    }
    if (start < chunk.length) this.partial += chunk.slice(start);
    return lines;
  }

  /** The last line, if the text did not end with a line break. */
  end(): string[] {
    const rest = this.partial;
    this.partial = '';
    return rest === '' ? [] : [rest];
  }
}

/** Index of the next `\n` or `\r` at or after `from`, or -1. */
function nextBreak(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}
