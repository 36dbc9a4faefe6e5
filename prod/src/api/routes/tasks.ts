import { parseJobKey } from '@borealis/core';
import { z } from 'zod';
import { type AnyRoute, ApiError, defineRoute } from '../route.js';
import type { TaskSandboxes } from '../sandbox.js';
import { taskParams, taskState } from '../schemas.js';
import { taskSummary, taskView } from '../views.js';

function jobKey(text: string) {
  const key = parseJobKey(text, 'job');
  if (!key.ok) throw new ApiError(400, 'invalid job key', key.problems);
  return key.value;
}

function sandboxesOf(ctx: { sandboxes?: TaskSandboxes }) {
  if (!ctx.sandboxes) throw new ApiError(503, 'task sandboxes are not available on this scheduler');
  return ctx.sandboxes;
}

export const taskRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/tasks',
    tag: 'tasks',
    summary: 'Tasks (live, and recently ended ones the API remembers) by job, state or host',
    query: z.strictObject({
      job: z.string().optional(),
      state: taskState.optional(),
      host: z.string().optional(),
      limit: z.coerce.number().int().min(1).max(10000).default(1000),
    }),
    access: () => ({ kind: 'read' }),
    handle({ query }, { core, index }) {
      if (query.job !== undefined) jobKey(query.job);
      const records = query.job !== undefined ? index.tasksOf(query.job) : index.allTasks();
      return {
        body: core.read((c) =>
          records
            .map((r) => taskSummary(c, r))
            .filter((t) => query.state === undefined || t.state === query.state)
            .filter((t) => query.host === undefined || t.host === query.host)
            .slice(0, query.limit),
        ),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tasks/:taskId',
    tag: 'tasks',
    summary: 'One task: state, host, config, and how it was placed or why it is pending',
    params: taskParams,
    access: () => ({ kind: 'read' }),
    handle({ params }, { core, index }) {
      return {
        body: core.read((c) => {
          const info = c.task(params.taskId);
          const rec = index.task(params.taskId);
          if (!info && !rec) throw new ApiError(404, `task ${params.taskId} not found`);
          const explanation = c.explain(params.taskId);
          const summary = info ? taskView(info) : rec ? taskSummary(c, rec) : {};
          return {
            ...summary,
            ...(info && { config: info.config }),
            ...(explanation && { placement: explanation }),
            events: rec?.events ?? [],
          };
        }),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tasks/:taskId/events',
    tag: 'tasks',
    summary: "A task's state transitions, oldest first",
    params: taskParams,
    access: () => ({ kind: 'read' }),
    handle({ params }, { index }) {
      const rec = index.task(params.taskId);
      if (!rec) throw new ApiError(404, `task ${params.taskId} not found`);
      return { body: rec.events };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/pending',
    tag: 'tasks',
    summary: 'Why tasks are pending: each pending group with its rejection reasons, all or of one job',
    query: z.strictObject({ job: z.string().optional() }),
    access: () => ({ kind: 'read' }),
    handle({ query }, { core }) {
      const key = query.job === undefined ? undefined : jobKey(query.job);
      return { body: core.read((c) => c.pendingReasons(key)) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tasks/:taskId/files',
    tag: 'sandboxes',
    summary: "List a directory of the task's sandbox (through the agent's files API)",
    params: taskParams,
    query: z.strictObject({ path: z.string().default('') }),
    access: () => ({ kind: 'read' }),
    async handle({ params, query }, ctx) {
      return { body: await sandboxesOf(ctx).list(params.taskId, query.path) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tasks/:taskId/files/read',
    tag: 'sandboxes',
    summary: "Read part of a file of the task's sandbox (stdout, stderr, ...); offset -1 gives its size",
    params: taskParams,
    query: z.strictObject({
      path: z.string().min(1),
      offset: z.coerce.number().int().min(-1).default(0),
      length: z.coerce.number().int().min(1).max(65536).default(65536),
    }),
    access: () => ({ kind: 'read' }),
    async handle({ params, query }, ctx) {
      return { body: await sandboxesOf(ctx).read(params.taskId, query.path, query.offset, query.length) };
    },
  }),
];
