/**
 * Dense ids (0, 1, 2, ... in first-seen order) for string keys met as ASCII byte ranges of a
 * buffer, so a scan over millions of lines can count per task and per job without making a JS
 * string (and a Map entry hash) for every line. Open addressing over an Int32Array; key bytes
 * are copied into one growing arena.
 *
 * Keys can also be given as strings (idOfString: lines the byte parser leaves to JSON.parse). An
 * ASCII string is looked up by its bytes, so it gets the same id as the same key met as bytes;
 * other strings (never given as bytes: callers pass only ASCII ranges) share the id space
 * through a Map.
 */
export class ByteKeys {
  private table = new Int32Array(1 << 12).fill(-1);
  private mask = (1 << 12) - 1;
  private hashes = new Int32Array(1 << 10);
  private starts = new Int32Array(1 << 10);
  private lengths = new Int32Array(1 << 10);
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  private readonly others = new Map<string, number>();
  private readonly otherNames = new Map<number, string>();
  /** Number of keys; the next new key gets this id. */
  size = 0;

  /** The id of the ASCII key buf[start, end), added if new. */
  id(buf: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    // FNV's low bits barely depend on a key's last byte (task ids differ in their last digits).
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const id = this.table[slot]!;
      if (id < 0) break;
      if (this.hashes[id] === h && this.lengths[id] === len && this.sameBytes(id, buf, start, len)) return id;
      slot = (slot + 1) & this.mask;
    }
    return this.add(slot, h, buf, start, len);
  }

  /** The id of a key given as a string (see the class comment), added if new. */
  idOfString(key: string): number {
    if (isAscii(key)) {
      const bytes = Buffer.from(key, 'latin1');
      return this.id(bytes, 0, bytes.length);
    }
    let id = this.others.get(key);
    if (id === undefined) {
      id = this.size++;
      this.ensureIds(this.size);
      this.starts[id] = -1;
      this.lengths[id] = -1;
      this.hashes[id] = 0;
      this.others.set(key, id);
      this.otherNames.set(id, key);
    }
    return id;
  }

  /** The key of an id, as a string. */
  key(id: number): string {
    const start = this.starts[id]!;
    if (start < 0) return this.otherNames.get(id)!;
    return Buffer.from(this.arena.buffer, this.arena.byteOffset + start, this.lengths[id]!).toString(
      'latin1',
    );
  }

  private sameBytes(id: number, buf: Uint8Array, start: number, len: number): boolean {
    const a = this.arena;
    const at = this.starts[id]!;
    for (let i = 0; i < len; i++) if (a[at + i] !== buf[start + i]) return false;
    return true;
  }

  private add(slot: number, h: number, buf: Uint8Array, start: number, len: number): number {
    const id = this.size++;
    this.ensureIds(this.size);
    if (this.arenaUsed + len > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + len));
      bigger.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = bigger;
    }
    this.arena.set(buf.subarray(start, start + len), this.arenaUsed);
    this.starts[id] = this.arenaUsed;
    this.lengths[id] = len;
    this.hashes[id] = h;
    this.arenaUsed += len;
    this.table[slot] = id;
    // Keep the table at most half full so probe runs stay short.
    if (this.size * 2 > this.table.length) this.rehash();
    return id;
  }

  private ensureIds(n: number): void {
    if (n <= this.hashes.length) return;
    const cap = this.hashes.length * 2;
    this.hashes = grown(this.hashes, cap);
    this.starts = grown(this.starts, cap);
    this.lengths = grown(this.lengths, cap);
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let id = 0; id < this.size; id++) {
      if (this.starts[id]! < 0) continue; // a non-ASCII key lives in `others`
      let slot = this.hashes[id]! & mask;
      while (table[slot]! >= 0) slot = (slot + 1) & mask;
      table[slot] = id;
    }
    this.table = table;
    this.mask = mask;
  }
}

function grown(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
