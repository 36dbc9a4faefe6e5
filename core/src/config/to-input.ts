import type { JobConfig } from '../model/job.js';
import { formatConstraint } from '../model/parse-constraint.js';
import type { JobSpec } from './schema.js';

/**
 * The inverse of normalizeJob: a normalized job written back in the job file schema with every
 * default spelled out. This is what `borealis config inspect` prints, so its output is itself a
 * valid job file that normalizes to the same JobConfig.
 */
export function jobConfigToInput(job: JobConfig): JobSpec {
  const { task } = job;
  const constraints: Record<string, string> = {};
  for (const c of task.constraints) constraints[c.attribute] = formatConstraint(c);
  return {
    role: job.key.role,
    environment: job.key.environment,
    name: job.key.name,
    ...(job.key.cluster !== undefined && { cluster: job.key.cluster }),
    kind: job.kind,
    instances: job.instances,
    task: {
      processes: task.processes.map((p) => ({ ...p })),
      orderings: task.orderings.map((o) => [...o]),
      resources: { ...task.resources },
      ports: [...task.ports],
    },
    constraints,
    tier: task.tier,
    priority: task.priority,
    maxTaskFailures: task.maxTaskFailures,
    ...(task.healthCheck && { healthCheck: { ...task.healthCheck } }),
    ...(job.update && {
      update: {
        strategy:
          job.update.strategy.kind === 'variableBatch'
            ? { ...job.update.strategy, groupSizes: [...job.update.strategy.groupSizes] }
            : { ...job.update.strategy },
        watchSecs: job.update.watchSecs,
        maxPerInstanceFailures: job.update.maxPerInstanceFailures,
        maxTotalFailures: job.update.maxTotalFailures,
        rollbackOnFailure: job.update.rollbackOnFailure,
      },
    }),
    ...(job.cron && { cron: { ...job.cron } }),
    ...(job.announce && {
      announce: {
        primaryPort: job.announce.primaryPort,
        portMap: { ...job.announce.portMap },
        ...(job.announce.zkPath !== undefined && { zkPath: job.announce.zkPath }),
      },
    }),
    ...(task.container && { container: { ...task.container } }),
    metadata: { ...task.metadata },
    ...(job.sla && { sla: { ...job.sla } }),
    ...(job.contact !== undefined && { contact: job.contact }),
  };
}
