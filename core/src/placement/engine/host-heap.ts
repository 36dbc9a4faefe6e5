import { grow } from '../inventory/grow.js';

/**
 * An indexed binary max-heap of host indices keyed by a float64 rank: the top is the host with the
 * highest key, ties to the lowest index, exactly the host a full scan would pick. Keys can be
 * changed and hosts removed in O(log n) through the position index.
 */
export class HostHeap {
  private heap = new Int32Array(16);
  private pos = new Int32Array(0);
  private keys = new Float64Array(0);
  size = 0;

  /** Makes room for host indices below `hosts`. */
  reserve(hosts: number): void {
    this.pos = grow(this.pos, hosts, -1);
    this.keys = grow(this.keys, hosts);
    this.heap = grow(this.heap, hosts);
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.pos[this.heap[i]!] = -1;
    this.size = 0;
  }

  has(h: number): boolean {
    return this.pos[h]! >= 0;
  }

  key(h: number): number {
    return this.keys[h]!;
  }

  /** The best host, or -1 when empty. */
  top(): number {
    return this.size > 0 ? this.heap[0]! : -1;
  }

  /** Host at heap position i (0 ≤ i < size), for scans of all members. */
  at(i: number): number {
    return this.heap[i]!;
  }

  /** Adds without restoring order; call `heapify` after a batch of appends. */
  append(h: number, key: number): void {
    this.keys[h] = key;
    this.heap[this.size] = h;
    this.pos[h] = this.size;
    this.size++;
  }

  /** Replaces the contents with `count` hosts and their keys (keys[i] for hosts[i]), then heapifies. */
  load(hosts: Int32Array, keys: Float64Array, count: number): void {
    this.clear();
    const heap = this.heap;
    const pos = this.pos;
    const byHost = this.keys;
    for (let i = 0; i < count; i++) {
      const h = hosts[i]!;
      heap[i] = h;
      pos[h] = i;
      byHost[h] = keys[i]!;
    }
    this.size = count;
    this.heapify();
  }

  heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** Inserts or re-keys a host. */
  set(h: number, key: number): void {
    const p = this.pos[h]!;
    if (p < 0) {
      this.append(h, key);
      this.up(this.size - 1);
      return;
    }
    const old = this.keys[h]!;
    this.keys[h] = key;
    if (key > old) this.up(p);
    else if (key < old) this.down(p);
  }

  remove(h: number): void {
    const p = this.pos[h]!;
    if (p < 0) return;
    this.pos[h] = -1;
    this.size--;
    if (p === this.size) return;
    const last = this.heap[this.size]!;
    this.heap[p] = last;
    this.pos[last] = p;
    this.down(p);
    this.up(this.pos[last]!);
  }

  private better(a: number, b: number): boolean {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    return ka > kb || (ka === kb && a < b);
  }

  private up(i: number): void {
    const heap = this.heap;
    const h = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!this.better(h, p)) break;
      heap[i] = p;
      this.pos[p] = i;
      i = parent;
    }
    heap[i] = h;
    this.pos[h] = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = this.size;
    const h = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.better(heap[r]!, heap[l]!)) c = r;
      const child = heap[c]!;
      if (!this.better(child, h)) break;
      heap[i] = child;
      this.pos[child] = i;
      i = c;
    }
    heap[i] = h;
    this.pos[h] = i;
  }
}
