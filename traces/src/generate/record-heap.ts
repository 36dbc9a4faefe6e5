import type { TraceRecord } from '../format/record.js';

/**
 * Records scheduled for later (service kills, rolling updates, host recoveries), ordered by
 * (t, insertion order) so equal-time records always come out in the same order.
 */
export class RecordHeap {
  private readonly items: { t: number; seq: number; record: TraceRecord }[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  peekTime(): number {
    return this.items[0]?.t ?? Number.POSITIVE_INFINITY;
  }

  push(record: TraceRecord): void {
    const a = this.items;
    a.push({ t: record.t, seq: this.seq++, record });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): TraceRecord | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (!top || !last) return undefined;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(l, m)) m = l;
        if (r < a.length && this.less(r, m)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top.record;
  }

  private less(i: number, j: number): boolean {
    const a = this.items[i]!;
    const b = this.items[j]!;
    return a.t < b.t || (a.t === b.t && a.seq < b.seq);
  }
}
