import {
  formatJobKey,
  isActiveUpdate,
  type JobKey,
  jobSchema,
  type Scheduler,
  type UpdateInfo,
} from '@borealis/core';
import { z } from 'zod';
import type { JobIndex } from '../job-index.js';
import { type AnyRoute, ApiError, defineRoute, type Reply, zodProblems } from '../route.js';
import { fromCore, instanceList, jobFromBody, jobParams, keyOf } from '../schemas.js';
import { updateSummary, updateView } from '../views.js';

const JOB = '/api/v1/jobs/:role/:environment/:name';
const roleAccess = ({ params }: { params: { role: string } }) => ({
  kind: 'role' as const,
  role: params.role,
});
const startBody = z.strictObject({ job: jobSchema, instances: instanceList.optional() });
const startShell = z.strictObject({ job: z.unknown(), instances: instanceList.optional() });

function view(index: JobIndex, info: UpdateInfo): Reply {
  return {
    body: updateView(
      info,
      index.updates(info.job).find((u) => u.updateId === info.updateId),
    ),
  };
}

function control(
  verb: 'pause' | 'resume' | 'abort',
  run: (c: Scheduler, key: JobKey) => ReturnType<Scheduler['pauseUpdate']>,
) {
  return defineRoute({
    method: 'POST',
    url: `${JOB}/update/${verb}`,
    tag: 'updates',
    summary: `${verb[0]?.toUpperCase()}${verb.slice(1)} the job's active update`,
    params: jobParams,
    access: roleAccess,
    async handle({ params }, { core, index }) {
      const r = await core.command((c) => run(c, keyOf(params)));
      return view(index, fromCore(r));
    },
  });
}

export const updateRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    url: `${JOB}/update`,
    tag: 'updates',
    summary: 'Start a rolling update to a job file, optionally only for some instances',
    params: jobParams,
    body: startBody,
    validateBody: false,
    access: roleAccess,
    async handle({ params, raw }, { core, index }) {
      const shell = startShell.safeParse(raw ?? {});
      if (!shell.success) throw new ApiError(400, 'invalid update request', zodProblems(shell.error, ''));
      const job = jobFromBody(shell.data.job, params, 'job');
      const { instances } = shell.data;
      const r = await core.command((c) => c.startUpdate(job, instances ? { instances } : {}));
      const info = fromCore(r);
      index.updating(job);
      return view(index, info);
    },
  }),
  control('pause', (c, k) => c.pauseUpdate(k)),
  control('resume', (c, k) => c.resumeUpdate(k)),
  control('abort', (c, k) => c.abortUpdate(k)),
  defineRoute({
    method: 'POST',
    url: `${JOB}/update/rollback`,
    tag: 'updates',
    summary: 'Go back to the config before the latest update: abort the active one, then update back',
    params: jobParams,
    access: roleAccess,
    async handle({ params }, { core, index }) {
      const key = keyOf(params);
      const known = index.job(key);
      const active = core.read((c) => c.updateInfo(key));
      const inFlight = active !== undefined && isActiveUpdate(active.status);
      const back = inFlight ? known?.config : known?.previous;
      if (!back) throw new ApiError(409, `job ${formatJobKey(key)} has no earlier config to roll back to`);
      const r = await core.command((c) => {
        if (inFlight) {
          const aborted = c.abortUpdate(key);
          if (!aborted.ok) return aborted;
        }
        return c.startUpdate(back);
      });
      const info = fromCore(r);
      index.updating(back);
      return view(index, info);
    },
  }),
  defineRoute({
    method: 'GET',
    url: `${JOB}/update`,
    tag: 'updates',
    summary: "The job's active (else latest) update with per-instance progress",
    params: jobParams,
    access: () => ({ kind: 'read' }),
    handle({ params }, { core, index }) {
      const info = core.read((c) => c.updateInfo(keyOf(params)));
      if (!info) throw new ApiError(404, `job ${formatJobKey(keyOf(params))} has no update`);
      return view(index, info);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/updates',
    tag: 'updates',
    summary: 'Recent updates, newest first, of every job, one role or one job',
    query: z.strictObject({
      role: z.string().optional(),
      job: z.string().optional(),
      active: z.enum(['true', 'false']).optional(),
    }),
    access: () => ({ kind: 'read' }),
    handle: ({ query }, { index }) => ({
      body: index
        .updates(query.job)
        .filter((u) => query.role === undefined || u.job.startsWith(`${query.role}/`))
        .filter((u) => query.active === undefined || isActiveUpdate(u.status) === (query.active === 'true'))
        .sort((a, b) => b.startedAt - a.startedAt)
        .map(updateSummary),
    }),
  }),
];
