import {
  formatJobKey,
  type JobKey,
  jobConfigToInput,
  type Scheduler,
  type TaskInfo,
  type UpdateInfo,
} from '@borealis/core';
import type { JobIndex, TaskRecord, UpdateRecord } from './job-index.js';
import { ApiError } from './route.js';

/** The JSON shapes the API answers with, built from the core's queries and the job index. */

export function taskView(info: TaskInfo) {
  return {
    taskId: info.taskId,
    job: info.job,
    instance: info.instance,
    state: info.state,
    ...(info.host !== undefined && { host: info.host }),
    ...(info.ports !== undefined && { ports: info.ports }),
    healthy: info.healthy,
    failures: info.failures,
    tier: info.tier,
    priority: info.priority,
  };
}

/** A task the core may have pruned: its current info if live, else what the index last saw. */
export function taskSummary(core: Scheduler, rec: TaskRecord) {
  const info = core.task(rec.taskId);
  if (info) return taskView(info);
  return {
    taskId: rec.taskId,
    job: rec.job,
    instance: rec.instance,
    state: rec.state,
    ...(rec.host !== undefined && { host: rec.host }),
  };
}

export function updateView(info: UpdateInfo, rec?: UpdateRecord) {
  const progress = info.steps.map((s) => ({
    instance: s.instance,
    op: s.op,
    action:
      rec?.instances.get(s.instance) ??
      (info.inFlight.includes(s.instance) ? 'INSTANCE_UPDATING' : 'PENDING'),
  }));
  const done = progress.filter(
    (p) => p.action === 'INSTANCE_UPDATED' || p.action === 'INSTANCE_ROLLED_BACK',
  ).length;
  return {
    updateId: info.updateId,
    job: info.job,
    operation: info.operation,
    status: info.status,
    startedAt: info.startedAt,
    ...(info.endedAt !== undefined && { endedAt: info.endedAt }),
    ...(info.message !== undefined && { message: info.message }),
    inFlight: info.inFlight,
    failedInstances: info.failedInstances,
    done,
    total: progress.length,
    instances: progress,
  };
}

export function updateSummary(rec: UpdateRecord) {
  return {
    updateId: rec.updateId,
    job: rec.job,
    operation: rec.operation,
    status: rec.status,
    startedAt: rec.startedAt,
    ...(rec.endedAt !== undefined && { endedAt: rec.endedAt }),
    ...(rec.message !== undefined && { message: rec.message }),
  };
}

/** Everything about one job: config, live instances, recent tasks with events, update, pending reasons. */
export function jobStatus(core: Scheduler, index: JobIndex, key: JobKey, events: number) {
  const name = formatJobKey(key);
  const record = index.job(key);
  const active = core.activeTasks(key);
  const recent = index.tasksOf(name);
  if (!record && active.length === 0 && recent.length === 0) throw new ApiError(404, `job ${name} not found`);
  const instances = active.flatMap((id) => {
    const info = core.task(id);
    return info ? [taskView(info)] : [];
  });
  const update = core.updateInfo(key);
  const next = core.cronNextFire(key);
  return {
    job: name,
    ...(record && { kind: record.config.kind, config: jobConfigToInput(record.config) }),
    instances,
    tasks: recent.reverse().map((t) => ({ ...taskSummary(core, t), events: t.events.slice(-events) })),
    ...(update && {
      update: updateView(
        update,
        index.updates(name).find((u) => u.updateId === update.updateId),
      ),
    }),
    pending: core.pendingReasons(key),
    ...(next !== undefined && { cron: { schedule: record?.config.cron?.schedule, nextFire: next } }),
  };
}

/** Instances added, removed and changed, and the changed fields, from `current` to `next` (job file form). */
export function diffJobs(current: unknown, next: unknown) {
  const changes: { path: string; from?: unknown; to?: unknown }[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (isObject(a) && isObject(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)]).values())
        walk(a[k], b[k], path ? `${path}.${k}` : k);
      return;
    }
    changes.push({ path, ...(a !== undefined && { from: a }), ...(b !== undefined && { to: b }) });
  };
  walk(current, next, '');
  return changes;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
