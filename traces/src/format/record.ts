/**
 * Trace format v1: the typed records a trace file holds, exactly as written in the file (raw job
 * keys and constraint maps). The reader checks every record at the boundary; after that these
 * types can be trusted. Unknown fields survive on the objects (readers ignore them).
 */
import type { CronCollisionPolicy, JobKind, Tier } from '@borealis/core';

export const TRACE_FORMAT = 'borealis-trace';
export const TRACE_VERSION = 1;

export interface TraceHeader {
  readonly format: typeof TRACE_FORMAT;
  readonly version: typeof TRACE_VERSION;
  readonly name?: string;
  readonly source?: string;
  readonly [extra: string]: unknown;
}

/** How an instance ends once its `durationMs` is up: recorded failures and kills replay as such. */
export const OUTCOMES = ['finished', 'failed', 'killed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface TraceHealthCheck {
  /** `http` checks the task's named port `port` (default: its first port); `shell` runs a command. */
  readonly type: 'http' | 'shell';
  readonly port?: string;
  readonly initialIntervalSecs: number;
  readonly intervalSecs: number;
  readonly timeoutSecs: number;
  readonly maxConsecutiveFailures: number;
  readonly minConsecutiveSuccesses: number;
}

/** The task object of job_submit / job_update: one instance's needs and simulated behaviour. */
export interface TraceTask {
  readonly cpu: number;
  readonly ramMb: number;
  readonly diskMb: number;
  /** Fractional GPUs are allowed (shared GPUs, e.g. Alibaba's gpu_milli). */
  readonly gpus: number;
  readonly ports: readonly string[];
  /** Simulation: every instance of this config fails this long after RUNNING. */
  readonly failAfterMs?: number;
  /** Simulation: instances never pass their health check. */
  readonly unhealthy?: boolean;
  readonly healthCheck?: TraceHealthCheck;
}

export interface TraceUpdateSettings {
  readonly strategy: 'queue' | 'batch' | 'variableBatch';
  readonly batchSize: number;
  /** variableBatch only: the size of each successive batch (the last repeats). */
  readonly groupSizes?: readonly number[];
  readonly autoPause: boolean;
  readonly watchSecs: number;
  readonly maxPerInstanceFailures: number;
  readonly maxTotalFailures: number;
  readonly rollbackOnFailure: boolean;
}

/** The job description shared by job_submit and job_update. */
export interface TraceJobSpec {
  /** `role/environment/name`. */
  readonly job: string;
  readonly kind: JobKind;
  readonly instances: number;
  readonly tier: Tier;
  readonly priority: number;
  readonly task: TraceTask;
  /** Aurora constraint grammar keyed by host attribute, e.g. `{ "host": "limit:1", "zone": "a" }`. */
  readonly constraints: Readonly<Record<string, string>>;
  /** Run time once RUNNING: one value for every instance or one per instance; absent = runs until killed. */
  readonly durationMs?: number | readonly number[];
  /** How each instance ends after its duration; one value or one per instance; absent = finished. */
  readonly outcomes?: Outcome | readonly Outcome[];
  /** kind "cron": 5-field crontab schedule. */
  readonly cron?: string;
  readonly collisionPolicy?: CronCollisionPolicy;
  /** -1 = unlimited. */
  readonly maxTaskFailures: number;
}

export interface JobSubmitRecord extends TraceJobSpec {
  readonly t: number;
  readonly type: 'job_submit';
}

export interface JobUpdateRecord extends TraceJobSpec {
  readonly t: number;
  readonly type: 'job_update';
  readonly settings: TraceUpdateSettings;
}

export interface JobKillRecord {
  readonly t: number;
  readonly type: 'job_kill';
  readonly job: string;
  /** Absent: every instance. */
  readonly instances?: readonly number[];
}

export interface HostAddRecord {
  readonly t: number;
  readonly type: 'host_add';
  readonly host: string;
  readonly cpu: number;
  readonly ramMb: number;
  readonly diskMb: number;
  readonly gpus: number;
  /** Inclusive port ranges (a single `[first, last]` in the file is normalized to a list). */
  readonly ports: readonly (readonly [number, number])[];
  readonly attributes: Readonly<Record<string, string>>;
}

export interface HostEventRecord {
  readonly t: number;
  readonly type: 'host_remove' | 'host_down' | 'host_up';
  readonly host: string;
}

export interface HostMaintenanceRecord {
  readonly t: number;
  readonly type: 'host_drain' | 'host_activate';
  readonly hosts: readonly string[];
  /**
   * host_drain only: an SLA-aware drain (Aurora's slaDrainHosts), which stops a task only while its
   * job keeps its SLA. Absent or false: a plain drain (drainHosts), which stops every task at once.
   */
  readonly sla?: boolean;
}

export interface QuotaSetRecord {
  readonly t: number;
  readonly type: 'quota_set';
  readonly role: string;
  readonly cpu: number;
  readonly ramMb: number;
  readonly diskMb: number;
  readonly gpus: number;
}

export type TraceRecord =
  | JobSubmitRecord
  | JobUpdateRecord
  | JobKillRecord
  | HostAddRecord
  | HostEventRecord
  | HostMaintenanceRecord
  | QuotaSetRecord;

export type RecordType = TraceRecord['type'];

export const RECORD_TYPES: readonly RecordType[] = [
  'host_add',
  'host_remove',
  'host_down',
  'host_up',
  'host_drain',
  'host_activate',
  'job_submit',
  'job_update',
  'job_kill',
  'quota_set',
];

/** Instance `i`'s run time, or undefined for instances that run until killed. */
export function instanceDurationMs(spec: TraceJobSpec, i: number): number | undefined {
  const d = spec.durationMs;
  if (d === undefined) return undefined;
  return typeof d === 'number' ? d : d[i];
}

/** Instance `i`'s recorded outcome (finished when the trace says nothing). */
export function instanceOutcome(spec: TraceJobSpec, i: number): Outcome {
  const o = spec.outcomes;
  if (o === undefined) return 'finished';
  return typeof o === 'string' ? o : (o[i] ?? 'finished');
}
