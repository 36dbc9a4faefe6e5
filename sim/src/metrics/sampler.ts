import { RESOURCE_NAMES, type Resources, TIERS } from '@borealis/core';
import { type HostTable, RES } from '../cluster/host-table.js';
import { mean, percentile } from './growable.js';
import { HeatMap } from './heat-map.js';
import { minimalShapes, strandedResources } from './stranded.js';
import type { TaskTracker } from './task-tracker.js';

/** The timeseries.csv columns, in order (docs/run-output.md). */
export const TIMESERIES_COLUMNS: readonly string[] = [
  't',
  'hosts_up',
  ...RESOURCE_NAMES.map((r) => `cap_${r}`),
  ...RESOURCE_NAMES.flatMap((r) => TIERS.map((tier) => `alloc_${r}_${tier}`)),
  'running',
  'pending',
  'scheduled',
  'delay_p50',
  'delay_p90',
  'delay_p99',
  'delay_max',
  'preemptions',
  'preempted',
  'lost',
  'stranded_cpu',
  'stranded_ramMb',
];

/** What the sampler reads at each sample time, owned by the simulation. */
export interface SampleSources {
  readonly hosts: HostTable;
  /** Allocated by live launched tasks: index tier × 4 + resource. */
  readonly allocByTier: Float64Array;
  readonly tracker: TaskTracker;
  /** Hosts able to take tasks (up, not draining or drained), as the core sees them. */
  usableHosts(): number;
  /** Resource shapes of the tasks now pending. */
  pendingShapes(): Iterable<Resources>;
  /** Preemption events and victims since the previous sample. */
  readonly preemptionsInInterval: { events: number; victims: number };
}

/**
 * Takes one row per sample interval. Utilization (allocated / capacity of up hosts) is kept per
 * sample so summary.json can report a time-weighted mean and the peak.
 */
export class Sampler {
  private readonly rows: string[] = [TIMESERIES_COLUMNS.join(',')];
  readonly heatMap: HeatMap;
  private readonly utilTimes: number[] = [];
  private readonly util: number[][] = RESOURCE_NAMES.map(() => []);
  private readonly cap = new Float64Array(RES);
  private capOf?: HostTable;
  private capVersion = -1;

  constructor(heatMapBudget?: number) {
    this.heatMap = new HeatMap(heatMapBudget);
  }

  sample(time: number, src: SampleSources): void {
    const { hosts, allocByTier, tracker } = src;
    const cap = this.upCapacity(hosts);
    const cells: (number | string)[] = [time, src.usableHosts()];
    for (let r = 0; r < RES; r++) cells.push(fmt(cap[r]!));
    for (let r = 0; r < RES; r++) {
      for (let tier = 0; tier < TIERS.length; tier++)
        cells.push(fmt(Math.max(0, allocByTier[tier * RES + r]!)));
    }
    const delays = tracker.interval.delays.sorted();
    const hasDelays = delays.length > 0;
    const d = (p: number): string | number => (hasDelays ? percentile(delays, p) : '');
    cells.push(tracker.count('RUNNING'), tracker.pending(), tracker.interval.scheduled);
    cells.push(d(0.5), d(0.9), d(0.99), hasDelays ? delays[delays.length - 1]! : '');
    cells.push(src.preemptionsInInterval.events, src.preemptionsInInterval.victims, tracker.interval.lost);
    const stranded =
      tracker.pending() > 0 ? strandedResources(hosts, minimalShapes(src.pendingShapes())) : undefined;
    cells.push(stranded ? fmt(stranded.cpu) : 0, stranded ? fmt(stranded.ramMb) : 0);
    this.rows.push(cells.join(','));

    this.utilTimes.push(time);
    for (let r = 0; r < RES; r++) {
      let alloc = 0;
      for (let tier = 0; tier < TIERS.length; tier++) alloc += allocByTier[tier * RES + r]!;
      this.util[r]!.push(cap[r]! > 0 ? Math.max(0, alloc) / cap[r]! : 0);
    }
    this.heatMap.sample(time, hosts);
    tracker.resetInterval();
    src.preemptionsInInterval.events = 0;
    src.preemptionsInInterval.victims = 0;
  }

  /** Capacity of the up hosts, summed in host order as before, again only when hosts came, went up or down. */
  private upCapacity(hosts: HostTable): Float64Array {
    if (this.capOf === hosts && this.capVersion === hosts.upVersion) return this.cap;
    const cap = this.cap;
    cap.fill(0);
    for (let h = 0; h < hosts.count; h++) {
      if (hosts.up[h] !== 1) continue;
      for (let r = 0; r < RES; r++) cap[r]! += hosts.capacity[h * RES + r]!;
    }
    this.capOf = hosts;
    this.capVersion = hosts.upVersion;
    return cap;
  }

  get sampleCount(): number {
    return this.utilTimes.length;
  }

  csv(): string {
    return `${this.rows.join('\n')}\n`;
  }

  /** Time-weighted mean (each sample holds until the next) and peak, per resource. */
  utilization(): Record<(typeof RESOURCE_NAMES)[number], { mean: number; peak: number }> {
    const times = this.utilTimes;
    const out = {} as Record<(typeof RESOURCE_NAMES)[number], { mean: number; peak: number }>;
    RESOURCE_NAMES.forEach((name, r) => {
      const values = this.util[r]!;
      let peak = 0;
      for (const v of values) peak = Math.max(peak, v);
      const span = times.length > 1 ? times[times.length - 1]! - times[0]! : 0;
      let m: number;
      if (span <= 0) m = mean(Float64Array.from(values));
      else {
        let area = 0;
        for (let i = 0; i + 1 < times.length; i++) area += values[i]! * (times[i + 1]! - times[i]!);
        m = area / span;
      }
      out[name] = { mean: round6(m), peak: round6(peak) };
    });
    return out;
  }
}

/** Fixed precision keeps files byte-identical and free of float noise such as 0.30000000000000004. */
function fmt(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

export const round6 = fmt;
