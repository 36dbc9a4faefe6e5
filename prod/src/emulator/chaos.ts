import type { Master } from './master.js';
import type { Framework } from './model.js';
import type { TaskStatusShape } from './shapes.js';

/**
 * Faults a real cluster produces now and then, on demand (`--chaos duplicates=0.1,late=0.05,
 * drop-streams=30000,stop-heartbeats=20000,seed=7`): updates delivered twice, an acknowledged update
 * delivered again later, streams the master stops writing to without closing them, heartbeats that
 * stop while the socket stays open. Draws come from a seeded generator, so a run can be repeated.
 */
export interface ChaosOptions {
  /** Probability that an update is sent a second time shortly after the first. */
  duplicates: number;
  /** Probability that an acknowledged update is sent again later. */
  late: number;
  /** After this many ms a subscribe stream is abandoned: no more writes, the socket left open. */
  dropStreamsAfterMs: number | null;
  /** After this many ms a stream gets no more heartbeats (other events still flow). */
  stopHeartbeatsAfterMs: number | null;
  seed: number;
}

export const NO_CHAOS: ChaosOptions = {
  duplicates: 0,
  late: 0,
  dropStreamsAfterMs: null,
  stopHeartbeatsAfterMs: null,
  seed: 1,
};

export function parseChaos(
  text: string | undefined,
): { ok: true; value: ChaosOptions } | { ok: false; error: string } {
  const out = { ...NO_CHAOS };
  if (!text) return { ok: true, value: out };
  for (const part of text.split(',')) {
    const [key, raw] = part.split('=', 2);
    const n = Number(raw);
    if (raw === undefined || !Number.isFinite(n) || n < 0) {
      return { ok: false, error: `--chaos: '${part}' is not name=non-negative number` };
    }
    if (key === 'duplicates' || key === 'late') {
      if (n > 1) return { ok: false, error: `--chaos: ${key} is a probability between 0 and 1` };
      out[key] = n;
    } else if (key === 'drop-streams') out.dropStreamsAfterMs = n;
    else if (key === 'stop-heartbeats') out.stopHeartbeatsAfterMs = n;
    else if (key === 'seed') out.seed = Math.floor(n);
    else {
      return {
        ok: false,
        error: `--chaos: unknown fault '${key}' (duplicates, late, drop-streams, stop-heartbeats, seed)`,
      };
    }
  }
  return { ok: true, value: out };
}

export class Chaos {
  private state: number;

  constructor(
    private readonly master: Master,
    readonly options: ChaosOptions,
  ) {
    this.state = options.seed >>> 0 || 1;
  }

  /** xorshift32 in [0, 1). */
  private draw(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }

  maybeDuplicate(f: Framework, status: TaskStatusShape): void {
    if (this.options.duplicates <= 0 || this.draw() >= this.options.duplicates) return;
    this.master.timers.after(5 + this.draw() * 50, () => this.master.sendUpdate(f, status));
  }

  maybeLate(f: Framework, status: TaskStatusShape): void {
    if (this.options.late <= 0 || this.draw() >= this.options.late) return;
    this.master.timers.after(200 + this.draw() * 2000, () => this.master.sendUpdate(f, status));
  }

  heartbeatsStopped(subscribedAt: number): boolean {
    const after = this.options.stopHeartbeatsAfterMs;
    return after !== null && this.master.timers.now() - subscribedAt >= after;
  }
}
