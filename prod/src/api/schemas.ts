import {
  formatJobKey,
  IDENTIFIER,
  type JobConfig,
  type JobKey,
  normalizeJob,
  type Result,
  TASK_STATES,
} from '@borealis/core';
import { z } from 'zod';
import { ApiError } from './route.js';

/** Schemas shared by several routes; each route's own ones sit beside it. */

const identifier = (what: string) =>
  z.string().regex(IDENTIFIER, `${what} must be letters, digits, _ - . only`);

export const jobParams = z.strictObject({
  role: identifier('role'),
  environment: identifier('environment'),
  name: identifier('name'),
});
export type JobParams = z.output<typeof jobParams>;

export const roleParams = z.strictObject({ role: identifier('role') });
export const taskParams = z.strictObject({ taskId: z.string().min(1) });

export const instanceList = z
  .array(z.int().min(0, 'instance numbers are ≥ 0'))
  .min(1, 'list at least one instance');

export const taskState = z.enum(TASK_STATES);

export const resourcesBody = z.strictObject({
  cpu: z.number().min(0),
  ramMb: z.number().min(0),
  diskMb: z.number().min(0),
  gpus: z.number().min(0).default(0),
});

export const hostsBody = z.strictObject({
  hosts: z.array(z.string().min(1)).min(1, 'name at least one host'),
});

export function keyOf(p: JobParams): JobKey {
  return { role: p.role, environment: p.environment, name: p.name };
}

/**
 * A job file's normalized form (or any valid job file) from a request body, with problems located
 * under `prefix`; its key must be the URL's.
 */
export function jobFromBody(raw: unknown, params: JobParams, prefix = ''): JobConfig {
  const r: Result<JobConfig> = normalizeJob(raw, prefix ? { path: prefix } : {});
  if (!r.ok) throw new ApiError(400, 'invalid job', r.problems);
  const url = formatJobKey(keyOf(params));
  if (formatJobKey(r.value.key) !== url) {
    const path = prefix ? `${prefix}.role` : 'role';
    throw new ApiError(400, 'job key mismatch', [
      { path, message: `the job is ${formatJobKey(r.value.key)} but the URL names ${url}` },
    ]);
  }
  return r.value;
}

/** A core Result as a value, or the matching HTTP error. */
export function fromCore<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  const message = r.problems.map((p) => p.message).join('; ');
  const status = /not found/.test(message)
    ? 404
    : /already exists/.test(message)
      ? 409
      : r.problems.every((p) => ['instances', 'count', 'batchSize', 'watchSecs'].includes(p.path))
        ? 400
        : 409;
  // A bad value is located by its field; a conflict or a missing job is said in one sentence.
  throw status === 400 ? new ApiError(400, 'invalid request', r.problems) : new ApiError(status, message);
}
