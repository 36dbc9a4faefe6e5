import { Bench } from 'tinybench';
import type { Figures } from './suite.js';

/** One micro-benchmark: a function, and how many operations one call performs (default 1). */
export interface MicroCase {
  readonly fn: () => unknown;
  /** For batched cases (a call applies 1,000 transitions): ops/s and latencies are per operation. */
  readonly opsPerCall?: number;
  /** Runs before the timed calls (warmup and run phases), outside the measurement. */
  readonly beforeAll?: () => void;
}

export interface MicroOptions {
  /** Time budget per case in ms (tinybench `time`); default 1000. */
  readonly timeMs?: number;
  /** Minimum calls per case; default 64. */
  readonly iterations?: number;
  readonly warmupMs?: number;
}

export interface MicroFigures extends Figures {
  readonly opsPerSec: number;
  /** Mean time per operation in nanoseconds. */
  readonly meanNs: number;
  /** 99th percentile time per operation in nanoseconds. */
  readonly p99Ns: number;
  /** Relative margin of error of the mean, in percent. */
  readonly rmePct: number;
  readonly samples: number;
}

/**
 * Runs tinybench over named cases, one after the other, and returns per-operation figures keyed by
 * case name (the shape `toRows` prints as one row per case). A case that throws fails the suite:
 * a benchmark of broken code is not a figure.
 */
export async function micro(
  cases: Readonly<Record<string, MicroCase>>,
  options: MicroOptions = {},
): Promise<Record<string, MicroFigures>> {
  const bench = new Bench({
    time: options.timeMs ?? 1000,
    iterations: options.iterations ?? 64,
    warmupTime: options.warmupMs ?? 250,
    throws: true,
  });
  for (const [name, c] of Object.entries(cases)) {
    bench.add(name, c.fn, c.beforeAll ? { beforeAll: c.beforeAll } : {});
  }
  await bench.run();
  const figures: Record<string, MicroFigures> = {};
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`micro-benchmark ${task.name} did not complete`);
    const perCall = cases[task.name]?.opsPerCall ?? 1;
    const msToNsPerOp = 1e6 / perCall;
    figures[task.name] = {
      opsPerSec: Math.round((1000 / result.latency.mean) * perCall),
      meanNs: significant(result.latency.mean * msToNsPerOp),
      p99Ns: significant(result.latency.p99 * msToNsPerOp),
      rmePct: significant(result.latency.rme),
      samples: result.latency.samplesCount,
    };
  }
  return figures;
}

/** Timer noise makes digits past the fourth meaningless; keep the JSON record readable. */
const significant = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(4)) : x);
