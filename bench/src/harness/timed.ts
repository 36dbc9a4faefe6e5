import { performance } from 'node:perf_hooks';
import type { Figures } from './suite.js';

export interface TimedFigures extends Figures {
  readonly wallMs: number;
  /**
   * CPU time (user + system) this process spent in the run. On a shared or loaded machine wall time
   * includes waiting for a core; CPU time does not, so compare both.
   */
  readonly cpuMs: number;
  /**
   * Peak resident set size of the whole process so far (resourceUsage maxRSS), in MiB. Each suite
   * runs in a fresh process, so this is the suite's own high-water mark up to the end of this run.
   */
  readonly peakRssMb: number;
  /** JS heap in use right after the run (after a GC when `--expose-gc` is on), in MiB. */
  readonly heapUsedMb: number;
}

/**
 * Times one whole run (build a million tasks, replay a trace, ...) by the wall clock and reports
 * memory. Collects garbage first when the harness exposed `gc`, so an earlier run's garbage does not
 * land in this one's figures.
 */
export async function timed<T>(run: () => T | Promise<T>): Promise<{ value: T; figures: TimedFigures }> {
  collectGarbage();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const value = await run();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  collectGarbage();
  const mib = 2 ** 20;
  return {
    value,
    figures: {
      wallMs: round(wallMs),
      cpuMs: round((cpu.user + cpu.system) / 1000),
      peakRssMb: round((process.resourceUsage().maxRSS * 1024) / mib),
      heapUsedMb: round(process.memoryUsage().heapUsed / mib),
    },
  };
}

export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

const round = (x: number): number => Math.round(x * 10) / 10;
