import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readWork, resetWork } from '@borealis/core';
import { DEFAULTS, runSimulation, type SchedulerFactory, type SimOptions } from '@borealis/sim';
import { type GenerateOptions, generateTrace, PRESETS, type Preset } from '@borealis/traces';
import type { BenchSuite, Figures } from '../index.js';
import { collectGarbage } from '../index.js';
import { nullScheduler } from './sim-baseline.js';

/**
 * Workloads a tuned result cannot hide from (issue 14). Every run goes through the real core and,
 * in the same process, through the null-policy baseline (sim-baseline.ts), so the core's share is
 * read off a ratio taken under the same load. Besides wall and CPU time each run reports
 * deterministic work counters (hosts the FreeIndex examined per placement, cells it bounded, class
 * builds, victim searches run and skipped): on a shared machine those, not the wall clock, say
 * whether a change did less work. Each run also records the 1-minute load average at its start and
 * end; compare wall figures only between runs of similar load.
 *
 * - sim-tight: a RAM-tight, fragmented day (longer batch tasks with twice the RAM: RAM ~85-90% full
 *   at peak, nearly every host partly used) at 10,000 hosts.
 * - sim-scaling: the same workload at 2,500, 5,000, 10,000 and 20,000 hosts (cost per doubling).
 * - sim-days: google-2011 over 7 simulated days at 2,500 hosts: per day, its wall and CPU time and
 *   the heap retained after a full GC at its end (flat cost, bounded memory).
 * - sim-saturated: google-2011 at three times the batch load for a day at 2,500 hosts: the cluster
 *   stays full and pending work keeps asking for victims.
 * - sim-month: a Google-2011-scale month, 12,500 hosts × 29 days (~25M tasks), streamed from disk.
 * Quick mode shrinks every size so the suite runs in seconds.
 */

const DAY = 86_400_000;
const MIN = 60_000;

/** google-2011 with batch tasks six times longer and twice the RAM: RAM-tight and fragmented. */
export function tightPreset(): Preset {
  const base = PRESETS['google-2011']!;
  return {
    ...base,
    name: 'google-2011-tight',
    description: 'google-2011 with longer, RAM-heavier batch tasks (RAM-tight, every host partly used)',
    batch: {
      ...base.batch,
      ramMb: { ...base.batch.ramMb, median: base.batch.ramMb.median * 2 },
      durationMs: { ...base.batch.durationMs, median: 30 * MIN },
    },
  };
}

interface Workload {
  readonly preset: Preset;
  readonly hosts: number;
  readonly days: number;
  readonly loadFactor?: number;
}

interface RunOptions {
  /** Record heap after GC, wall and CPU at every simulated day boundary. */
  readonly perDay?: boolean;
  /** Progress lines (each day's figures as they come, so a long run that is stopped still told). */
  readonly log?: (message: string) => void;
}

/** Generates the workload's trace into `dir` (seed 1) and returns its path and task count. */
async function traceFor(w: Workload, dir: string): Promise<{ path: string; tasks: number }> {
  const path = join(dir, `${w.preset.name}-${w.hosts}-${w.days}.jsonl`);
  const opts: GenerateOptions = {
    preset: w.preset,
    hosts: w.hosts,
    days: w.days,
    seed: 1,
    ...(w.loadFactor !== undefined ? { loadFactor: w.loadFactor } : {}),
  };
  const generated = await generateTrace(opts, path);
  return { path, tasks: generated.tasks };
}

/** One whole run of a trace (core, or the null baseline), with its figures. */
async function measuredRun(
  trace: string,
  days: number,
  createScheduler: SchedulerFactory | undefined,
  run: RunOptions,
): Promise<Figures> {
  const options: SimOptions = {
    trace,
    seed: 1,
    untilMs: Math.round(days * DAY),
    sampleIntervalMs: DEFAULTS.sampleIntervalMs,
    loadScale: 1,
    loadJitterMs: DEFAULTS.loadJitterMs,
    audit: false,
    preemption: true,
    launchLatencyMs: DEFAULTS.launchLatencyMs,
    killLatencyMs: DEFAULTS.killLatencyMs,
    eventLog: false,
  };
  const perDay: Figures[] = [];
  collectGarbage();
  resetWork();
  const loadStart = loadavg()[0]!;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let dayStart = start;
  let dayCpu = process.cpuUsage();
  let nextDay = DAY;
  let dayWork = readWork();
  const onProgress = run.perDay
    ? (p: { simulatedMs: number }) => {
        if (p.simulatedMs < nextDay) return;
        const wall = performance.now() - dayStart;
        const cpu = process.cpuUsage(dayCpu);
        collectGarbage();
        const work = readWork();
        const day: Figures = {
          day: nextDay / DAY,
          wallMs: Math.round(wall),
          cpuMs: Math.round((cpu.user + cpu.system) / 1000),
          retainedHeapMb: mb(process.memoryUsage().heapUsed),
          rssMb: mb(process.memoryUsage().rss),
          load1m: round1(loadavg()[0]!),
          // The day's own work (counters since the previous boundary).
          indexQueries: work.indexQueries - dayWork.indexQueries,
          hostsExamined: work.indexHostsExamined - dayWork.indexHostsExamined,
          classBuilds: work.classBuilds - dayWork.classBuilds,
          victimSearches: work.victimSearches - dayWork.victimSearches,
        };
        dayWork = work;
        perDay.push(day);
        run.log?.(`  ${JSON.stringify(day)}`);
        while (nextDay <= p.simulatedMs) nextDay += DAY;
        dayStart = performance.now();
        dayCpu = process.cpuUsage();
      }
    : undefined;
  const s = await runSimulation(options, {
    ...(createScheduler ? { createScheduler } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const work = readWork();
  collectGarbage();
  const placements = Math.max(1, work.indexQueries);
  return {
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    load1mStart: round1(loadStart),
    load1mEnd: round1(loadavg()[0]!),
    peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
    heapAfterMb: mb(process.memoryUsage().heapUsed),
    simulatedMs: s.simulatedMs,
    events: s.events,
    tasksLaunched: s.tasks.launched,
    pendingAtEnd: s.tasks.pendingAtEnd,
    ramPeakPct: round1(100 * s.utilization.ramMb.peak),
    cpuPeakPct: round1(100 * s.utilization.cpu.peak),
    work: {
      indexQueries: work.indexQueries,
      hostsExaminedPerQuery: round1(work.indexHostsExamined / placements),
      cellsBoundedPerQuery: round1(work.indexCellsBounded / placements),
      classBuilds: work.classBuilds,
      victimSearches: work.victimSearches,
      victimSearchesSkipped: work.victimSearchesSkipped,
      victimHostsExamined: work.victimHostsExamined,
    },
    ...(perDay.length > 0 ? { perDay } : {}),
  };
}

/** The workload through the null baseline, then the core, in one process; the trace is removed after. */
async function both(
  w: Workload,
  dir: string,
  log: (m: string) => void,
  run: RunOptions = {},
): Promise<Figures> {
  log(
    `generating ${w.preset.name}, ${w.hosts} hosts, ${w.days} day(s)${w.loadFactor ? `, load ×${w.loadFactor}` : ''}`,
  );
  const trace = await traceFor(w, dir);
  try {
    log(`${w.hosts} hosts: null baseline`);
    const baseline = await measuredRun(trace.path, w.days, nullScheduler, { ...run, log });
    log(`${w.hosts} hosts: core`);
    const core = await measuredRun(trace.path, w.days, undefined, { ...run, log });
    return {
      hosts: w.hosts,
      days: w.days,
      tasksInTrace: trace.tasks,
      core,
      nullBaseline: baseline,
      coreOverBaselineCpu: round2(Number(core.cpuMs) / Math.max(1, Number(baseline.cpuMs))),
    };
  } finally {
    rmSync(trace.path, { force: true });
  }
}

async function inTempDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'borealis-bench-workloads-'));
  try {
    return await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const simTight: BenchSuite = {
  name: 'sim-tight',
  description: 'RAM-tight fragmented day at 10k hosts (~1M tasks), core vs null baseline, with work counters',
  run: ({ quick, log }) =>
    inTempDir(async (dir) => ({
      ...(await both(
        { preset: tightPreset(), hosts: quick ? 500 : 10_000, days: quick ? 0.1 : 1 },
        dir,
        log,
      )),
      targetWallMs: 45_000,
    })),
};

export const simScaling: BenchSuite = {
  name: 'sim-scaling',
  description: 'RAM-tight day at 2.5k, 5k, 10k, 20k hosts: cost per doubling, core vs null baseline',
  run: ({ quick, log }) =>
    inTempDir(async (dir) => {
      const sizes = quick ? [250, 500] : [2500, 5000, 10_000, 20_000];
      const out: Figures[] = [];
      for (const hosts of sizes) {
        const r = await both({ preset: tightPreset(), hosts, days: quick ? 0.1 : 1 }, dir, log);
        const prev = out[out.length - 1];
        const core = r.core as Figures;
        out.push({
          ...r,
          cpuOverPreviousSize: prev
            ? round2(Number(core.cpuMs) / Math.max(1, Number((prev.core as Figures).cpuMs)))
            : null,
        });
      }
      return out;
    }),
};

export const simDays: BenchSuite = {
  name: 'sim-days',
  description: 'google-2011 over 7 days at 2.5k hosts: per-day wall/CPU and retained heap, core vs null',
  run: ({ quick, log }) =>
    inTempDir(async (dir) => {
      const days = quick ? 2 : 7;
      const r = await both({ preset: PRESETS['google-2011']!, hosts: quick ? 200 : 2500, days }, dir, log, {
        perDay: true,
      });
      const perDay = (r.core as Figures).perDay as Figures[] | undefined;
      const first = perDay?.[0]?.retainedHeapMb as number | undefined;
      const last = perDay?.[perDay.length - 1]?.retainedHeapMb as number | undefined;
      return {
        ...r,
        retainedHeapLastOverFirstDay: first && last ? round2(last / first) : null,
        targetRetainedRatio: 1.2,
      };
    }),
};

export const simSaturated: BenchSuite = {
  name: 'sim-saturated',
  description: 'google-2011 at 3× batch load for a day at 2.5k hosts: saturation and victim searches',
  run: ({ quick, log }) =>
    inTempDir(async (dir) =>
      both(
        { preset: PRESETS['google-2011']!, hosts: quick ? 200 : 2500, days: quick ? 0.1 : 1, loadFactor: 3 },
        dir,
        log,
      ),
    ),
};

export const simMonth: BenchSuite = {
  name: 'sim-month',
  description:
    'Google-2011-scale month: 12.5k hosts × 29 days (~25M tasks) streamed, per-day heap, core vs null',
  run: ({ quick, log }) =>
    inTempDir(async (dir) => ({
      ...(await both(
        { preset: PRESETS['google-2011']!, hosts: quick ? 100 : 12_500, days: quick ? 3 : 29 },
        dir,
        log,
        { perDay: true },
      )),
      targetWallMs: 15 * 60_000,
      targetPeakRssMb: 4096,
    })),
};

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);
const round1 = (x: number): number => Math.round(x * 10) / 10;
const round2 = (x: number): number => Math.round(x * 100) / 100;
