/**
 * Maps a checked job_submit / job_update record onto the core model through core's
 * `normalizeJob`, so a job from a trace gets exactly the defaults and rules a job file gets.
 * The reader's checks (check-record.ts) mirror normalizeJob's rules, so a record the reader
 * accepted always normalizes; a failure here is a programmer error. The task gets one process
 * (traces describe resources, not commands); the simulation behaviours (failAfterMs, unhealthy)
 * are not part of a job file and are attached afterwards under `task.sim`.
 */
import {
  formatProblems,
  type JobConfig,
  type JobInput,
  normalizeJob,
  type SimBehaviour,
} from '@borealis/core';
import type { JobSubmitRecord, JobUpdateRecord, TraceTask, TraceUpdateSettings } from './record.js';

export function toJobConfig(record: JobSubmitRecord | JobUpdateRecord): JobConfig {
  const [role, environment, name] = jobKeyParts(record.job);
  const t = record.task;
  const raw: JobInput = {
    role,
    environment,
    name,
    kind: record.kind,
    instances: record.instances,
    task: {
      processes: [{ name: 'main', cmdline: `run ${record.job}` }],
      resources: { cpu: t.cpu, ramMb: t.ramMb, diskMb: t.diskMb, gpus: t.gpus },
      ports: [...t.ports],
    },
    constraints: { ...record.constraints },
    tier: record.tier,
    priority: record.priority,
    maxTaskFailures: record.maxTaskFailures,
    ...healthCheckInput(t),
    ...(record.type === 'job_update' ? { update: updateInput(record.settings) } : {}),
    ...(record.kind === 'cron' && record.cron
      ? { cron: { schedule: record.cron, collisionPolicy: record.collisionPolicy ?? 'KILL_EXISTING' } }
      : {}),
  };
  const job = normalizeJob(raw, { maxInstances: Number.MAX_SAFE_INTEGER });
  if (!job.ok)
    throw new Error(`toJobConfig: unchecked record for ${record.job}:\n${formatProblems(job.problems)}`);
  const sim: SimBehaviour = {
    ...(t.failAfterMs !== undefined ? { failAfterMs: t.failAfterMs } : {}),
    ...(t.unhealthy ? { unhealthy: true } : {}),
  };
  if (Object.keys(sim).length === 0) return job.value;
  return { ...job.value, task: { ...job.value.task, sim } };
}

/** A 4-part key carries the cluster first; the job's identity is the last three parts. */
function jobKeyParts(job: string): [string, string, string] {
  const parts = job.split('/');
  return parts.slice(-3) as [string, string, string];
}

function healthCheckInput(t: TraceTask): Pick<JobInput, 'healthCheck'> {
  const hc = t.healthCheck;
  if (!hc) return {};
  const timing = {
    initialIntervalSecs: hc.initialIntervalSecs,
    intervalSecs: hc.intervalSecs,
    timeoutSecs: hc.timeoutSecs,
    maxConsecutiveFailures: hc.maxConsecutiveFailures,
    minConsecutiveSuccesses: hc.minConsecutiveSuccesses,
  };
  // An http check needs a declared port; a task without ports is checked by a command instead.
  const port = hc.port ?? t.ports[0];
  if (hc.type === 'shell' || port === undefined)
    return { healthCheck: { type: 'shell', command: 'true', ...timing } };
  return { healthCheck: { type: 'http', port, ...timing } };
}

function updateInput(s: TraceUpdateSettings): NonNullable<JobInput['update']> {
  const strategy =
    s.strategy === 'queue'
      ? { kind: 'queue' as const, groupSize: s.batchSize }
      : s.strategy === 'variableBatch'
        ? {
            kind: 'variableBatch' as const,
            groupSizes: [...(s.groupSizes ?? [s.batchSize])],
            autoPause: s.autoPause,
          }
        : { kind: 'batch' as const, groupSize: s.batchSize, autoPause: s.autoPause };
  return {
    strategy,
    watchSecs: s.watchSecs,
    maxPerInstanceFailures: s.maxPerInstanceFailures,
    maxTotalFailures: s.maxTotalFailures,
    rollbackOnFailure: s.rollbackOnFailure,
  };
}
