import { formatJobKey, jobSchema, nextFire, parseCrontab } from '@borealis/core';
import { z } from 'zod';
import { type AnyRoute, ApiError, defineRoute } from '../route.js';
import { fromCore, jobFromBody, jobParams, keyOf } from '../schemas.js';

const CRON = '/api/v1/jobs/:role/:environment/:name/cron';
const roleAccess = ({ params }: { params: { role: string } }) => ({
  kind: 'role' as const,
  role: params.role,
});

export const cronRoutes: AnyRoute[] = [
  defineRoute({
    method: 'PUT',
    url: CRON,
    tag: 'cron',
    summary: 'Schedule a cron job, or replace its schedule and config',
    params: jobParams,
    body: jobSchema,
    validateBody: false,
    access: roleAccess,
    async handle({ params, raw }, { core, index }) {
      const job = jobFromBody(raw, params);
      if (job.kind !== 'cron' || !job.cron)
        throw new ApiError(400, 'not a cron job', [
          { path: 'kind', message: 'a cron job has kind "cron" and a cron schedule' },
        ]);
      fromCore(await core.command((c) => c.submitJob(job)));
      index.remember(job);
      return {
        body: {
          job: formatJobKey(job.key),
          schedule: job.cron.schedule,
          nextFire: core.read((c) => c.cronNextFire(job.key)),
        },
      };
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: CRON,
    tag: 'cron',
    summary: 'Deschedule a cron job (its running instances are killed)',
    params: jobParams,
    access: roleAccess,
    async handle({ params }, { core, index }) {
      const key = keyOf(params);
      if (core.read((c) => c.cronNextFire(key)) === undefined)
        throw new ApiError(404, `job ${formatJobKey(key)} is not a scheduled cron job`);
      const value = fromCore(await core.command((c) => c.killJob(key)));
      index.forget(key);
      return { body: { job: formatJobKey(key), descheduled: true, ...value } };
    },
  }),
  defineRoute({
    method: 'GET',
    url: CRON,
    tag: 'cron',
    summary: "A cron job's schedule and its next fire times (UTC epoch ms)",
    params: jobParams,
    query: z.strictObject({ count: z.coerce.number().int().min(1).max(100).default(5) }),
    access: () => ({ kind: 'read' }),
    handle({ params, query }, { core, index }) {
      const key = keyOf(params);
      const first = core.read((c) => c.cronNextFire(key));
      const schedule = index.job(key)?.config.cron?.schedule;
      if (first === undefined)
        throw new ApiError(404, `job ${formatJobKey(key)} is not a scheduled cron job`);
      const times = [first];
      const tab = schedule === undefined ? undefined : parseCrontab(schedule);
      if (tab?.ok)
        while (times.length < query.count) times.push(nextFire(tab.value, times[times.length - 1] ?? first));
      return {
        body: { job: formatJobKey(key), ...(schedule !== undefined && { schedule }), nextFires: times },
      };
    },
  }),
];
