/**
 * Jittered, capped exponential backoff for resubscribing. The ceiling doubles from `initialMs` up to
 * `maxMs` (Mesos's advice: about 15 s); each delay is drawn uniformly from its upper half, so many
 * schedulers that lost the same master do not come back in lockstep, yet none retries at once.
 */
export interface BackoffOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
  /** A uniform draw in [0, 1); injectable so tests are deterministic. */
  readonly random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 500;
    this.maxMs = options.maxMs ?? 15_000;
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; each call widens the window until the cap. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return ceiling / 2 + this.random() * (ceiling / 2);
  }

  /** After a success: the next failure starts again from the initial delay. */
  reset(): void {
    this.attempt = 0;
  }
}
