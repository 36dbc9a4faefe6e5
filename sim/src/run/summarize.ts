import { cpus } from 'node:os';
import { DEFAULT_POLICY, type Scheduler } from '@borealis/core';
import type { Auditor } from '../audit/auditor.js';
import type { HostTable } from '../cluster/host-table.js';
import { mean, percentile } from '../metrics/growable.js';
import type { Sampler } from '../metrics/sampler.js';
import type { TaskTracker } from '../metrics/task-tracker.js';
import type { Percentiles, RunSummary } from '../output/summary.js';
import type { InjectedFailure } from './failure-injection.js';
import { describeOptions, type SimOptions } from './sim-options.js';

export interface SummaryInputs {
  readonly options: SimOptions;
  readonly traceName: string;
  readonly simulatedMs: number;
  readonly wallMs: number;
  readonly events: number;
  readonly hosts: HostTable;
  readonly tracker: TaskTracker;
  readonly sampler: Sampler;
  readonly scheduler: Scheduler;
  /** Tasks of accepted job submissions and of cron runs. */
  readonly tasksSubmitted: number;
  readonly cronTasks: number;
  readonly jobs: RunSummary['jobs'];
  readonly preemptions: number;
  readonly victims: number;
  readonly auditor?: Auditor;
  readonly ignored: Readonly<Record<string, number>>;
  readonly failures?: readonly InjectedFailure[];
}

/** Assembles summary.json. Key order is fixed, so equal runs serialize to equal bytes. */
export function buildSummary(x: SummaryInputs): RunSummary {
  const t = x.tracker;
  const placed = t.allDelays.sorted();
  // Tasks never placed count too, as waiting until the end of the run (censored): a run that
  // leaves work pending cannot show a better delay than one that places it late.
  const censored = t.censoredWaits(x.simulatedMs);
  const delays = withCensored(placed, censored);
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  const life = x.scheduler.lifecycleCounters();
  const u = life.updates;
  return {
    format: 'borealis-run',
    version: 1,
    trace: x.options.trace,
    traceName: x.traceName,
    policy: x.options.policy ?? DEFAULT_POLICY,
    seed: x.options.seed,
    options: describeOptions(x.options),
    hosts: x.hosts.count,
    simulatedMs: x.simulatedMs,
    wallMs: x.wallMs,
    events: x.events,
    tasks: {
      submitted: x.tasksSubmitted,
      rescheduled: t.created - x.tasksSubmitted,
      created: t.created,
      launched: t.launched,
      finished: t.finished,
      failed: t.failed,
      killed: t.killed,
      lost: t.lost,
      preempted: x.victims,
      pendingAtEnd: t.pending(),
      killedBeforeLaunch: t.killedBeforeLaunch,
      runningAtEnd: t.onHost(),
    },
    jobs: x.jobs,
    schedulingDelayMs: { ...percentiles(delays, round), censored: censored.length },
    placedDelayMs: percentiles(placed, round),
    utilization: x.sampler.utilization(),
    hostsUsed: x.hosts.usedCount(),
    preemptions: x.preemptions,
    updates: {
      started: u.started,
      rolledForward: u.rolledForward,
      rolledBack: u.rolledBack,
      failed: u.failed,
      aborted: u.aborted,
      restarts: u.restarts,
      meanDurationMs: Math.round(u.meanDurationMs),
    },
    cron: {
      triggers: life.cron.triggers,
      runs: life.cron.runs,
      collisions: life.cron.collisions,
      tasks: x.cronTasks,
    },
    maintenance: {
      hostsDrained: life.maintenance.hostsDrained,
      slaDelayedKills: life.maintenance.slaDelayedKills,
      forcedKills: life.maintenance.forcedKills,
    },
    violations: x.auditor?.violations ?? 0,
    violationSamples: x.auditor?.samples ?? [],
    pendingReasons: sortedRecord(x.scheduler.pendingReasonTotals()),
    ignoredRecords: sortedRecord(x.ignored),
    injectedFailures: [...(x.failures ?? [])],
    machine: machine(),
  };
}

function percentiles(sorted: Float64Array, round: (v: number) => number): Percentiles {
  return {
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : 0,
    mean: round(mean(sorted)),
  };
}

/** The placed tasks' delays (sorted) and the censored waits, together, sorted. */
function withCensored(placed: Float64Array, censored: Float64Array): Float64Array {
  if (censored.length === 0) return placed;
  const all = new Float64Array(placed.length + censored.length);
  all.set(placed);
  all.set(censored, placed.length);
  return all.sort();
}

function sortedRecord(r: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function machine(): RunSummary['machine'] {
  const list = cpus();
  return { cpu: list[0]?.model ?? 'unknown', cores: list.length, node: process.version };
}
