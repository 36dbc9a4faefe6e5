import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS, EventQueue, runSimulation, type SchedulerFactory, type SimOptions } from '@borealis/sim';
import { generateTrace, PRESETS } from '@borealis/traces';
import type { BenchSuite, Figures, SuiteContext } from '../index.js';
import { micro, timed } from '../index.js';
import { nullScheduler } from './sim-baseline.js';

/**
 * The simulator at scale.
 * - engine: the event heap alone with 100,000 events pending: one pop + one push per operation
 *   (the steady state of a long run), events per second.
 * - whole runs: a generated google-2011 trace (seed 1) over one simulated day at 1,000 and 10,000
 *   hosts (about 114k and 1.04M tasks), replayed with `sim run`'s defaults (event log on, no
 *   audit) through the real core, next to the same run driven by the null-policy baseline
 *   (sim-baseline.ts), which shows what the simulator itself costs. Figures: wall time,
 *   simulated-time speed-up, events per second, peak RSS (of the process so far: runs go from
 *   small to large, so each core run's figure is its own peak).
 * Target: 10,000 hosts and a million tasks over a day in ≤ 60 s wall and ≤ 4 GB.
 */
export const sim: BenchSuite = {
  name: 'sim',
  description: 'event heap at 100k pending; google-2011 day at 1k and 10k hosts, real core vs null baseline',
  run: (context) => runSim(context, true),
};

/**
 * The same without the real core: the engine and the null-policy runs only, for work on the
 * simulator's own cost (`npm run bench -- sim-baseline`, results in sim-baseline.json).
 */
export const simBaseline: BenchSuite = {
  name: 'sim-baseline',
  description: 'event heap at 100k pending; google-2011 day at 1k and 10k hosts, null baseline only',
  run: (context) => runSim(context, false),
};

async function runSim({ quick, log }: SuiteContext, withCore: boolean): Promise<Figures> {
  const pending = 100_000;
  log(`event heap with ${pending.toLocaleString('en-US')} pending events`);
  const queue = new EventQueue(pending);
  let x = 12345;
  const nextTime = (): number => {
    // xorshift: cheap, allocation-free times spread over a simulated day
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % 86_400_000;
  };
  const engine = await micro(
    {
      'pop+push (100k pending)': {
        beforeAll: () => {
          queue.clear();
          for (let i = 0; i < pending; i++) queue.push(nextTime(), 2, i, 0);
        },
        fn: () => {
          for (let i = 0; i < 1000; i++) {
            queue.pop();
            queue.push(queue.popped.time + (nextTime() % 60_000), 2, queue.popped.a, 0);
          }
        },
        opsPerCall: 1000,
      },
    },
    { timeMs: quick ? 200 : 2000 },
  );

  const dir = mkdtempSync(join(tmpdir(), 'borealis-bench-sim-'));
  try {
    const sizes = quick ? [200, 1000] : [1000, 10_000];
    const days = quick ? 0.1 : 1;
    const runs: Record<string, Figures> = {};
    for (const hosts of sizes) {
      const trace = join(dir, `google-2011-${hosts}.jsonl`);
      log(`generating google-2011, ${hosts} hosts, ${days} day(s)`);
      const generated = await generateTrace({ preset: PRESETS['google-2011']!, hosts, days, seed: 1 }, trace);
      const drivers = [
        ['null baseline', nullScheduler],
        ['core', undefined],
      ] as const;
      for (const [label, factory] of withCore ? drivers : drivers.slice(0, 1)) {
        log(`${hosts} hosts, ${label}`);
        runs[`${hosts} hosts, ${label}`] = {
          tasksInTrace: generated.tasks,
          ...(await wholeRun(trace, join(dir, `run-${hosts}-${label.replace(/\s/g, '-')}`), days, factory)),
        };
      }
      rmSync(trace, { force: true });
    }
    return { engine, runs, targetWallMs: 60_000, targetPeakRssMb: 4096 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function wholeRun(
  trace: string,
  out: string,
  days: number,
  createScheduler: SchedulerFactory | undefined,
): Promise<Figures> {
  const options: SimOptions = {
    trace,
    seed: 1,
    out,
    untilMs: Math.round(days * 86_400_000),
    sampleIntervalMs: DEFAULTS.sampleIntervalMs,
    loadScale: 1,
    loadJitterMs: DEFAULTS.loadJitterMs,
    audit: false,
    preemption: true,
    launchLatencyMs: DEFAULTS.launchLatencyMs,
    killLatencyMs: DEFAULTS.killLatencyMs,
    eventLog: true,
  };
  const { value: s, figures } = await timed(() =>
    runSimulation(options, createScheduler ? { createScheduler } : {}),
  );
  rmSync(out, { recursive: true, force: true });
  return {
    ...figures,
    simulatedMs: s.simulatedMs,
    speedUp: Math.round(s.simulatedMs / Math.max(1, figures.wallMs)),
    events: s.events,
    eventsPerSec: Math.round(s.events / Math.max(0.001, figures.wallMs / 1000)),
    tasksLaunched: s.tasks.launched,
    pendingAtEnd: s.tasks.pendingAtEnd,
    delayP99Ms: s.schedulingDelayMs.p99,
    cpuUtilization: s.utilization.cpu.mean,
  };
}
