import { z } from 'zod';
import { JOB_KINDS, TIERS } from '../model/tier.js';
import { AURORA_DEFAULTS as D } from './defaults.js';

/**
 * The user-facing job schema: what a job file (TypeScript, JavaScript, JSON or YAML) contains.
 * It checks shapes and single-field ranges; rules that relate fields to each other (declared
 * ports, maxTotalFailures < instances, cron iff kind cron, templates) live in normalize.ts.
 * Objects are strict so a misspelt field is an error instead of a silently ignored default.
 */

const count = (what: string) =>
  z.number().int(`${what} must be a whole number`).min(0, `${what} must not be negative`);
const positiveCount = (what: string) =>
  z.number().int(`${what} must be a whole number`).min(1, `${what} must be at least 1`);
const seconds = z.number().min(0, 'must not be negative');
const positiveSeconds = z.number().gt(0, 'must be greater than 0');

export const processSchema = z.strictObject({
  name: z.string(),
  cmdline: z.string(),
  /** Runs after every non-final process has finished (cleanup, log upload). */
  final: z.boolean().default(false),
  /** Does not have to finish for the task to finish (sidecars). */
  daemon: z.boolean().default(false),
  /** Restarts allowed before the process counts as failed; 0 = unlimited (Thermos semantics). */
  maxFailures: count('maxFailures').default(D.processMaxFailures),
});

export const resourcesSchema = z.strictObject({
  cpu: z.number().gt(0, 'cpu must be greater than 0'),
  ramMb: z.number().min(0, 'ramMb must not be negative'),
  diskMb: z.number().min(0, 'diskMb must not be negative'),
  gpus: z.number().min(0, 'gpus must not be negative').default(0),
});

export const taskSchema = z.strictObject({
  processes: z.array(processSchema).default([]),
  /** Each entry lists process names in the order they must run. */
  orderings: z.array(z.array(z.string())).default([]),
  resources: resourcesSchema,
  /** Named ports; each instance gets a free host port per name. */
  ports: z.array(z.string()).default([]),
});

const healthCheckTiming = {
  initialIntervalSecs: seconds.default(D.healthCheck.initialIntervalSecs),
  intervalSecs: positiveSeconds.default(D.healthCheck.intervalSecs),
  timeoutSecs: positiveSeconds.default(D.healthCheck.timeoutSecs),
  maxConsecutiveFailures: count('maxConsecutiveFailures').default(D.healthCheck.maxConsecutiveFailures),
  minConsecutiveSuccesses: positiveCount('minConsecutiveSuccesses').default(
    D.healthCheck.minConsecutiveSuccesses,
  ),
};

export const healthCheckSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('http'),
    port: z.string().default(D.healthCheck.port),
    endpoint: z.string().default(D.healthCheck.endpoint),
    expectedResponse: z.string().default(D.healthCheck.expectedResponse),
    expectedResponseCode: z
      .number()
      .int('expectedResponseCode must be a whole number')
      .min(100, 'expectedResponseCode must be an HTTP status (100-599)')
      .max(599, 'expectedResponseCode must be an HTTP status (100-599)')
      .default(D.healthCheck.expectedResponseCode),
    ...healthCheckTiming,
  }),
  z.strictObject({ type: z.literal('shell'), command: z.string(), ...healthCheckTiming }),
]);

export const updateStrategySchema = z.discriminatedUnion('kind', [
  /** Keeps groupSize instances updating at all times; a finished one frees a slot. */
  z.strictObject({ kind: z.literal('queue'), groupSize: positiveCount('groupSize') }),
  /** Updates groupSize instances, waits for all of them, then the next batch. */
  z.strictObject({
    kind: z.literal('batch'),
    groupSize: positiveCount('groupSize'),
    autoPause: z.boolean().default(false),
  }),
  /** Batches of the listed sizes in turn; the last size repeats. */
  z.strictObject({
    kind: z.literal('variableBatch'),
    groupSizes: z.array(positiveCount('each group size')).min(1, 'groupSizes must list at least one size'),
    autoPause: z.boolean().default(false),
  }),
]);

export const updateSchema = z.strictObject({
  /** Shorthand for `strategy: {kind: 'queue', groupSize: batchSize}` (Aurora's batch_size). */
  batchSize: positiveCount('batchSize').optional(),
  strategy: updateStrategySchema.optional(),
  watchSecs: seconds.default(D.update.watchSecs),
  maxPerInstanceFailures: count('maxPerInstanceFailures').default(D.update.maxPerInstanceFailures),
  maxTotalFailures: count('maxTotalFailures').default(D.update.maxTotalFailures),
  rollbackOnFailure: z.boolean().default(D.update.rollbackOnFailure),
});

export const cronSchema = z.strictObject({
  /** 5-field crontab in UTC, or a shorthand such as `@daily`. */
  schedule: z.string(),
  collisionPolicy: z.enum(['KILL_EXISTING', 'CANCEL_NEW']).default(D.cronCollisionPolicy),
});

export const announceSchema = z.strictObject({
  primaryPort: z.string().default(D.announcePrimaryPort),
  /** Extra serverset endpoint name → declared port name. */
  portMap: z.record(z.string(), z.string()).default({}),
  zkPath: z.string().optional(),
});

export const containerSchema = z.strictObject({ image: z.string().min(1, 'image must not be empty') });

export const slaSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('percentage'),
    percentage: z.number().gt(0, 'percentage must be > 0').max(100, 'percentage must be ≤ 100'),
    durationSecs: count('durationSecs'),
  }),
  z.strictObject({
    kind: z.literal('count'),
    count: positiveCount('count'),
    durationSecs: count('durationSecs'),
  }),
]);

export const jobSchema = z.strictObject({
  role: z.string(),
  environment: z.string(),
  name: z.string(),
  cluster: z.string().optional(),
  kind: z.enum(JOB_KINDS),
  instances: positiveCount('instances').default(1),
  task: taskSchema,
  /** Host attribute → Aurora constraint expression (`a`, `a,b`, `!a`, `limit:N`, `role/name`). */
  constraints: z.record(z.string(), z.string()).default({}),
  tier: z.enum(TIERS).default(D.tier),
  priority: z.number().int('priority must be a whole number').default(D.priority),
  /** Failures an ad-hoc instance may have before it stays failed; -1 = unlimited. */
  maxTaskFailures: z
    .number()
    .int('maxTaskFailures must be a whole number')
    .min(-1, 'maxTaskFailures must be -1 (unlimited) or more')
    .default(D.maxTaskFailures),
  healthCheck: healthCheckSchema.optional(),
  update: updateSchema.optional(),
  cron: cronSchema.optional(),
  announce: announceSchema.optional(),
  container: containerSchema.optional(),
  metadata: z.record(z.string(), z.string()).default({}),
  sla: slaSchema.optional(),
  contact: z.string().optional(),
});

/** A job as written in a file: optional fields may be left out and get Aurora's defaults. */
export type JobInput = z.input<typeof jobSchema>;
/** A job with every default filled in (the shape `config inspect` prints). */
export type JobSpec = z.output<typeof jobSchema>;
export type TaskInput = z.input<typeof taskSchema>;
export type ProcessInput = z.input<typeof processSchema>;
export type ResourcesInput = z.input<typeof resourcesSchema>;
export type HealthCheckInput = z.input<typeof healthCheckSchema>;
export type UpdateInput = z.input<typeof updateSchema>;
export type UpdateStrategyInput = z.input<typeof updateStrategySchema>;
export type CronInput = z.input<typeof cronSchema>;
export type AnnounceInput = z.input<typeof announceSchema>;
export type SlaInput = z.input<typeof slaSchema>;
