import { humanDuration } from '@borealis/core';
import cliProgress from 'cli-progress';
import type { SimProgress } from '../run/simulation.js';

/**
 * Progress of a long run on stderr. On a terminal: a bar (simulated time against --until when
 * known) with events per second. Otherwise a plain line at most every 15 s of wall time, so logs
 * of CI or batch jobs stay short. Wall time only ever reaches the terminal, never the run output.
 */
export interface ProgressReporter {
  update(p: SimProgress): void;
  stop(): void;
}

export function progressReporter(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  const started = performance.now();
  // After the trace, an open-ended run goes on only to place what is pending: say so.
  const after = (p: SimProgress): string =>
    p.pendingAfterTrace !== undefined ? ` | trace done, ${p.pendingAfterTrace} pending` : '';
  const rate = (events: number): string => {
    const s = (performance.now() - started) / 1000;
    return s > 0 ? `${Math.round(events / s).toLocaleString('en-US')}` : '0';
  };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} {bar} {sim} simulated | {events} events | {rate} events/s{after}`,
        hideCursor: true,
        clearOnComplete: true,
        barsize: 24,
      },
      cliProgress.Presets.shades_classic,
    );
    let started_ = false;
    return {
      update(p) {
        const total = p.untilMs ?? 0;
        const payload = {
          sim: humanDuration(p.simulatedMs),
          events: p.events,
          rate: rate(p.events),
          after: after(p),
        };
        if (!started_) {
          bar.start(total > 0 ? total : 1, 0, payload);
          started_ = true;
        }
        bar.update(total > 0 ? Math.min(total, p.simulatedMs) : 0, payload);
      },
      stop() {
        if (started_) bar.stop();
      },
    };
  }
  let last = performance.now();
  return {
    update(p) {
      const now = performance.now();
      if (now - last < 15_000) return;
      last = now;
      stream.write(
        `${label}: simulated ${humanDuration(p.simulatedMs)}, ${p.events} events, ${rate(p.events)} events/s${after(p)}\n`,
      );
    },
    stop() {},
  };
}
