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
  /**
   * SLOT words per slot: hash, id + 1 (0: empty), start and length of the key in the arena. A
   * lookup reads one slot (one cache line) and the arena; with ~1M task ids the table is far
   * larger than the caches, so separate per-id arrays cost a miss each.
   */
  private table = new Int32Array(SLOT << 12);
  private mask = (1 << 12) - 1;
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  /** By id: the key's slot in the table, or -1 for a non-ASCII key (in `others`). */
  private slotOf = new Int32Array(1 << 10);
  private readonly others = new Map<string, number>();
  private readonly otherNames = new Map<number, string>();
  /** Number of keys; the next new key gets this id. */
  size = 0;

  /** The id of the ASCII key buf[start, end), added if new. */
  id(buf: Uint8Array, start: number, end: number): number {
    let h = FNV_START;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, FNV_PRIME);
    return this.idHashed(buf, start, end, h);
  }

  /**
   * id() for a caller that already ran FNV-1a over the key's bytes (from FNV_START, each byte
   * `h = Math.imul(h ^ byte, FNV_PRIME)`) while scanning them, saving a second pass.
   */
  idHashed(buf: Uint8Array, start: number, end: number, fnv: number): number {
    let h = fnv;
    // FNV's low bits barely depend on a key's last byte (task ids differ in their last digits).
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    const len = end - start;
    const table = this.table;
    let slot = h & this.mask;
    for (;;) {
      const at = slot * SLOT;
      const id1 = table[at + 1]!;
      if (id1 === 0) break;
      if (table[at]! === h && table[at + 3]! === len && this.sameBytes(table[at + 2]!, buf, start, len))
        return id1 - 1;
      slot = (slot + 1) & this.mask;
    }
    return this.add(slot, h, buf, start, len);
  }

  /** Whether id's key is the ASCII bytes buf[start, end) (a cheap check before a lookup). */
  is(id: number, buf: Uint8Array, start: number, end: number): boolean {
    const slot = this.slotOf[id]!;
    if (slot < 0) return false;
    const at = slot * SLOT;
    return (
      this.table[at + 3]! === end - start && this.sameBytes(this.table[at + 2]!, buf, start, end - start)
    );
  }

  /** The id of a key given as a string (see the class comment), added if new. */
  idOfString(key: string): number {
    if (isAscii(key)) {
      const bytes = Buffer.from(key, 'latin1');
      return this.id(bytes, 0, bytes.length);
    }
    let id = this.others.get(key);
    if (id === undefined) {
      id = this.newId(-1);
      this.others.set(key, id);
      this.otherNames.set(id, key);
    }
    return id;
  }

  /** The key of an id, as a string. */
  key(id: number): string {
    const slot = this.slotOf[id]!;
    if (slot < 0) return this.otherNames.get(id)!;
    const at = slot * SLOT;
    const start = this.table[at + 2]!;
    return Buffer.from(this.arena.buffer, this.arena.byteOffset + start, this.table[at + 3]!).toString(
      'latin1',
    );
  }

  private sameBytes(at: number, buf: Uint8Array, start: number, len: number): boolean {
    const a = this.arena;
    for (let i = 0; i < len; i++) if (a[at + i] !== buf[start + i]) return false;
    return true;
  }

  private newId(slot: number): number {
    const id = this.size++;
    if (id === this.slotOf.length) {
      const bigger = new Int32Array(id * 2);
      bigger.set(this.slotOf);
      this.slotOf = bigger;
    }
    this.slotOf[id] = slot;
    return id;
  }

  private add(slot: number, h: number, buf: Uint8Array, start: number, len: number): number {
    if (this.arenaUsed + len > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + len));
      bigger.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = bigger;
    }
    this.arena.set(buf.subarray(start, start + len), this.arenaUsed);
    const id = this.newId(slot);
    const at = slot * SLOT;
    this.table[at] = h;
    this.table[at + 1] = id + 1;
    this.table[at + 2] = this.arenaUsed;
    this.table[at + 3] = len;
    this.arenaUsed += len;
    // Keep the table at most half full so probe runs stay short.
    if (this.size * 2 > this.mask + 1) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.table;
    const slots = (this.mask + 1) * 2;
    const table = new Int32Array(SLOT * slots);
    const mask = slots - 1;
    for (let from = 0; from < old.length; from += SLOT) {
      const id1 = old[from + 1]!;
      if (id1 === 0) continue;
      let slot = old[from]! & mask;
      while (table[slot * SLOT + 1]! !== 0) slot = (slot + 1) & mask;
      const to = slot * SLOT;
      table[to] = old[from]!;
      table[to + 1] = id1;
      table[to + 2] = old[from + 2]!;
      table[to + 3] = old[from + 3]!;
      this.slotOf[id1 - 1] = slot;
    }
    this.table = table;
    this.mask = mask;
  }
}

const SLOT = 4;
export const FNV_START = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
