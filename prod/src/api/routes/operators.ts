import type { MaintenanceMode } from '@borealis/core';
import { z } from 'zod';
import type { AdminHooks } from '../core-access.js';
import { type AnyRoute, ApiError, defineRoute, type RouteContext } from '../route.js';
import { hostsBody, resourcesBody, roleParams } from '../schemas.js';

/** Quotas, maintenance and admin operations: admins only (quota reads are open like other reads). */

const admin = () => ({ kind: 'admin' as const });

function setMode(verb: string, mode: MaintenanceMode, summary: string) {
  return defineRoute({
    method: 'POST',
    url: `/api/v1/maintenance/${verb}`,
    tag: 'maintenance',
    summary,
    body: hostsBody,
    access: admin,
    async handle({ body }, { core, maintained }) {
      // Aurora's operators drain with slaDrainHosts: a drain here waits for each job's SLA (up to
      // the drain timeout); the core's default is an immediate drain.
      await core.command((c) => c.setMaintenance(body.hosts, mode, mode === 'DRAINING' ? 'sla' : undefined));
      for (const h of body.hosts) maintained.add(h);
      return { body: hostModes(core, body.hosts) };
    },
  });
}

function hostModes(core: RouteContext['core'], hosts: readonly string[]) {
  return core.read((c) =>
    hosts.map((host) => {
      const mode = c.maintenance(host);
      return {
        host,
        mode: mode ?? 'UNKNOWN',
        ...(mode !== undefined && { allocated: c.hostAllocated(host) }),
      };
    }),
  );
}

function adminHook(name: keyof AdminHooks, summary: string) {
  return defineRoute({
    method: 'POST',
    url: `/api/v1/admin/${name}`,
    tag: 'admin',
    summary,
    access: admin,
    async handle(_call, { hooks }) {
      const hook = hooks[name];
      if (!hook) throw new ApiError(503, `${name} is not available on this scheduler`);
      return { body: { [name]: 'done', ...(await hook.call(hooks)) } };
    },
  });
}

export const operatorRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/quotas/:role',
    tag: 'quotas',
    summary: "A role's quota and its production consumption",
    params: roleParams,
    access: () => ({ kind: 'read' }),
    handle: ({ params }, { core }) => ({
      body: { role: params.role, ...core.read((c) => c.quota(params.role)) },
    }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/quotas/:role',
    tag: 'quotas',
    summary: "Set a role's quota",
    params: roleParams,
    body: resourcesBody,
    access: admin,
    async handle({ params, body }, { core }) {
      await core.command((c) => c.setQuota(params.role, body));
      return { body: { role: params.role, ...core.read((c) => c.quota(params.role)) } };
    },
  }),
  setMode('start', 'SCHEDULED', 'Schedule maintenance: the hosts are used last'),
  setMode(
    'drain',
    'DRAINING',
    "Drain hosts, SLA-aware: tasks are moved only as fast as their jobs' SLAs allow, until the scheduler's drain timeout forces the rest",
  ),
  setMode('activate', 'NONE', 'End maintenance: the hosts take tasks again'),
  defineRoute({
    method: 'GET',
    url: '/api/v1/maintenance',
    tag: 'maintenance',
    summary: 'Maintenance mode of the named hosts, or of every host put in maintenance through the API',
    query: z.strictObject({ hosts: z.string().optional() }),
    access: () => ({ kind: 'read' }),
    handle({ query }, { core, maintained }) {
      const hosts = query.hosts ? query.hosts.split(',').filter((h) => h !== '') : [...maintained].sort();
      return { body: hostModes(core, hosts) };
    },
  }),
  adminHook('reconcile', 'Reconcile task states with the Mesos master now'),
  adminHook('snapshot', 'Write a storage snapshot now'),
];
