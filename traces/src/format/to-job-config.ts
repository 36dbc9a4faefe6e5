/**
 * Maps a checked job_submit / job_update record onto the core model. Records come from the
 * reader, which has already checked the key and constraints, so a failure here is a programmer
 * error. The task gets one process (traces describe resources, not commands), Aurora's defaults
 * elsewhere, and the simulation behaviours (failAfterMs, unhealthy) under `sim`.
 */
import {
  type Constraint,
  type HealthCheck,
  type JobConfig,
  parseConstraints,
  parseJobKey,
  type SimBehaviour,
  type TaskConfig,
  type UpdateSettings,
} from '@borealis/core';
import type { JobSubmitRecord, JobUpdateRecord, TraceTask, TraceUpdateSettings } from './record.js';

export function toJobConfig(record: JobSubmitRecord | JobUpdateRecord): JobConfig {
  const key = parseJobKey(record.job);
  if (!key.ok) throw new Error(`toJobConfig: unchecked job key ${record.job}`);
  const constraints = parseConstraints(record.constraints);
  if (!constraints.ok) throw new Error(`toJobConfig: unchecked constraints on ${record.job}`);
  const job: JobConfig = {
    key: key.value,
    kind: record.kind,
    instances: record.instances,
    task: toTaskConfig(record, constraints.value),
    ...(record.type === 'job_update' ? { update: toUpdateSettings(record.settings) } : {}),
    ...(record.kind === 'cron' && record.cron
      ? { cron: { schedule: record.cron, collisionPolicy: record.collisionPolicy ?? 'KILL_EXISTING' } }
      : {}),
  };
  return job;
}

function toTaskConfig(record: JobSubmitRecord | JobUpdateRecord, constraints: Constraint[]): TaskConfig {
  const t = record.task;
  const sim: SimBehaviour = {
    ...(t.failAfterMs !== undefined ? { failAfterMs: t.failAfterMs } : {}),
    ...(t.unhealthy ? { unhealthy: true } : {}),
  };
  const healthCheck = toHealthCheck(t);
  return {
    processes: [{ name: 'main', cmdline: record.job, final: false, daemon: false, maxFailures: 1 }],
    orderings: [],
    resources: { cpu: t.cpu, ramMb: t.ramMb, diskMb: t.diskMb, gpus: t.gpus },
    ports: t.ports,
    constraints,
    tier: record.tier,
    priority: record.priority,
    maxTaskFailures: record.maxTaskFailures,
    metadata: {},
    ...(healthCheck ? { healthCheck } : {}),
    ...(Object.keys(sim).length ? { sim } : {}),
  };
}

function toHealthCheck(t: TraceTask): HealthCheck | undefined {
  const hc = t.healthCheck;
  if (!hc) return undefined;
  const timing = {
    initialIntervalSecs: hc.initialIntervalSecs,
    intervalSecs: hc.intervalSecs,
    timeoutSecs: hc.timeoutSecs,
    maxConsecutiveFailures: hc.maxConsecutiveFailures,
    minConsecutiveSuccesses: hc.minConsecutiveSuccesses,
  };
  const port = hc.port ?? t.ports[0];
  if (hc.type === 'shell' || port === undefined) return { ...timing, type: 'shell', command: 'true' };
  return {
    ...timing,
    type: 'http',
    port,
    endpoint: '/health',
    expectedResponse: 'ok',
    expectedResponseCode: 200,
  };
}

function toUpdateSettings(s: TraceUpdateSettings): UpdateSettings {
  const strategy: UpdateSettings['strategy'] =
    s.strategy === 'queue'
      ? { kind: 'queue', groupSize: s.batchSize }
      : s.strategy === 'variableBatch'
        ? { kind: 'variableBatch', groupSizes: s.groupSizes ?? [s.batchSize], autoPause: s.autoPause }
        : { kind: 'batch', groupSize: s.batchSize, autoPause: s.autoPause };
  return {
    strategy,
    watchSecs: s.watchSecs,
    maxPerInstanceFailures: s.maxPerInstanceFailures,
    maxTotalFailures: s.maxTotalFailures,
    rollbackOnFailure: s.rollbackOnFailure,
  };
}
