import { formatJobKey, type JobConfig, jobConfigToInput, jobSchema } from '@borealis/core';
import { z } from 'zod';
import { type AnyRoute, ApiError, defineRoute } from '../route.js';
import { fromCore, instanceList, jobFromBody, jobParams, keyOf } from '../schemas.js';
import { diffJobs, jobStatus, updateView } from '../views.js';

const JOB = '/api/v1/jobs/:role/:environment/:name';
const roleAccess = ({ params }: { params: { role: string } }) => ({
  kind: 'role' as const,
  role: params.role,
});
const sameConfig = (a: JobConfig, b: JobConfig): boolean =>
  JSON.stringify(jobConfigToInput(a)) === JSON.stringify(jobConfigToInput(b));

export const jobRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/jobs',
    tag: 'jobs',
    summary: 'List jobs, optionally of one role',
    query: z.strictObject({ role: z.string().optional() }),
    access: () => ({ kind: 'read' }),
    handle: ({ query }, { core, index }) => ({
      body: core.read((c) =>
        index.list(query.role).map((j) => {
          const active = c.activeTasks(j.config.key);
          const states: Record<string, number> = {};
          for (const id of active) {
            const s = c.task(id)?.state;
            if (s) states[s] = (states[s] ?? 0) + 1;
          }
          const update = c.updateInfo(j.config.key);
          return {
            job: formatJobKey(j.config.key),
            kind: j.config.kind,
            instances: j.config.instances,
            active: active.length,
            states,
            ...(update && { update: update.status }),
          };
        }),
      ),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: JOB,
    tag: 'jobs',
    summary: "Create a job from a job file's normalized form (retrying the same body is safe)",
    params: jobParams,
    body: jobSchema,
    validateBody: false,
    statuses: [201, 409],
    access: roleAccess,
    async handle({ params, raw }, { core, index }) {
      const job = jobFromBody(raw, params);
      const key = keyOf(params);
      const same = (): { body: unknown } | undefined => {
        const known = index.job(key);
        if (!known || !sameConfig(known.config, job)) return undefined;
        return {
          body: { job: formatJobKey(key), created: false, taskIds: core.read((c) => c.activeTasks(key)) },
        };
      };
      const r = await core.command((c) => c.submitJob(job));
      if (!r.ok) {
        const again = /already exists/.test(r.problems[0]?.message ?? '') ? same() : undefined;
        if (again) return again;
        fromCore(r);
      }
      index.remember(job);
      return {
        status: 201,
        body: { job: formatJobKey(key), created: true, taskIds: r.ok ? r.value.taskIds : [] },
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: JOB,
    tag: 'jobs',
    summary:
      'Job status: config, every live instance, recent tasks with their events, update, pending reasons',
    params: jobParams,
    query: z.strictObject({ events: z.coerce.number().int().min(0).max(1000).default(10) }),
    access: () => ({ kind: 'read' }),
    handle: ({ params, query }, { core, index }) => ({
      body: core.read((c) => jobStatus(c, index, keyOf(params), query.events)),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: `${JOB}/kill`,
    tag: 'jobs',
    summary: 'Kill some instances',
    params: jobParams,
    body: z.strictObject({ instances: instanceList }),
    access: roleAccess,
    async handle({ params, body }, { core }) {
      const r = await core.command((c) => c.killJob(keyOf(params), body.instances));
      return { body: fromCore(r) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: `${JOB}/killall`,
    tag: 'jobs',
    summary: 'Kill every instance (a cron job is also descheduled)',
    params: jobParams,
    access: roleAccess,
    async handle({ params }, { core, index }) {
      const key = keyOf(params);
      const r = await core.command((c) => c.killJob(key));
      const value = fromCore(r);
      index.forget(key);
      return { body: value };
    },
  }),
  defineRoute({
    method: 'POST',
    url: `${JOB}/restart`,
    tag: 'jobs',
    summary: 'Rolling restart of all or some instances',
    params: jobParams,
    body: z.strictObject({
      instances: instanceList.optional(),
      batchSize: z.int().min(1).optional(),
      watchSecs: z.number().min(0).optional(),
    }),
    access: roleAccess,
    async handle({ params, body }, { core, index }) {
      const r = await core.command((c) => c.restartJob(keyOf(params), body));
      const info = fromCore(r);
      return {
        body: updateView(
          info,
          index.updates(info.job).find((u) => u.updateId === info.updateId),
        ),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: `${JOB}/add`,
    tag: 'jobs',
    summary: "Add instances with the job's current config",
    params: jobParams,
    body: z.strictObject({ count: z.int().min(1, 'count must be ≥ 1') }),
    access: roleAccess,
    async handle({ params, body }, { core, index }) {
      const key = keyOf(params);
      const r = await core.command((c) => c.addInstances(key, body.count));
      const value = fromCore(r);
      const known = index.job(key);
      if (known) index.remember({ ...known.config, instances: known.config.instances + body.count });
      return { body: value };
    },
  }),
  defineRoute({
    method: 'POST',
    url: `${JOB}/diff`,
    tag: 'jobs',
    summary: "What changes between the job's current config and a job file",
    params: jobParams,
    body: jobSchema,
    validateBody: false,
    access: () => ({ kind: 'read' }),
    handle({ params, raw }, { index }) {
      const next = jobFromBody(raw, params);
      const known = index.job(keyOf(params));
      if (!known) throw new ApiError(404, `job ${formatJobKey(keyOf(params))} not found`);
      const from = known.config.instances;
      const to = next.instances;
      const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
      const taskChanged =
        JSON.stringify(jobConfigToInput({ ...known.config, instances: 1 })) !==
        JSON.stringify(jobConfigToInput({ ...next, instances: 1 }));
      return {
        body: {
          job: formatJobKey(next.key),
          changes: diffJobs(jobConfigToInput(known.config), jobConfigToInput(next)),
          instances: {
            add: range(from, to),
            remove: range(to, from),
            update: taskChanged ? range(0, Math.min(from, to)) : [],
          },
        },
      };
    },
  }),
];
