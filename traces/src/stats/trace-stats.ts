/**
 * One streaming pass over a trace that summarizes it: the cluster (hosts and capacity), the
 * workload (jobs and tasks by kind and tier), its time span, and demand against capacity over time.
 */
import { JOB_KINDS, type JobKind, RESOURCE_NAMES, type ResourceName, TIERS, type Tier } from '@borealis/core';
import type { RecordType } from '../format/record.js';
import { openTrace } from '../io/reader.js';
import { type DemandSample, DemandTracker } from './demand-tracker.js';

type PerResource = Record<ResourceName, number>;

export interface TraceStats {
  readonly name: string;
  readonly source?: string;
  readonly records: number;
  readonly recordsByType: Partial<Record<RecordType, number>>;
  readonly span: { readonly firstMs: number; readonly lastMs: number };
  readonly hosts: {
    readonly added: number;
    readonly removed: number;
    readonly failures: number;
    readonly capacity: PerResource;
  };
  readonly jobs: {
    readonly total: number;
    readonly byKind: Record<JobKind, number>;
    readonly byTier: Record<Tier, number>;
  };
  readonly tasks: {
    readonly total: number;
    readonly byKind: Record<JobKind, number>;
    readonly byTier: Record<Tier, number>;
  };
  /** Requested resources if every task ran from submission for its recorded duration. */
  readonly demand: {
    readonly peakRequested: PerResource;
    /** Highest requested / capacity seen at any moment. */
    readonly peakRatio: PerResource;
    readonly bucketMs: number;
    readonly series: readonly DemandSample[];
  };
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
const perResource = (a: Float64Array): PerResource =>
  Object.fromEntries(RESOURCE_NAMES.map((k, i) => [k, Math.round(a[i]! * 1000) / 1000])) as PerResource;

export async function computeTraceStats(path: string, bucketMs = 3_600_000): Promise<TraceStats> {
  const trace = await openTrace(path);
  const demand = new DemandTracker(bucketMs);
  const byType: Partial<Record<RecordType, number>> = {};
  const jobs = { total: 0, byKind: zeros(JOB_KINDS), byTier: zeros(TIERS) };
  const tasks = { total: 0, byKind: zeros(JOB_KINDS), byTier: zeros(TIERS) };
  const capacity = new Float64Array(4);
  let records = 0;
  let first = Number.NaN;
  let last = 0;
  for await (const r of trace.records) {
    records++;
    if (records === 1) first = r.t;
    last = r.t;
    byType[r.type] = (byType[r.type] ?? 0) + 1;
    if (r.type === 'job_submit') {
      jobs.total++;
      jobs.byKind[r.kind]++;
      jobs.byTier[r.tier]++;
      tasks.total += r.instances;
      tasks.byKind[r.kind] += r.instances;
      tasks.byTier[r.tier] += r.instances;
    } else if (r.type === 'host_add') {
      capacity[0]! += r.cpu;
      capacity[1]! += r.ramMb;
      capacity[2]! += r.diskMb;
      capacity[3]! += r.gpus;
    }
    demand.add(r);
  }
  demand.finish(last);
  return {
    name: trace.header.name ?? path,
    ...(trace.header.source ? { source: trace.header.source } : {}),
    records,
    recordsByType: byType,
    span: { firstMs: Number.isNaN(first) ? 0 : first, lastMs: last },
    hosts: {
      added: byType.host_add ?? 0,
      removed: byType.host_remove ?? 0,
      failures: byType.host_down ?? 0,
      capacity: perResource(capacity),
    },
    jobs,
    tasks,
    demand: {
      peakRequested: perResource(demand.peakRequested),
      peakRatio: perResource(demand.peakRatio),
      bucketMs,
      series: demand.samples,
    },
  };
}
