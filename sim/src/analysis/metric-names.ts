import type { RunSummary } from '../output/summary.js';

/**
 * Named scalar metrics of a run, shared by `sim compare` (aggregated across seeds) and
 * `sim plan` (objectives). Delay metrics are milliseconds and count tasks never placed as waiting
 * until the end of the run (`delay.placed.p99`: placed tasks only); utilization is a fraction.
 */
export const METRICS = {
  'delay.p50': (s) => s.schedulingDelayMs.p50,
  'delay.p90': (s) => s.schedulingDelayMs.p90,
  'delay.p99': (s) => s.schedulingDelayMs.p99,
  'delay.max': (s) => s.schedulingDelayMs.max,
  'delay.mean': (s) => s.schedulingDelayMs.mean,
  'delay.placed.p99': (s) => s.placedDelayMs.p99,
  'utilization.cpu': (s) => s.utilization.cpu.mean,
  'utilization.ramMb': (s) => s.utilization.ramMb.mean,
  'utilization.cpu.peak': (s) => s.utilization.cpu.peak,
  'utilization.ramMb.peak': (s) => s.utilization.ramMb.peak,
  hostsUsed: (s) => s.hostsUsed,
  hosts: (s) => s.hosts,
  preemptions: (s) => s.preemptions,
  preempted: (s) => s.tasks.preempted,
  'pending.end': (s) => s.tasks.pendingAtEnd,
  lost: (s) => s.tasks.lost,
  failed: (s) => s.tasks.failed,
  finished: (s) => s.tasks.finished,
  launched: (s) => s.tasks.launched,
  'jobs.rejected': (s) => s.jobs.rejected,
  violations: (s) => s.violations,
} as const satisfies Record<string, (s: RunSummary) => number>;

export type MetricName = keyof typeof METRICS;

export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export const isMetricName = (name: string): name is MetricName => Object.hasOwn(METRICS, name);

/** Metrics measured in milliseconds accept durations (`60s`) in objectives and print as durations. */
export const isDurationMetric = (name: MetricName): boolean => name.startsWith('delay.');

/** The metrics `sim compare` tabulates, in column order. */
export const COMPARE_METRICS: readonly MetricName[] = [
  'delay.p50',
  'delay.p99',
  'pending.end',
  'utilization.cpu',
  'utilization.ramMb',
  'hostsUsed',
  'preemptions',
  'preempted',
];
