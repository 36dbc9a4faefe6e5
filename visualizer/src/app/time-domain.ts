/**
 * The one visible time window every chart follows. Brushing the overview or any chart sets it;
 * charts subscribe and redraw. Kept as plain numbers (simulated ms since trace start).
 */
export type TimeWindow = readonly [number, number];
type Listener = (w: TimeWindow) => void;

export class TimeDomain {
  private current: TimeWindow;
  private readonly listeners = new Set<Listener>();

  constructor(readonly full: TimeWindow) {
    this.current = full;
  }

  get window(): TimeWindow {
    return this.current;
  }

  get zoomed(): boolean {
    return this.current[0] !== this.full[0] || this.current[1] !== this.full[1];
  }

  /** Clamps to the run and ignores windows narrower than a millisecond (a click, not a drag). */
  set(w: TimeWindow, source?: Listener): void {
    const t0 = Math.max(this.full[0], Math.min(w[0], w[1]));
    const t1 = Math.min(this.full[1], Math.max(w[0], w[1]));
    if (t1 - t0 < 1) return;
    if (t0 === this.current[0] && t1 === this.current[1]) return;
    this.current = [t0, t1];
    for (const l of this.listeners) if (l !== source) l(this.current);
  }

  reset(): void {
    this.set(this.full);
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
