import { grow } from '../inventory/grow.js';

/**
 * The feasible hosts of a class as an order-statistics set (a Fenwick tree over host indices), so a
 * sampling policy can draw "the i-th feasible host in index order" in O(log n) without listing them.
 */
export class FeasibleSet {
  private tree = new Int32Array(1);
  private member = new Uint8Array(0);
  /** Power of two ≥ the host index range. */
  private span = 1;
  size = 0;

  reserve(hosts: number): void {
    if (hosts <= this.span) return;
    let span = this.span;
    while (span < hosts) span *= 2;
    const members = this.member;
    this.span = span;
    this.tree = new Int32Array(span + 1);
    this.member = grow(new Uint8Array(0), span);
    this.size = 0;
    for (let h = 0; h < members.length; h++) if (members[h] === 1) this.add(h);
  }

  clear(): void {
    this.tree.fill(0);
    this.member.fill(0);
    this.size = 0;
  }

  has(h: number): boolean {
    return this.member[h] === 1;
  }

  add(h: number): void {
    if (this.member[h] === 1) return;
    this.member[h] = 1;
    this.size++;
    for (let i = h + 1; i <= this.span; i += i & -i) this.tree[i]!++;
  }

  remove(h: number): void {
    if (this.member[h] !== 1) return;
    this.member[h] = 0;
    this.size--;
    for (let i = h + 1; i <= this.span; i += i & -i) this.tree[i]!--;
  }

  /** The host of rank `k` (0-based) among members in index order; k < size. */
  select(k: number): number {
    let pos = 0;
    let rest = k + 1;
    for (let step = this.span; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.span && this.tree[next]! < rest) {
        pos = next;
        rest -= this.tree[next]!;
      }
    }
    return pos;
  }
}
