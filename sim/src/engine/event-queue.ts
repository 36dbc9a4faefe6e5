/**
 * The simulator's agenda: a binary min-heap of events ordered by (time, sequence). Equal-time
 * events run in the order they were scheduled, so a run is a pure function of its inputs.
 *
 * Why typed arrays: a day of a large cluster schedules tens of millions of events. Keeping time,
 * sequence, kind and two integer arguments in parallel typed arrays means pushing and popping
 * allocate nothing and the heap stays compact in memory. Object payloads (rare: delayed trace
 * records) live in a pooled side table addressed by an integer handle.
 */

/** What the engine hands back on pop; one reused instance per queue, read it before the next pop. */
export interface PoppedEvent {
  time: number;
  kind: number;
  a: number;
  b: number;
}

export class EventQueue {
  private times: Float64Array;
  private seqs: Uint32Array;
  private kinds: Uint8Array;
  private argA: Int32Array;
  private argB: Int32Array;
  private count = 0;
  private nextSeq = 0;
  /** The reused result of pop(). */
  readonly popped: PoppedEvent = { time: 0, kind: 0, a: 0, b: 0 };

  constructor(initialCapacity = 1024) {
    const n = Math.max(16, initialCapacity);
    this.times = new Float64Array(n);
    this.seqs = new Uint32Array(n);
    this.kinds = new Uint8Array(n);
    this.argA = new Int32Array(n);
    this.argB = new Int32Array(n);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.times[0]! : Number.POSITIVE_INFINITY;
  }

  push(time: number, kind: number, a = 0, b = 0): void {
    if (this.count === this.times.length) this.grow();
    // Sequence numbers wrap after 2^32 pushes; comparisons use the wrapped difference so order
    // stays correct as long as fewer than 2^31 events are pending at once.
    const seq = this.nextSeq;
    this.nextSeq = (this.nextSeq + 1) >>> 0;
    let i = this.count++;
    const times = this.times;
    const seqs = this.seqs;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && ((seqs[parent]! - seq) | 0) < 0)) break;
      this.move(parent, i);
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    this.kinds[i] = kind;
    this.argA[i] = a;
    this.argB[i] = b;
  }

  /** Removes the earliest event into `this.popped`; returns false when empty. */
  pop(): boolean {
    if (this.count === 0) return false;
    const out = this.popped;
    out.time = this.times[0]!;
    out.kind = this.kinds[0]!;
    out.a = this.argA[0]!;
    out.b = this.argB[0]!;
    const last = --this.count;
    if (last > 0) this.siftDownFrom(last);
    return true;
  }

  clear(): void {
    this.count = 0;
  }

  /** Moves the element at `from` to the root's place and sifts it down. */
  private siftDownFrom(from: number): void {
    const times = this.times;
    const seqs = this.seqs;
    const time = times[from]!;
    const seq = seqs[from]!;
    const kind = this.kinds[from]!;
    const a = this.argA[from]!;
    const b = this.argB[from]!;
    const n = this.count;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n) {
        const ct = times[child]!;
        const rt = times[right]!;
        if (rt < ct || (rt === ct && ((seqs[right]! - seqs[child]!) | 0) < 0)) child = right;
      }
      const ct = times[child]!;
      if (time < ct || (time === ct && ((seq - seqs[child]!) | 0) < 0)) break;
      this.move(child, i);
      i = child;
    }
    times[i] = time;
    seqs[i] = seq;
    this.kinds[i] = kind;
    this.argA[i] = a;
    this.argB[i] = b;
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.seqs[to] = this.seqs[from]!;
    this.kinds[to] = this.kinds[from]!;
    this.argA[to] = this.argA[from]!;
    this.argB[to] = this.argB[from]!;
  }

  private grow(): void {
    const n = this.times.length * 2;
    const grow = <T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.times = grow(this.times, (k) => new Float64Array(k));
    this.seqs = grow(this.seqs, (k) => new Uint32Array(k));
    this.kinds = grow(this.kinds, (k) => new Uint8Array(k));
    this.argA = grow(this.argA, (k) => new Int32Array(k));
    this.argB = grow(this.argB, (k) => new Int32Array(k));
  }
}
