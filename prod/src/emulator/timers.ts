/**
 * One wall-clock timer for the whole emulator: 100,000 tasks each waiting for a state change, an
 * update retry or a kill grace period would be 100,000 Node timers; instead every wait is an entry
 * in a binary heap ordered by (due time, sequence) and one `setTimeout` fires the earliest.
 * Cancelling marks the entry dead (it is dropped when it reaches the top).
 */
export interface TimerHandle {
  cancel(): void;
}

interface Entry {
  due: number;
  seq: number;
  fn: (() => void) | null;
}

export class Timers {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private armedFor = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  now(): number {
    return this.clock();
  }

  /** Runs `fn` after `delayMs` (0 = on the next turn of the loop, after the current call returns). */
  after(delayMs: number, fn: () => void): TimerHandle {
    const entry: Entry = { due: this.clock() + Math.max(0, delayMs), seq: this.seq++, fn };
    this.push(entry);
    this.arm();
    return {
      cancel: () => {
        entry.fn = null;
      },
    };
  }

  get pending(): number {
    return this.heap.length;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.heap.length = 0;
  }

  private arm(): void {
    if (this.stopped) return;
    const top = this.heap[0];
    if (!top) return;
    if (this.timer && top.due >= this.armedFor) return;
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = top.due;
    this.timer = setTimeout(() => this.fire(), Math.max(0, top.due - this.clock()));
  }

  private fire(): void {
    this.timer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = this.clock();
    // Run at most what is due now; entries added while running wait for the next turn.
    let budget = this.heap.length;
    while (budget-- > 0) {
      const top = this.heap[0];
      if (!top || top.due > now) break;
      this.pop();
      const fn = top.fn;
      top.fn = null;
      if (fn) fn();
      if (this.stopped) return;
    }
    this.arm();
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      if (before(p, entry)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = entry;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (!last || h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && before(h[r]!, h[l]!) ? r : l;
      if (before(last, h[c]!)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
