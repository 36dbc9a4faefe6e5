/**
 * Maps a checked job_submit / job_update record onto the core model.
 *
 * `normalizeTraceJob` builds the job-file form of the record and runs core's `normalizeJob`, so a
 * job from a trace gets exactly the defaults and rules a job file gets. It costs ~30 µs a job
 * (zod), which is seconds on a million-task trace, so the simulator calls `toJobConfig`, which
 * builds the same JobConfig directly from Aurora's defaults; a test holds the two equal on every
 * bundled sample and on the record shapes the format allows. The reader's checks
 * (check-record.ts) mirror normalizeJob's rules, so a record the reader accepted always
 * normalizes; failures here are programmer errors. A task gets one process (traces describe
 * resources, not commands); the simulation behaviours (failAfterMs, unhealthy) are not part of a
 * job file and go under `task.sim`.
 */
import {
  AURORA_DEFAULTS,
  formatProblems,
  type HealthCheck,
  type JobConfig,
  type JobInput,
  type JobKey,
  normalizeJob,
  parseConstraints,
  type SimBehaviour,
  type UpdateSettings,
} from '@borealis/core';
import type { JobSubmitRecord, JobUpdateRecord, TraceTask, TraceUpdateSettings } from './record.js';

type JobRecord = JobSubmitRecord | JobUpdateRecord;

/** The fast mapping the simulator uses (equal to `normalizeTraceJob`, without zod). */
export function toJobConfig(record: JobRecord): JobConfig {
  const key = jobKey(record.job);
  const t = record.task;
  const constraints = parseConstraints(record.constraints);
  if (!constraints.ok) throw new Error(`toJobConfig: unchecked constraints on ${record.job}`);
  const healthCheck = toHealthCheck(t);
  const sim = simBehaviour(t);
  const update = toUpdate(record);
  return {
    key,
    kind: record.kind,
    instances: record.instances,
    task: {
      processes: [
        {
          name: 'main',
          cmdline: `run ${record.job}`,
          final: false,
          daemon: false,
          maxFailures: AURORA_DEFAULTS.processMaxFailures,
        },
      ],
      orderings: [],
      resources: { cpu: t.cpu, ramMb: t.ramMb, diskMb: t.diskMb, gpus: t.gpus },
      ports: t.ports,
      constraints: constraints.value,
      tier: record.tier,
      priority: record.priority,
      maxTaskFailures: record.maxTaskFailures,
      ...(healthCheck && { healthCheck }),
      metadata: {},
      ...(sim && { sim }),
    },
    ...(update && { update }),
    ...(record.kind === 'cron' &&
      record.cron !== undefined && {
        cron: {
          schedule: record.cron.trim(),
          collisionPolicy: record.collisionPolicy ?? AURORA_DEFAULTS.cronCollisionPolicy,
        },
      }),
  };
}

/** The reference mapping through core's normalizeJob (every job-file rule and default). */
export function normalizeTraceJob(record: JobRecord): JobConfig {
  const key = jobKey(record.job);
  const t = record.task;
  const hc = healthCheckInput(t);
  const raw: JobInput = {
    role: key.role,
    environment: key.environment,
    name: key.name,
    ...(key.cluster !== undefined && { cluster: key.cluster }),
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
    ...(hc && { healthCheck: hc }),
    ...(record.type === 'job_update' && { update: updateStrategy(record.settings) }),
    ...(record.kind === 'cron' &&
      record.cron && {
        cron: {
          schedule: record.cron,
          collisionPolicy: record.collisionPolicy ?? AURORA_DEFAULTS.cronCollisionPolicy,
        },
      }),
  };
  // Submit-time rules (instance limit, dedicated roles) are the core's, at submit: the job is rejected there.
  const job = normalizeJob(raw, { maxInstances: Number.MAX_SAFE_INTEGER, dedicatedRole: false });
  if (!job.ok)
    throw new Error(
      `normalizeTraceJob: unchecked record for ${record.job}:\n${formatProblems(job.problems)}`,
    );
  const sim = simBehaviour(t);
  return sim ? { ...job.value, task: { ...job.value.task, sim } } : job.value;
}

/** `role/env/name`, or `cluster/role/env/name`. */
function jobKey(job: string): JobKey {
  const parts = job.split('/');
  if (parts.length === 4) {
    const [cluster, role, environment, name] = parts as [string, string, string, string];
    return { cluster, role, environment, name };
  }
  const [role, environment, name] = parts as [string, string, string];
  return { role, environment, name };
}

function simBehaviour(t: TraceTask): SimBehaviour | undefined {
  if (t.failAfterMs === undefined && !t.unhealthy) return undefined;
  return {
    ...(t.failAfterMs !== undefined && { failAfterMs: t.failAfterMs }),
    ...(t.unhealthy && { unhealthy: true }),
  };
}

function timing(t: TraceTask) {
  const hc = t.healthCheck!;
  return {
    initialIntervalSecs: hc.initialIntervalSecs,
    intervalSecs: hc.intervalSecs,
    timeoutSecs: hc.timeoutSecs,
    maxConsecutiveFailures: hc.maxConsecutiveFailures,
    minConsecutiveSuccesses: hc.minConsecutiveSuccesses,
  };
}

/** An http check needs a declared port; a task without ports is checked by a command instead. */
function healthCheckInput(t: TraceTask): JobInput['healthCheck'] {
  const hc = t.healthCheck;
  if (!hc) return undefined;
  const port = hc.port ?? t.ports[0];
  if (hc.type === 'shell' || port === undefined) return { type: 'shell', command: 'true', ...timing(t) };
  return { type: 'http', port, ...timing(t) };
}

function toHealthCheck(t: TraceTask): HealthCheck | undefined {
  const input = healthCheckInput(t);
  if (!input) return undefined;
  if (input.type === 'shell') return { ...timing(t), type: 'shell', command: 'true' };
  const d = AURORA_DEFAULTS.healthCheck;
  return {
    ...timing(t),
    type: 'http',
    port: input.port ?? d.port,
    endpoint: d.endpoint,
    expectedResponse: d.expectedResponse,
    expectedResponseCode: d.expectedResponseCode,
  };
}

function updateStrategy(s: TraceUpdateSettings): NonNullable<JobInput['update']> {
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

/** Every non-cron job has update settings: the record's for job_update, Aurora's defaults otherwise. */
function toUpdate(record: JobRecord): UpdateSettings | undefined {
  if (record.type === 'job_update') return updateStrategy(record.settings) as UpdateSettings;
  if (record.kind === 'cron') return undefined;
  const d = AURORA_DEFAULTS.update;
  return {
    strategy: { kind: 'queue', groupSize: d.batchSize },
    watchSecs: d.watchSecs,
    maxPerInstanceFailures: d.maxPerInstanceFailures,
    maxTotalFailures: d.maxTotalFailures,
    rollbackOnFailure: d.rollbackOnFailure,
  };
}
